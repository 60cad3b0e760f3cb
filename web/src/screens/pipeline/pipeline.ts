import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { customerPhases, roleAtLeast } from '../../../../functions/domain/vocabulary.ts'
import { describeError } from '../../api/describe-error.ts'
import type { Customer, Phase } from '../../api/types.ts'
import { useServices, useViewer } from '../../context.ts'
import { phaseLabels } from '../../domain.ts'
import { html } from '../../html.ts'
import { useLiveChanges, useResyncs } from '../../realtime/live-context.ts'
import type { Route } from '../../router/routes.ts'
import { navigate } from '../../router/use-route.ts'
import { useMembers } from '../../state/use-members.ts'
import { useAnnouncer } from '../customers/announcer.ts'
import { OwnerFilter } from '../customers/owner-filter.ts'
import { BoardColumn } from './board-column.ts'
import { useBoard } from './use-board.ts'

type PipelineRoute = Extract<Route, { name: 'pipeline' }>

/** The pipeline: one column per phase; writable cards move by drag and drop or by keyboard. */
export function Pipeline({ route }: { route: PipelineRoute }) {
  const { toasts } = useServices()
  const { role, userId } = useViewer()
  const members = useMembers(route.org)
  const { board, currency, saving, loadMore, retryColumn, move, applyChange } = useBoard(
    route.org,
    route.owner,
    useResyncs(),
  )
  useLiveChanges(applyChange)
  const { announce, region } = useAnnouncer()
  const dragged = useRef<Customer>()
  const [dropPhase, setDropPhase] = useState<Phase>()
  // After a keyboard move the card is re-created in its new column: focus follows it there.
  const focusAfterMove = useRef<string>()

  useEffect(() => {
    const id = focusAfterMove.current
    if (!id) return
    const link = document.getElementById(`card-${id}`)
    if (link && document.activeElement !== link) {
      focusAfterMove.current = undefined
      link.focus()
    }
  }, [board])

  const onMove = useCallback(async (customer: Customer, to: Phase) => {
    if (
      document.activeElement &&
      (document.activeElement as HTMLElement).closest?.(`[data-id="${customer.id}"]`)
    )
      focusAfterMove.current = customer.id
    announce(`Moved ${customer.name} to ${phaseLabels[to]}.`)
    const result = await move(customer, to)
    if (!result || result.ok) return
    const message = describeError(result.error, 'this customer')
    toasts.show('error', message)
    announce(`${customer.name} was not moved. ${message}`)
  }, [])

  const onDragStart = useCallback((customer: Customer) => {
    dragged.current = customer
  }, [])
  const onDragEnd = useCallback(() => {
    dragged.current = undefined
    setDropPhase(undefined)
  }, [])
  const onDragOver = useCallback((phase: Phase) => {
    if (dragged.current) setDropPhase(phase)
  }, [])
  const onDrop = useCallback(
    (phase: Phase) => {
      const customer = dragged.current
      dragged.current = undefined
      setDropPhase(undefined)
      if (customer && customer.phase !== phase) void onMove(customer, phase)
    },
    [onMove],
  )

  const canMoveAny = roleAtLeast(role, 'rep')
  return html`<section class="screen pipeline">
    <div class="screen-head">
      <h1>Pipeline</h1>
      <div class="pipeline-toolbar">
        <${OwnerFilter}
          members=${members.data}
          value=${route.owner}
          userId=${userId}
          onChange=${(owner: string | undefined) => navigate({ name: 'pipeline', org: route.org, owner })}
        />
      </div>
    </div>
    <p id="board-keys" class="pipeline-help">
      ${
        canMoveAny
          ? role === 'rep'
            ? 'Drag your own customers between phases, or use “Move to…”; Alt+Left and Alt+Right move a focused card one phase.'
            : 'Drag customers between phases, or use “Move to…”; Alt+Left and Alt+Right move a focused card one phase.'
          : 'Your role can view the pipeline but not move customers.'
      }
    </p>
    <div class="board" role="group" aria-label="Pipeline by phase">
      ${customerPhases.map(
        (phase) => html`<${BoardColumn}
          key=${phase}
          org=${route.org}
          column=${board[phase]}
          currency=${currency}
          members=${members.data}
          role=${role}
          userId=${userId}
          saving=${saving}
          dropActive=${dropPhase === phase}
          onMove=${onMove}
          onDragStart=${onDragStart}
          onDragEnd=${onDragEnd}
          onDragOver=${onDragOver}
          onDrop=${onDrop}
          onLoadMore=${loadMore}
          onRetry=${retryColumn}
        />`,
      )}
    </div>
    ${region}
  </section>`
}

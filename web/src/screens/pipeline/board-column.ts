import type { Customer, Member, Phase, Role } from '../../api/types.ts'
import { canWriteCustomer } from '../../auth/permissions.ts'
import { ErrorState } from '../../components/states.ts'
import { phaseLabels } from '../../domain.ts'
import { addAmounts, formatMoney, formatMoneyCompact } from '../../format/money.ts'
import { formatCount } from '../../format/numbers.ts'
import { html } from '../../html.ts'
import { memberName } from '../../state/use-members.ts'
import { BoardCard } from './board-card.ts'
import type { Column } from './board-state.ts'

export interface BoardColumnProps {
  org: string
  column: Column
  currency: string | undefined
  members: readonly Member[] | undefined
  role: Role
  userId: string
  saving: ReadonlySet<string>
  /** A card is being dragged and may be dropped here. */
  dropActive: boolean
  onMove: (customer: Customer, to: Phase) => void
  onDragStart: (customer: Customer) => void
  onDragEnd: () => void
  onDragOver: (phase: Phase) => void
  onDrop: (phase: Phase) => void
  onLoadMore: (phase: Phase) => void
  onRetry: (phase: Phase) => void
}

/** One phase: its name, count and value, its cards, and a drop zone while a card is dragged. */
export function BoardColumn(props: BoardColumnProps) {
  const { column } = props
  const titleId = `column-${column.phase}`
  // The true total when known; otherwise what is loaded (with "+" while more pages exist).
  const count =
    column.count !== undefined
      ? formatCount(column.count)
      : column.status === 'loading'
        ? '…'
        : `${formatCount(column.cards.length)}${column.cursor ? '+' : ''}`
  const value = columnValue(column)
  const currency = props.currency
  return html`<section
    class=${`board-column board-column-${column.phase}${props.dropActive ? ' board-column-drop' : ''}`}
    aria-labelledby=${titleId}
    onDragOver=${(e: DragEvent) => {
      e.preventDefault()
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'move'
      props.onDragOver(column.phase)
    }}
    onDrop=${(e: DragEvent) => {
      e.preventDefault()
      props.onDrop(column.phase)
    }}
  >
    <header class="board-column-head">
      <h2 id=${titleId}>${phaseLabels[column.phase]}</h2>
      <span class="board-count" data-phase=${column.phase} title="Customers in this phase">${count}</span>
      ${
        currency &&
        value &&
        html`<span
          class="board-value"
          data-phase=${column.phase}
          data-amount=${value.amount}
          title=${`Total value ${formatMoney(value.amount, currency)}${value.partial ? ' of the loaded cards' : ''}`}
          ><span class="board-value-short" aria-hidden="true">${formatMoneyCompact(value.amount, currency)}${value.partial ? '+' : ''}</span
          ><span class="visually-hidden">Total value ${formatMoney(value.amount, currency)}${value.partial ? ' of the loaded cards' : ''}</span></span
        >`
      }
    </header>
    ${
      column.status === 'error'
        ? html`<${ErrorState} error=${column.error} what="this column" retry=${() => props.onRetry(column.phase)} />`
        : column.status === 'loading'
          ? html`<p class="board-column-state" role="status"><span class="spinner" aria-hidden="true"></span>Loading…</p>`
          : column.cards.length === 0
            ? html`<p class="board-column-state">No customers</p>`
            : html`<ol class="board-cards">
                ${column.cards.map(
                  (customer) => html`<${BoardCard}
                    key=${customer.id}
                    org=${props.org}
                    customer=${customer}
                    ownerName=${memberName(props.members, customer.owner_id)}
                    currency=${currency}
                    writable=${canWriteCustomer(props.role, props.userId, customer)}
                    saving=${props.saving.has(customer.id)}
                    onMove=${props.onMove}
                    onDragStart=${props.onDragStart}
                    onDragEnd=${props.onDragEnd}
                  />`,
                )}
              </ol>`
    }
    ${
      column.status === 'ready' &&
      column.cursor &&
      html`<button
        type="button"
        class="button board-more"
        onClick=${() => props.onLoadMore(column.phase)}
        disabled=${column.more === 'loading'}
        aria-busy=${column.more === 'loading' ? 'true' : 'false'}
      >
        ${column.more === 'loading' && html`<span class="spinner" aria-hidden="true"></span>`}Load more<span class="visually-hidden"> in ${phaseLabels[column.phase]}</span>
      </button>`
    }
    ${column.more === 'error' && html`<p class="form-error" role="alert">More cards could not be loaded.</p>`}
  </section>`
}

/**
 * The column's value: the phase's true total when known; otherwise (an owner
 * filter, or the figures failed) the sum of the loaded cards, partial while more pages exist.
 */
function columnValue(column: Column): { amount: string; partial: boolean } | undefined {
  if (column.value !== undefined) return { amount: column.value, partial: false }
  if (column.status !== 'ready') return undefined
  const amount = column.cards.reduce((sum, c) => addAmounts(sum, c.value), '0')
  return { amount, partial: column.cursor !== null }
}

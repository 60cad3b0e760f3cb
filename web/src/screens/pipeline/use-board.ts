import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { customerPhases } from '../../../../functions/domain/vocabulary.ts'
import type { Customer, Page, Phase, SalesFigures } from '../../api/types.ts'
import { useServices } from '../../context.ts'
import type { RowChange } from '../../realtime/changes.ts'
import { isOwnWrite } from '../../realtime/own-writes.ts'
import { rememberCurrency } from '../../state/use-currency.ts'
import { customersPath } from '../customers/customer-query.ts'
import { applyLiveUpdate, isCustomerChange } from '../customers/live-customer.ts'
import { type PhaseChangeResult, savePhase } from '../customers/phase-change.ts'
import {
  type Board,
  emptyBoard,
  findCard,
  mergeCustomer,
  moveCard,
  placeCard,
  undoMove,
  withoutCard,
  withPage,
  withTotals,
} from './board-state.ts'

/** Cards per column and page: a board is for scanning, the table is for long lists. */
export const cardsPerPage = 20

/** Live changes come in bursts (an import, a bulk move): the totals are read again once the burst settles. */
const recountAfterMs = 1500

/**
 * The board's one state: each column's first page (nine requests side by
 * side) and the true totals (count and value per phase) from the sales
 * figures, which also name the currency. Moves are optimistic
 * and undone exactly when the server refuses. Others' changes arrive through
 * `applyChange` (live updates); `resyncs` (live again after an outage) reloads.
 */
export function useBoard(org: string, owner: string | undefined, resyncs = 0) {
  const { api } = useServices()
  const [board, setBoard] = useState<Board>(emptyBoard)
  const [generation, setGeneration] = useState(0)
  // Cards whose move is being saved: a second move would be sent with an old version, so it waits.
  const [saving, setSaving] = useState<ReadonlySet<string>>(new Set())
  const [currency, setCurrency] = useState<string>()
  const live = useRef({ board, controller: new AbortController(), saving })
  live.current.saving = saving
  live.current.board = board
  // Totals read while a move was being saved, or while another session's
  // change reached the board, may or may not count it, and the board has
  // already moved the card: such totals are dropped and read again once no
  // move is in flight, so no column is left off by one until the next recount.
  const counting = useRef({ boardChanges: 0, stale: false })

  const loadColumn = useCallback(
    (phase: Phase, cursor: string | null, signal: AbortSignal) =>
      api
        .get<Page<Customer>>(
          customersPath(org, { phase: [phase], owner, sort: '-updated_at' }, { cursor, limit: cardsPerPage }),
          { signal },
        )
        .then(
          (page) => {
            if (!signal.aborted) setBoard((b) => withPage(b, phase, page, cursor !== null))
          },
          (error: unknown) => {
            if (signal.aborted) return
            setBoard((b) => ({
              ...b,
              [phase]: cursor
                ? { ...b[phase], more: 'error', error }
                : { ...b[phase], status: 'error', error },
            }))
          },
        ),
    [org, owner],
  )

  // Totals are per organization; with an owner filter the columns sum what they loaded instead.
  const loadCounts = useCallback(
    (signal: AbortSignal) => {
      const changesBefore = counting.current.boardChanges
      if (live.current.saving.size > 0) {
        counting.current.stale = true
        return
      }
      api.get<SalesFigures>(`/orgs/${org}/metrics/sales`, { signal }).then(
        (sales) => {
          if (signal.aborted) return
          rememberCurrency(org, sales.currency)
          setCurrency(sales.currency)
          if (owner) return
          // A move still saving re-reads them when it ends; a change that came meanwhile, now.
          if (live.current.saving.size > 0) counting.current.stale = true
          else if (counting.current.boardChanges !== changesBefore) loadCounts(signal)
          else setBoard((b) => withTotals(b, sales.by_phase))
        },
        () => undefined, // the columns then count what they loaded, without money
      )
    },
    [org, owner],
  )

  useEffect(() => {
    const controller = new AbortController()
    live.current.controller = controller
    setBoard(emptyBoard())
    loadCounts(controller.signal)
    for (const phase of customerPhases) void loadColumn(phase, null, controller.signal)
    return () => controller.abort()
  }, [org, owner, generation, resyncs])

  const recount = useRef<ReturnType<typeof setTimeout>>()
  useEffect(() => () => clearTimeout(recount.current), [])

  /**
   * Someone else changed a customer: a loaded card follows at once (to its new
   * column), one not loaded is fetched and put on top of its column (it is the
   * latest change there), and the totals are read again after the burst.
   */
  const applyChange = useCallback(
    (change: RowChange) => {
      if (!isCustomerChange(change) || isOwnWrite(change.id, change.updated_at)) return
      counting.current.boardChanges++
      const { signal } = live.current.controller
      clearTimeout(recount.current)
      recount.current = setTimeout(() => loadCounts(signal), recountAfterMs)
      if (change.op === 'DELETE') return setBoard((b) => withoutCard(b, change.id))
      const found = findCard(live.current.board, change.id)
      const outOfFilter = owner !== undefined && change.owner_id !== owner
      if (found) {
        const updated = applyLiveUpdate(found.card, change)
        if (updated) setBoard((b) => (outOfFilter ? withoutCard(b, change.id) : mergeCustomer(b, updated)))
        return
      }
      if (
        outOfFilter ||
        (change.op === 'UPDATE' && !('phase' in change.record) && !('owner_id' in change.record))
      )
        return
      api.get<Customer>(`/customers/${change.id}`, { signal }).then(
        (customer) => {
          if (signal.aborted) return
          const { counts: _counts, ...card } = customer as Customer & { counts?: unknown }
          setBoard((b) => (findCard(b, card.id) ? mergeCustomer(b, card) : placeCard(b, card)))
        },
        () => undefined, // deleted or hidden meanwhile: nothing to show
      )
    },
    [org, owner, loadCounts],
  )

  const loadMore = useCallback(
    (phase: Phase) => {
      const column = live.current.board[phase]
      if (!column.cursor || column.more === 'loading') return
      setBoard((b) => ({ ...b, [phase]: { ...b[phase], more: 'loading' } }))
      void loadColumn(phase, column.cursor, live.current.controller.signal)
    },
    [loadColumn],
  )

  const retryColumn = useCallback(
    (phase: Phase) => {
      setBoard((b) => ({ ...b, [phase]: { ...b[phase], status: 'loading', error: undefined } }))
      void loadColumn(phase, null, live.current.controller.signal)
    },
    [loadColumn],
  )

  /** Moves a card at once and saves it; on refusal the card goes back (or to the server's latest copy). */
  const move = useCallback(
    async (customer: Customer, to: Phase): Promise<PhaseChangeResult | undefined> => {
      const found = findCard(live.current.board, customer.id)
      if (!found || found.phase === to || live.current.saving.has(customer.id)) return undefined
      const before = found.card
      counting.current.boardChanges++
      live.current.saving = new Set(live.current.saving).add(before.id)
      setSaving(live.current.saving)
      setBoard((b) => moveCard(b, before.id, to))
      const result = await savePhase(api, before, to)
      const stillSaving = new Set(live.current.saving)
      stillSaving.delete(before.id)
      live.current.saving = stillSaving
      setSaving(stillSaving)
      setBoard((b) => {
        if (result.ok) return mergeCustomer(b, result.customer)
        const undone = undoMove(b, before, found.index, to)
        return result.latest ? mergeCustomer(undone, result.latest) : undone
      })
      if (counting.current.stale && stillSaving.size === 0) {
        counting.current.stale = false
        loadCounts(live.current.controller.signal)
      }
      return result
    },
    [loadCounts],
  )

  const merge = useCallback((customer: Customer) => setBoard((b) => mergeCustomer(b, customer)), [])
  const reload = useCallback(() => setGeneration((g) => g + 1), [])

  return { board, currency, saving, loadMore, retryColumn, move, merge, applyChange, reload }
}

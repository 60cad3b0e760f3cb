import { customerPhases } from '../../../../functions/domain/vocabulary.ts'
import type { Customer, Page, Phase, SalesFigures } from '../../api/types.ts'
import { type Amount, addAmounts, negateAmount } from '../../format/money.ts'
import { isNewer } from '../customers/customer-rows.ts'

/** One phase's column: its first pages of cards (newest change first) and its true totals. */
export interface Column {
  phase: Phase
  cards: Customer[]
  cursor: string | null
  /** The phase's total from the metrics endpoint, kept in step with moves; undefined when not known. */
  count: number | undefined
  /** The phase's summed value (GET /metrics/sales `by_phase`), moving with its cards; undefined when not known. */
  value: Amount | undefined
  status: 'loading' | 'ready' | 'error'
  error?: unknown
  more: 'idle' | 'loading' | 'error'
}

export type Board = Record<Phase, Column>

/**
 * The pipeline board as plain data and pure changes to it, so moves, undo and
 * pages merge the same way whoever causes them (a drag, the keyboard, the
 * server's answer, or later a live update). A customer is on the board at most once.
 */
export function emptyBoard(): Board {
  const board = {} as Board
  for (const phase of customerPhases)
    board[phase] = {
      phase,
      cards: [],
      cursor: null,
      count: undefined,
      value: undefined,
      status: 'loading',
      more: 'idle',
    }
  return board
}

/** The true totals arrived: each column's count and value from the sales figures. */
export function withTotals(board: Board, byPhase: SalesFigures['by_phase']): Board {
  const next = { ...board }
  for (const { phase, customers, value } of byPhase) next[phase] = { ...next[phase], count: customers, value }
  return next
}

/** Where a customer is on the board, if loaded. */
export function findCard(
  board: Board,
  id: string,
): { phase: Phase; index: number; card: Customer } | undefined {
  for (const phase of customerPhases) {
    const index = board[phase].cards.findIndex((c) => c.id === id)
    if (index >= 0) return { phase, index, card: board[phase].cards[index] as Customer }
  }
  return undefined
}

/**
 * A page of a column arrived. No card shows twice: a card already in another
 * column stays there unless this copy is newer; a card moved into this column
 * while its first page was on the way (the page predates the move) is kept on top.
 */
export function withPage(board: Board, phase: Phase, page: Page<Customer>, append: boolean): Board {
  let next = board
  const incoming: Customer[] = []
  for (const card of page.data) {
    const found = findCard(next, card.id)
    if (!found) incoming.push(card)
    else if (found.phase === phase) incoming.push(isNewer(card, found.card) ? card : found.card)
    else if (isNewer(card, found.card) && card.version !== found.card.version) {
      // It moved here since the other column loaded: the newer copy wins, in this column.
      next = removeCard(next, card.id, false)
      incoming.push(card)
    }
  }
  const column = next[phase]
  const inPage = new Map(incoming.map((c) => [c.id, c]))
  const shown = new Set(column.cards.map((c) => c.id))
  const cards = append
    ? [...column.cards.map((c) => inPage.get(c.id) ?? c), ...incoming.filter((c) => !shown.has(c.id))]
    : [...column.cards.filter((c) => !inPage.has(c.id)), ...incoming]
  return { ...next, [phase]: { ...column, cards, cursor: page.next_cursor, status: 'ready', more: 'idle' } }
}

/**
 * Puts a customer in its phase's column: at `index` (default the top: the
 * board sorts by latest change) or where it already is when its phase did not
 * change. Counts follow when it changes column.
 */
export function placeCard(board: Board, customer: Customer, index = 0): Board {
  const found = findCard(board, customer.id)
  if (found && found.phase === customer.phase) {
    const column = board[found.phase]
    const cards = [...column.cards]
    cards[found.index] = customer
    // A deal edited elsewhere changes the column's value by the difference.
    const value = addValue(addValue(column.value, customer.value), negateAmount(found.card.value))
    return { ...board, [found.phase]: { ...column, cards, value } }
  }
  const next = found ? removeCard(board, customer.id, true) : board
  const column = next[customer.phase]
  const cards = [...column.cards]
  cards.splice(Math.min(index, cards.length), 0, customer)
  return {
    ...next,
    [customer.phase]: {
      ...column,
      cards,
      count: adjust(column.count, found ? 1 : 0),
      value: found ? addValue(column.value, customer.value) : column.value,
    },
  }
}

/** The optimistic move: the card goes to the top of the target column at once, counts change with it. */
export function moveCard(board: Board, id: string, to: Phase): Board {
  const found = findCard(board, id)
  if (!found || found.phase === to) return board
  return placeCard(board, { ...found.card, phase: to })
}

/**
 * Undoes a refused move: back to its column and place, unless the card has
 * changed since in a way the move did not cause (a newer copy arrived): that stays.
 */
export function undoMove(board: Board, before: Customer, beforeIndex: number, to: Phase): Board {
  const found = findCard(board, before.id)
  if (!found) return board
  if (found.card.version !== before.version || found.phase !== to) return board
  return placeCard(board, before, beforeIndex)
}

/** The server's copy of a customer (its answer to a move, a re-read, a live update): newer copies win. */
export function mergeCustomer(board: Board, customer: Customer): Board {
  const found = findCard(board, customer.id)
  if (found && !isNewer(customer, found.card)) return board
  if (!found) return board
  return placeCard(board, customer)
}

/** A customer deleted elsewhere leaves the board (and its column's total). */
export const withoutCard = (board: Board, id: string): Board => removeCard(board, id, true)

function removeCard(board: Board, id: string, countIt: boolean): Board {
  const found = findCard(board, id)
  if (!found) return board
  const column = board[found.phase]
  return {
    ...board,
    [found.phase]: {
      ...column,
      cards: column.cards.filter((c) => c.id !== id),
      count: countIt ? adjust(column.count, -1) : column.count,
      value: countIt ? addValue(column.value, negateAmount(found.card.value)) : column.value,
    },
  }
}

const adjust = (count: number | undefined, by: number) =>
  count === undefined ? undefined : Math.max(0, count + by)

const addValue = (total: Amount | undefined, amount: Amount) =>
  total === undefined ? undefined : addAmounts(total, amount)

/** The phase before or after this one on the board, for Alt+Arrow moves. */
export function neighbourPhase(phase: Phase, step: -1 | 1): Phase | undefined {
  return customerPhases[customerPhases.indexOf(phase) + step]
}

import { describe, expect, it } from 'vitest'
import type { Customer, Phase } from '../../api/types.ts'
import {
  type Board,
  emptyBoard,
  findCard,
  mergeCustomer,
  moveCard,
  neighbourPhase,
  undoMove,
  withPage,
  withTotals,
} from './board-state.ts'

const card = (id: string, phase: Phase, version = '1', value = '0'): Customer => ({
  id,
  org_id: 'o',
  name: id,
  phase,
  owner_id: null,
  external_ids: {},
  deal_value: null,
  expected_close_date: null,
  next_step: null,
  monthly_recurring_value: '0',
  value,
  weighted_value: '0',
  phase_entered_at: '2026-01-01T00:00:00Z',
  days_in_phase: 0,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  version,
})

function loaded(): Board {
  let board = withTotals(emptyBoard(), [
    { phase: 'lead', customers: 40, value: '1000.00', weighted_value: '100.00' },
    { phase: 'qualified', customers: 7, value: '0', weighted_value: '0' },
  ])
  board = withPage(
    board,
    'lead',
    { data: [card('a', 'lead'), card('b', 'lead', '1', '250.5')], next_cursor: 'x' },
    false,
  )
  board = withPage(board, 'qualified', { data: [card('c', 'qualified')], next_cursor: null }, false)
  return board
}
const ids = (board: Board, phase: Phase) => board[phase].cards.map((c) => c.id)

describe('the pipeline board', () => {
  it('should move a card to the top of its new column and change both totals at once', () => {
    const board = moveCard(loaded(), 'b', 'qualified')
    expect(ids(board, 'lead')).toEqual(['a'])
    expect(ids(board, 'qualified')).toEqual(['b', 'c'])
    expect(board.qualified.cards[0]?.phase).toBe('qualified')
    expect([board.lead.count, board.qualified.count]).toEqual([39, 8])
    expect([board.lead.value, board.qualified.value]).toEqual(['749.50', '250.5'])
  })

  it('should undo a refused move back to the same place and totals', () => {
    const before = loaded()
    const moved = moveCard(before, 'b', 'qualified')
    const undone = undoMove(moved, card('b', 'lead', '1', '250.5'), 1, 'qualified')
    expect(ids(undone, 'lead')).toEqual(['a', 'b'])
    expect(ids(undone, 'qualified')).toEqual(['c'])
    expect([undone.lead.count, undone.qualified.count]).toEqual([40, 7])
    expect([undone.lead.value, undone.qualified.value]).toEqual(['1000.00', '0.0'])
  })

  it('should not undo over a newer copy that arrived meanwhile, and show the server copy', () => {
    const moved = moveCard(loaded(), 'b', 'qualified')
    const newer = mergeCustomer(moved, card('b', 'won', '9'))
    expect(undoMove(newer, card('b', 'lead'), 1, 'qualified')).toBe(newer)
    expect(findCard(newer, 'b')?.phase).toBe('won')
    expect(newer.won.count).toBeUndefined()
  })

  it('should never show a card twice when a later page brings a card that moved', () => {
    let board = loaded()
    board = withPage(
      board,
      'lead',
      { data: [card('c', 'lead', '0'), card('d', 'lead')], next_cursor: null },
      true,
    )
    expect(ids(board, 'lead')).toEqual(['a', 'b', 'd'])
    board = withPage(board, 'lead', { data: [card('c', 'lead', '5')], next_cursor: null }, true)
    expect(ids(board, 'lead')).toEqual(['a', 'b', 'd', 'c'])
    expect(ids(board, 'qualified')).toEqual([])
  })

  it('should keep a card moved into a column whose first page was still on the way', () => {
    let board = withPage(emptyBoard(), 'lead', { data: [card('a', 'lead')], next_cursor: null }, false)
    board = moveCard(board, 'a', 'won')
    board = withPage(board, 'won', { data: [card('w', 'won')], next_cursor: null }, false)
    expect(ids(board, 'won')).toEqual(['a', 'w'])
    expect(ids(board, 'lead')).toEqual([])
  })

  it('should update a card in place when a later page of its own column brings a newer copy', () => {
    let board = loaded()
    board = withPage(
      board,
      'lead',
      { data: [card('b', 'lead', '4'), card('e', 'lead')], next_cursor: null },
      true,
    )
    expect(ids(board, 'lead')).toEqual(['a', 'b', 'e'])
    expect(board.lead.cards[1]?.version).toBe('4')
  })

  it("should change a column's value by the difference when a card's deal changes elsewhere", () => {
    const board = mergeCustomer(loaded(), card('b', 'lead', '2', '300.00'))
    expect(board.lead.value).toBe('1049.50')
    expect(board.lead.count).toBe(40)
  })

  it('should leave a value unknown until the totals arrive', () => {
    let board = withPage(
      emptyBoard(),
      'lead',
      { data: [card('a', 'lead', '1', '5')], next_cursor: null },
      false,
    )
    board = moveCard(board, 'a', 'won')
    expect([board.lead.value, board.won.value]).toEqual([undefined, undefined])
  })

  it('should ignore an older copy of a card', () => {
    const board = mergeCustomer(moveCard(loaded(), 'a', 'qualified'), card('a', 'lead', '0'))
    expect(findCard(board, 'a')?.phase).toBe('qualified')
  })

  it('should know the neighbouring phases for Alt+Arrow moves', () => {
    expect(neighbourPhase('lead', -1)).toBeUndefined()
    expect(neighbourPhase('lead', 1)).toBe('qualified')
    expect(neighbourPhase('lost', 1)).toBeUndefined()
  })
})

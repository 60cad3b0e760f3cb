import { describe, expect, it } from 'vitest'
import { appendItem, appendPage, emptyList, prependItem, removeItem } from './keyset-list.ts'

const row = (id: string) => ({ id, name: id })

describe('a keyset-paged list', () => {
  it('should append pages in order and keep the last cursor', () => {
    const first = appendPage(emptyList(), { data: [row('a'), row('b')], next_cursor: 'c1' })
    const second = appendPage(first, { data: [row('c')], next_cursor: null })
    expect(second.items.map((r) => r.id)).toEqual(['a', 'b', 'c'])
    expect(second.cursor).toBeNull()
  })

  it('should not repeat a row that a later page returns again', () => {
    const first = appendPage(emptyList(), { data: [row('a'), row('b')], next_cursor: 'c1' })
    const second = appendPage(first, { data: [row('b'), row('c')], next_cursor: null })
    expect(second.items.map((r) => r.id)).toEqual(['a', 'b', 'c'])
  })

  it('should show a created row once, first or last, and drop a deleted one', () => {
    const list = appendPage(emptyList(), { data: [row('a'), row('b')], next_cursor: 'c1' })
    expect(prependItem(list, row('b')).items.map((r) => r.id)).toEqual(['b', 'a'])
    expect(appendItem(list, row('a')).items.map((r) => r.id)).toEqual(['b', 'a'])
    expect(removeItem(list, 'a').items.map((r) => r.id)).toEqual(['b'])
    expect(removeItem(list, 'a').cursor).toBe('c1')
  })
})

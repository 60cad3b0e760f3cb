import { describe, expect, it } from 'vitest'
import type { RowChange } from './changes.ts'
import { mergeLiveUpdate } from './live-merge.ts'
import { versionOf } from './version.ts'

const at = '2026-11-25T18:40:11.625001+00:00'
const contact = {
  id: 'c1',
  name: 'Ada',
  role: 'CFO',
  updated_at: '2026-11-25T18:00:00+00:00',
  version: versionOf('2026-11-25T18:00:00+00:00'),
}
const update = (updated_at: string, record: Record<string, unknown>): RowChange => ({
  table: 'contacts',
  op: 'UPDATE',
  id: 'c1',
  customer_id: 'x',
  updated_at,
  record,
})

describe('a live update of a record on screen', () => {
  it('should apply the changed columns and take the new version', () => {
    const [merged] = mergeLiveUpdate([contact], update(at, { role: 'CEO' }))
    expect(merged).toEqual({ ...contact, role: 'CEO', updated_at: at, version: '1795632011625001' })
  })

  it('should ignore an echo or an older message, and other records', () => {
    expect(mergeLiveUpdate([contact], update(contact.updated_at, { role: 'CEO' }))).toEqual([contact])
    expect(mergeLiveUpdate([contact], update('2026-11-25T17:00:00+00:00', { role: 'CEO' }))).toEqual([
      contact,
    ])
    expect(mergeLiveUpdate([contact], { ...update(at, { role: 'CEO' }), id: 'c2' })).toEqual([contact])
  })
})

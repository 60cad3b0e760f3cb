/**
 * One change as the database broadcasts it (supabase/migrations/
 * 20261125140000_realtime_broadcast.sql, docs/realtime.md): the broadcast
 * event is the table's name; `record` holds the published columns (all on
 * INSERT, the changed ones on UPDATE, none on DELETE).
 */
export interface RowChange {
  table: string
  op: 'INSERT' | 'UPDATE' | 'DELETE'
  id: string
  customer_id?: string | null
  owner_id?: string | null
  updated_at?: string
  record: Record<string, unknown>
}

export function isRowChange(payload: unknown): payload is RowChange {
  if (typeof payload !== 'object' || payload === null) return false
  const p = payload as Partial<RowChange>
  return (
    typeof p.table === 'string' &&
    (p.op === 'INSERT' || p.op === 'UPDATE' || p.op === 'DELETE') &&
    typeof p.id === 'string' &&
    typeof p.record === 'object' &&
    p.record !== null
  )
}

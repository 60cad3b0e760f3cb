import { randomUUID } from 'node:crypto'
import type { Column } from './catalogue.ts'

/**
 * A value an attacker would put in a column: of the right type, passing the
 * table's own checks where it can (so a refusal means the column is guarded,
 * not that the value was malformed), and never what the database would have
 * written itself (timestamps in 2001, someone else's user id, …).
 */
export interface ForgeContext {
  /** The row's current value, as text (null for a new row). */
  current: string | null
  /** Another user of the same organization, to misattribute a row to. */
  otherUserId: string
  /** A valid id of another row of the referenced table in the same tenant, by referenced table. */
  sameTenantRow: (refTable: string) => string | undefined
  /** Is the column (part of) a foreign key, and to which table? */
  references?: string
  /** The row being written (its other columns), for values that must fit it. */
  row: Record<string, unknown>
}

/** Text columns whose checks need a value of a certain shape, by column name. */
const shapedText: Record<string, string[] | ((row: Record<string, unknown>) => string[])> = {
  email: ['forged@forged.example'],
  username: ['forged-user'],
  time_zone: ['Pacific/Chatham', 'Europe/Paris'],
  currency: ['JPY', 'CHF'],
  provider: ['pipedrive', 'hubspot'],
  status: ['processed', 'failed'],
  kind: ['contact', 'customer'],
  content_type: ['application/x-forged'],
  key: ['forged-key-0001'],
  job: ['forged-job'],
  method: ['DELETE'],
  phone: ['+1 555 0100'],
  finance_code: ['FORGED-01'],
  // Inside the row's own folder as far as a prefix check can tell, and then out of it.
  storage_path: (row) => [
    `org/${row.org_id}/customers/${row.customer_id}/../../../${randomUUID()}/customers/${randomUUID()}/x/stolen.pdf`,
  ],
}

export function forgedValue(column: Column, context: ForgeContext): string | null {
  const differs = (candidates: string[]) => candidates.find((v) => v !== context.current) ?? null
  if (context.references) {
    if (context.references === 'public.users' || context.references === 'auth.users')
      return differs([context.otherUserId])
    return differs([context.sameTenantRow(context.references) ?? randomUUID()])
  }
  switch (column.category) {
    case 'E':
      return differs([...column.labels].reverse())
    case 'B':
      return context.current === 'true' ? 'false' : 'true'
    case 'N':
      return differs(column.type === 'smallint' ? ['42', '43'] : ['4242', '4343'])
    case 'D':
      return column.type === 'date' ? differs(['2001-02-03', '2001-02-04']) : '2001-02-03 04:05:06+00'
    case 'A':
      return '{forged}'
    case 'S': {
      const shaped = shapedText[column.name]
      const candidates = typeof shaped === 'function' ? shaped(context.row) : shaped
      return differs(candidates ?? [`Forged ${column.name}`, `Forged ${column.name} 2`])
    }
    default:
      if (column.type === 'uuid') return randomUUID()
      if (column.type === 'jsonb' || column.type === 'json') return '{"forged": true}'
      throw new Error(`no forged value for a column of type ${column.type} (${column.name})`)
  }
}

/**
 * The spellings of a path outside its folder, as a client would try them in
 * any text that may end up in a Storage object name or a URL.
 */
export const traversalSpellings = [
  '../../../etc/passwd',
  '..',
  '.',
  '%2e%2e/%2e%2e/secret.pdf',
  '%2E%2E%2Fsecret.pdf',
  '..%2f..%2fsecret.pdf',
  '%252e%252e/secret.pdf',
  '..\\..\\secret.pdf',
  '/absolute/secret.pdf',
  'name/with/slashes.pdf',
  'nul\u0000byte.pdf',
  'ünïcödé ./../名前.pdf',
  'a?b#c&d=e.pdf',
]

import type { Transaction } from '../../../../functions/db/database.ts'
import type { Relation } from './catalogue.ts'
import type { KnownRow, Suite } from './context.ts'
import { referencedTable, textOf } from './rows.ts'
import type { ForgeContext } from './values.ts'
import { asSuperuserSql } from './world.ts'

/** `(key columns) = (those of the row given as JSON in $1)`: PostgREST's `?id=eq.…` filter. */
export function keyMatch(relation: Relation): string {
  const key = relation.primaryKey.length ? relation.primaryKey : relation.columns.map((c) => c.name)
  const list = key.map((c) => `"${c}"`).join(', ')
  return `(${key.map((c) => `x."${c}"`).join(', ')}) = (select ${list} from jsonb_populate_record(null::${relation.name}, $1::jsonb))`
}

/** Runs `look` as the superuser inside the caller's transaction, then goes back to the caller. */
export async function lookAsSuperuser<T>(tx: Transaction, look: (db: Transaction) => Promise<T>): Promise<T> {
  await tx.query('savepoint look')
  await tx.query(asSuperuserSql)
  try {
    return await look(tx)
  } finally {
    await tx.query('rollback to savepoint look')
  }
}

/** What a forged value for `column` of `row` must fit: the row, its tenant's other rows, another user. */
export function forgeContext(
  s: Suite,
  relation: Relation,
  column: string,
  row: KnownRow,
  callerId: string | undefined,
): ForgeContext {
  const { f } = s.w
  const org = String(row.row.org_id ?? row.row.id ?? '')
  const candidates =
    org === f.orgB ? [f.users.outsider.id, f.users.owner.id] : [f.users.owner.id, f.users.admin.id]
  const otherUserId = candidates.find((id) => id !== callerId && id !== row.row[column]) as string
  return {
    current: textOf(row.row[column]),
    row: row.row,
    otherUserId,
    references: referencedTable(relation, column),
    sameTenantRow: (table: string) =>
      (s.rows.get(table) ?? []).find((r) => r.tenant === row.tenant && r.key !== row.key)?.row.id as
        | string
        | undefined,
  }
}

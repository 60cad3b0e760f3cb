import type { Queryable, Transaction } from '../../functions/db/database.ts'

/**
 * Postgres's own advice for loading much data ("Populating a Database"): drop
 * the indexes, load, build them again. One sorted build is several times faster
 * than keeping a dozen b-trees (and a trigram GIN) up to date row by row, most
 * of all for the million timeline events. Only secondary indexes are dropped:
 * those behind primary keys and unique constraints stay, so a duplicate still
 * fails the load. The definitions come from the catalog, so this follows
 * whatever the migrations declare. Run inside the load's transaction: a failure
 * rolls the drops back with everything else.
 */
export async function dropSecondaryIndexes(tx: Transaction, tables: readonly string[]): Promise<string[]> {
  const indexes = await secondaryIndexes(tx, tables)
  if (indexes.length > 0) await tx.execScript(indexes.map((i) => `drop index ${i.name};`).join('\n'))
  return indexes.map((i) => i.definition)
}

export async function recreateIndexes(tx: Transaction, definitions: readonly string[]): Promise<void> {
  if (definitions.length > 0) await tx.execScript(definitions.map((d) => `${d};`).join('\n'))
}

async function secondaryIndexes(db: Queryable, tables: readonly string[]) {
  return db.query<{ name: string; definition: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name, pg_get_indexdef(i.indexrelid) as definition
       from pg_index i
       join pg_class c on c.oid = i.indexrelid
       join pg_namespace n on n.oid = c.relnamespace
      where i.indrelid = any($1::text[]::regclass[])
        and not exists (select from pg_constraint k where k.conindid = i.indexrelid)
      order by c.relname`,
    [tables],
  )
}

import type { Queryable } from '../../../functions/db/database.ts'

/** Schemas of Postgres itself: their contents are the server's, not ours. */
const systemSchemas = ['pg_catalog', 'information_schema', 'pg_toast']

export interface TableChecksum {
  /** `schema.table` */
  table: string
  rows: number
  /** md5 of every row's text form, sorted: equal checksums mean equal contents. */
  md5: string
}

/**
 * A fingerprint of every ordinary table's contents: its row count and an md5
 * of its rows' text (`row::text`, sorted byte-wise so the order rows happen to
 * be stored in does not matter). Two databases with equal lists hold the same
 * data. Read as a superuser, so RLS hides nothing.
 */
export async function tableChecksums(db: Queryable): Promise<TableChecksum[]> {
  const tables = await db.query<{ table: string }>(
    `select format('%I.%I', n.nspname, c.relname) as table
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and not c.relispartition
        and n.nspname <> all ($1::text[]) and n.nspname not like 'pg_temp_%' and n.nspname not like 'pg_toast_temp_%'
      order by 1`,
    [`{${systemSchemas.join(',')}}`],
  )
  if (tables.length === 0) return []
  const perTable = tables.map(
    ({ table }) =>
      `select ${quoteLiteral(table)} as table, count(*)::int as rows,
              md5(coalesce(string_agg(t::text, E'\\n' order by t::text collate "C"), '')) as md5
         from ${table} t`,
  )
  // One statement for all tables: cheap enough to take before and after every request of a fuzz run.
  return db.query<TableChecksum>(
    `select * from (${perTable.join(' union all ')}) s order by s."table" collate "C"`,
  )
}

const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`

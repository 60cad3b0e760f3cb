import type { Database } from '../../functions/db/database.ts'

/**
 * Re-checks every foreign key of the app's tables: the seed loads with
 * triggers (and so foreign-key checks) off, and this proves it kept them.
 * Each constraint is dropped and added again inside a transaction that is
 * rolled back; adding a foreign key validates every existing row. Returns the
 * constraints that failed, with the database's message.
 */
export async function findBrokenForeignKeys(db: Database): Promise<string[]> {
  const constraints = await db.query<{ table_name: string; name: string; definition: string }>(
    `select conrelid::regclass::text as table_name, conname as name, pg_get_constraintdef(oid) as definition
       from pg_constraint
      where contype = 'f' and connamespace in ('public'::regnamespace, 'auth'::regnamespace)
      order by 1, 2`,
  )
  const broken: string[] = []
  for (const c of constraints) {
    await db
      .transaction(async (tx) => {
        await tx.execScript(
          `alter table ${c.table_name} drop constraint "${c.name}";
           alter table ${c.table_name} add constraint "${c.name}" ${c.definition};`,
        )
        throw rollback
      })
      .catch((error: unknown) => {
        if (error !== rollback) broken.push(`${c.table_name}.${c.name}: ${(error as Error).message}`)
      })
  }
  return broken
}

const rollback = new Error('rollback')

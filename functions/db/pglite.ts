import { PGlite, type PGliteInterface } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { type Database, type Row, type Statement, statementOf, type Transaction } from './database.ts'

/** The extensions Supabase offers that our migrations use; PGlite loads them in-process. */
export const pgliteExtensions = { pg_trgm }

/** Opens (or creates) an embedded Postgres; `dataDir` undefined means in memory. */
export async function openPGlite(dataDir?: string): Promise<PGlite> {
  return PGlite.create({ dataDir, extensions: pgliteExtensions })
}

type PGliteRunner = Pick<PGliteInterface, 'query' | 'exec'>

/** Wraps a PGlite instance in our Database interface. `onClose` runs after it closes. */
export function pgliteDatabase(pg: PGliteInterface, onClose?: () => void | Promise<void>): Database {
  const wrap = (run: PGliteRunner): Transaction => ({
    async query<T extends object = Row>(statement: Statement | string, values?: readonly unknown[]) {
      const { text, params } = statementOf(statement, values)
      const result = await run.query<T>(text, params as unknown[])
      return result.rows
    },
    async execScript(text: string) {
      await run.exec(text)
    },
  })
  return {
    kind: 'pglite',
    ...wrap(pg),
    // PGlite is one connection: its transaction() holds a lock, so other callers wait their turn.
    transaction: <T>(fn: (tx: Transaction) => Promise<T>) => pg.transaction((tx) => fn(wrap(tx))),
    async listen(channel: string, onPayload: (payload: string) => void) {
      const unlisten = await pg.listen(channel, onPayload)
      return () => unlisten()
    },
    async close() {
      await pg.close()
      await onClose?.()
    },
  }
}

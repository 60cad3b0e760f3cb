import { AsyncLocalStorage } from 'node:async_hooks'
import type { Database, Row, Statement, Transaction } from '../db/database.ts'

/**
 * A Database that stands for "the connection of the request being served".
 *
 * A Worker may not use an I/O object (a socket, so a postgres.js pool) created
 * while serving another request, so it opens its client per request. The app
 * and its routes, built once per isolate, hold this stand-in; `run` binds the
 * request's own client for everything that request awaits.
 */
export function requestDatabase(kind: Database['kind'] = 'postgres') {
  const current = new AsyncLocalStorage<Database>()
  const active = (): Database => {
    const db = current.getStore()
    if (!db) throw new Error('No database is bound to this request: call it inside run().')
    return db
  }

  const db: Database = {
    kind,
    query: <T extends object = Row>(statement: Statement | string, params?: readonly unknown[]) =>
      typeof statement === 'string' ? active().query<T>(statement, params) : active().query<T>(statement),
    execScript: (text: string) => active().execScript(text),
    transaction: <T>(fn: (tx: Transaction) => Promise<T>) => active().transaction(fn),
    // Each request's client is closed by whoever opened it.
    close: async () => {},
  }

  return {
    db,
    run: <T>(requestDb: Database, fn: () => T): T => current.run(requestDb, fn),
  }
}

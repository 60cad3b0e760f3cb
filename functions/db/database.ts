/**
 * One query interface over the two drivers we run on: postgres.js against a
 * Postgres server, PGlite in-process. Handlers, migrations and tests only see
 * this, so they cannot tell (and must not care) which database is underneath.
 */
export type Row = Record<string, unknown>

export interface Queryable {
  /** One statement with `$1…$n` parameters; returns the rows. */
  query<T extends object = Row>(text: string, params?: readonly unknown[]): Promise<T[]>
}

export interface Transaction extends Queryable {
  /** Several statements, no parameters (migrations, scripts). */
  execScript(sql: string): Promise<void>
}

export interface Database extends Transaction {
  readonly kind: 'pglite' | 'postgres'
  /** Runs `fn` in one transaction: commit when it resolves, rollback when it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>
  /**
   * Receives the payload of every NOTIFY on `channel` (committed transactions
   * only): on a server through a connection of its own, which reconnects; on
   * PGlite in-process. Resolves once listening, to the function that stops it.
   */
  listen?(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>
  close(): Promise<void>
}

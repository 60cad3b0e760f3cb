/**
 * One query interface over the two drivers we run on: postgres.js against a
 * Postgres server, PGlite in-process. Handlers, migrations and tests only see
 * this, so they cannot tell (and must not care) which database is underneath.
 */
export type Row = Record<string, unknown>

/** One statement and its parameters, as the drivers take it: what `sql\`…\`` (./sql.ts) renders. */
export interface Statement {
  readonly text: string
  readonly params: readonly unknown[]
}

export interface Queryable {
  /** One statement built with `sql\`…\``; returns the rows. */
  query<T extends object = Row>(statement: Statement): Promise<T[]>
  /** One statement with `$1…$n` parameters (scripts and tests); returns the rows. */
  query<T extends object = Row>(text: string, params?: readonly unknown[]): Promise<T[]>
}

/** Either way of calling `query`, as the text and parameters a driver sends. */
export function statementOf(statement: Statement | string, params: readonly unknown[] = []): Statement {
  return typeof statement === 'string' ? { text: statement, params } : statement
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

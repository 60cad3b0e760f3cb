import postgres from 'postgres'
import type { Database, Row, Transaction } from './database.ts'

export interface PostgresOptions {
  /** Pool size. */
  max?: number
  /**
   * Named prepared statements. Must be false behind a transaction-mode pooler
   * (Supavisor port 6543, PgBouncer), where consecutive statements of one
   * session may land on different server connections.
   */
  prepare?: boolean
  /**
   * Look up the server's array types on each new connection (postgres.js's
   * default). A Worker opens its connections per request, so it turns this off
   * to save a round trip, as Cloudflare advises for Hyperdrive: our queries
   * neither bind nor return arrays (see http/sql.ts pgTextArray).
   */
  fetchTypes?: boolean
  /** Seconds to wait for a new connection before its requests fail (postgres.js default 30). */
  connectTimeoutSeconds?: number
  /** Seconds an unused pooled connection stays open; 0 keeps it for good. */
  idleTimeoutSeconds?: number
}

/** A Database over postgres.js, for any server reachable by URL. */
export function createPostgresDatabase(url: string, options: PostgresOptions = {}): Database {
  const prepare = options.prepare ?? true
  const sql = postgres(url, {
    max: options.max ?? 10,
    prepare,
    fetch_types: options.fetchTypes ?? true,
    connect_timeout: options.connectTimeoutSeconds ?? 30,
    idle_timeout: options.idleTimeoutSeconds ?? 0,
    onnotice: () => {},
    // int8 (counts, sums) as JS numbers, as PGlite returns them: our counts stay far below 2^53.
    types: {
      bigint: { to: 20, from: [20], serialize: (v: number) => String(v), parse: (v: string) => Number(v) },
      // A string bound to a json/jsonb parameter is JSON text already, as PGlite treats it;
      // postgres.js would encode it again into a JSON string literal.
      json: {
        to: 114,
        from: [114, 3802],
        serialize: (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v)),
        parse: (v: string) => JSON.parse(v),
      },
    },
    // What pg_stat_activity and the server's log (%a in log_line_prefix) show for
    // our sessions; `?application_name=…` in the URL overrides it (a tool, a script).
    connection: { application_name: 'sales-api' },
  })

  const wrap = (run: postgres.Sql | postgres.TransactionSql): Transaction => ({
    async query<T extends object = Row>(text: string, params: readonly unknown[] = []) {
      // unsafe() prepares only when asked: our queries are fixed texts, so preparing them
      // once per connection saves parse/plan time, except behind a transaction-mode pooler.
      const rows = await run.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare })
      return rows as unknown as T[]
    },
    async execScript(text: string) {
      await run.unsafe(text).simple()
    },
  })

  return {
    kind: 'postgres',
    ...wrap(sql),
    transaction: <T>(fn: (tx: Transaction) => Promise<T>) => sql.begin((tx) => fn(wrap(tx))) as Promise<T>,
    async listen(channel: string, onPayload: (payload: string) => void) {
      const { unlisten } = await sql.listen(channel, onPayload)
      return unlisten
    },
    close: () => sql.end({ timeout: 5 }),
  }
}

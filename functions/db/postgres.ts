import postgres from 'postgres'
import { createConnectionGate } from './connection-gate.ts'
import { type Database, type Row, type Statement, statementOf, type Transaction } from './database.ts'

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
   * neither bind nor return arrays (lists travel as JSON or one text literal: see db/sql.ts).
   */
  fetchTypes?: boolean
  /** Seconds to wait for a new connection before its requests fail (postgres.js default 30). */
  connectTimeoutSeconds?: number
  /** Seconds an unused pooled connection stays open; 0 keeps it for good. */
  idleTimeoutSeconds?: number
  /** How long a transaction may wait for a pooled connection before a 503 (default 10 s, under the request timeout). */
  queueTimeoutMs?: number
  /** Transactions that may wait for a connection at once; more are refused at once (default 1,000). */
  maxQueued?: number
}

/** No connection could be made at all (as opposed to one lost mid-transaction). */
const unreachableCodes = new Set([
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
])

/** A Database over postgres.js, for any server reachable by URL. */
export function createPostgresDatabase(url: string, options: PostgresOptions = {}): Database {
  const prepare = options.prepare ?? true
  const max = options.max ?? 10
  const gate = createConnectionGate({
    permits: max,
    maxWaitMs: options.queueTimeoutMs ?? 10_000,
    maxWaiters: options.maxQueued ?? 1_000,
  })
  let failedConnects = 0
  let lastConnectedAt = 0
  const sql = postgres(url, {
    max,
    // After a lost connection postgres.js waits 0.5-1 × min(3^failures / 100, 20) s before
    // reconnecting, the failure count shared by the pool: during and after a restart, requests
    // sat up to 20 s behind that wait instead of failing fast and recovering at once
    // (tests/faults/postgres-process-restart.test.ts). A short, capped pause instead.
    backoff: (failures: number) => Math.min(0.05 * failures, 0.25),
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
    async query<T extends object = Row>(statement: Statement | string, values?: readonly unknown[]) {
      const { text, params } = statementOf(statement, values)
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
    transaction: <T>(fn: (tx: Transaction) => Promise<T>) =>
      gate.run(async () => {
        let connected = false
        try {
          return (await sql.begin((tx) => {
            connected = true
            failedConnects = 0
            lastConnectedAt = Date.now()
            return fn(wrap(tx))
          })) as T
        } catch (error) {
          // The database is unreachable when three connection attempts in a row failed (fn's own
          // errors say nothing of it) and none succeeded for two seconds: one bad connection
          // among good ones (porsager/postgres#1208 leaves some after a restart) must not turn
          // everyone away.
          if (!connected && unreachableCodes.has(String((error as { code?: unknown })?.code))) {
            failedConnects++
            if (failedConnects >= 3 && Date.now() - lastConnectedAt > 2_000)
              gate.refuseFor(1_000, 'The database cannot be reached; retry the request.')
          }
          throw error
        }
      }),
    async listen(channel: string, onPayload: (payload: string) => void) {
      const { unlisten } = await sql.listen(channel, onPayload)
      return unlisten
    },
    close: () => sql.end({ timeout: 5 }),
  }
}

import { type App, createApp } from '../app.ts'
import {
  ConfigError,
  databaseUrlOf,
  type EdgeConfig,
  edgeConfigSchema,
  parseConfig,
  preparedStatements,
} from '../config.ts'
import { createPostgresDatabase } from '../db/postgres.ts'

/**
 * Supabase's environment, completed:
 * - custom secrets may not start with SUPABASE_, so the HS256 secret can also
 *   come as JWT_SECRET (and the issuer as JWT_ISSUER);
 * - with no secret, tokens are checked against the project's JWKS, derived from
 *   the SUPABASE_URL every function receives.
 */
export function edgeEnvironment(env: Record<string, string>): Record<string, string> {
  const completed = { ...env }
  if (!completed.SUPABASE_JWT_SECRET && completed.JWT_SECRET)
    completed.SUPABASE_JWT_SECRET = completed.JWT_SECRET
  // The same rule for the issuer check: set JWT_ISSUER=https://<ref>.supabase.co/auth/v1.
  if (!completed.SUPABASE_JWT_ISSUER && completed.JWT_ISSUER)
    completed.SUPABASE_JWT_ISSUER = completed.JWT_ISSUER
  if (!completed.SUPABASE_JWT_SECRET && !completed.SUPABASE_JWKS_URL && completed.SUPABASE_URL) {
    completed.SUPABASE_JWKS_URL = new URL('/auth/v1/.well-known/jwks.json', completed.SUPABASE_URL).href
  }
  return completed
}

export interface EdgeRoot {
  config: EdgeConfig
  app: App
  /** Deno.serve's options: a port only when PORT is set (plain Deno); on Supabase the runtime picks. */
  serveOptions: { port?: number; hostname?: string }
}

/**
 * The Supabase Edge Functions root (supabase/functions/api/index.ts serves it):
 * one config, one pool per isolate, the app. Its schedules run on Supabase's
 * pg_cron, which calls the app's `POST /jobs/<name>` (supabase/cron/schedules.sql).
 */
export function openEdgeRoot(env: Record<string, string>): EdgeRoot {
  const config = parseConfig(edgeConfigSchema, edgeEnvironment(env))
  const databaseUrl = databaseUrlOf(config)
  if (!databaseUrl) throw new ConfigError(['SUPABASE_DB_URL: not set (Supabase sets it)'])
  // One pool per isolate: unlike a Worker, a Deno isolate may reuse its sockets
  // across requests. Supabase advises the transaction-mode pooler for functions,
  // which cannot keep named prepared statements: off unless DB_PREPARE says so.
  const db = createPostgresDatabase(databaseUrl, { max: 5, prepare: preparedStatements(config, false) })
  return {
    config,
    app: createApp({ db, config }),
    serveOptions: config.PORT === undefined ? {} : { port: config.PORT, hostname: config.HOST },
  }
}

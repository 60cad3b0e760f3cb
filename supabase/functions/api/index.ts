// The Supabase Edge Functions entry: the same app as the Node and Worker
// entries, on Deno. Supabase routes https://<ref>.supabase.co/functions/v1/api/*
// here and the path the function sees starts with its name, /api, which is the
// app's API_BASE_PATH. Deploying it: docs/deploy.md.

import { createApp } from '../../../functions/app.ts'
import { databaseUrlOf, parseApiConfig } from '../../../functions/config.ts'
import { createPostgresDatabase } from '../../../functions/db/postgres.ts'

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

const env = edgeEnvironment(Deno.env.toObject())
const config = parseApiConfig(env)
const databaseUrl = databaseUrlOf(config)
if (!databaseUrl) throw new Error('Invalid configuration:\n  SUPABASE_DB_URL: not set (Supabase sets it)')

// One pool per isolate: unlike a Worker, a Deno isolate may reuse its sockets
// across requests. Supabase advises the transaction-mode pooler for functions,
// which cannot keep named prepared statements: off unless DB_PREPARE says so.
const db = createPostgresDatabase(databaseUrl, {
  max: 5,
  prepare: env.DB_PREPARE ? config.DB_PREPARE : false,
})
const app = createApp({ db, config })

// Supabase serves whatever is passed to Deno.serve; PORT only matters when
// running this file with plain Deno (tests, local runs).
const port = env.PORT ? Number(env.PORT) : undefined
Deno.serve(port === undefined ? {} : { port, hostname: env.HOST ?? '127.0.0.1' }, app.fetch)

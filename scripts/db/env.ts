import { resolve } from 'node:path'
import { z } from 'zod'
import { booleanString } from '../../functions/config.ts'
import type { Database } from '../../functions/db/database.ts'
import { openDatabase } from '../../functions/db/open.ts'

/** What the developer commands read from the environment; a wrong value stops them, naming it. */
const scriptEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().min(1).default('.data'),
  // The server's connection pool (PGlite is one connection). Requests beyond the
  // pool wait their turn for a connection; they are not refused.
  DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  DB_CONNECT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  DB_IDLE_TIMEOUT_SECONDS: z.coerce.number().int().min(0).default(300),
  /** How long a request waits for a pooled connection before a 503; keep it under REQUEST_TIMEOUT_MS. */
  DB_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** false behind a transaction-mode pooler (Supavisor :6543, PgBouncer). */
  DB_PREPARE: booleanString.default(true),
})

export type ScriptEnv = z.infer<typeof scriptEnvSchema>

export function readScriptEnv(env: NodeJS.ProcessEnv = process.env): ScriptEnv {
  const parsed = scriptEnvSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')
    throw new Error(`Invalid environment:\n${problems}`)
  }
  return parsed.data
}

/** PGlite keeps its files in `<DATA_DIR>/pglite`. */
export function pgliteDataDir(env: ScriptEnv): string {
  return resolve(env.DATA_DIR, 'pglite')
}

/** The database the developer commands act on, and a line saying which it is. */
export async function openScriptDatabase(env = readScriptEnv()): Promise<{ db: Database; where: string }> {
  const dataDir = pgliteDataDir(env)
  const db = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir,
    max: env.DB_POOL_MAX,
    connectTimeoutSeconds: env.DB_CONNECT_TIMEOUT_SECONDS,
    idleTimeoutSeconds: env.DB_IDLE_TIMEOUT_SECONDS,
    queueTimeoutMs: env.DB_QUEUE_TIMEOUT_MS,
    prepare: env.DB_PREPARE,
  })
  const where = env.DATABASE_URL
    ? `Postgres at ${redactUrl(env.DATABASE_URL)}`
    : `embedded PGlite in ${dataDir}`
  return { db, where }
}

/** A URL fit for a log line: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(unparseable URL)'
  }
}

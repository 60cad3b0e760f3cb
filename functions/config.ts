import { z } from 'zod'

/** In rising order of severity; `silent` writes nothing. */
export const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const

const booleanString = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')
const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v)

/** PDF, PNG, JPEG, plain text and the Office formats (docx, xlsx, pptx). */
export const defaultDocumentTypes = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'text/plain',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
] as const

const optionalUrl = () => z.preprocess(emptyAsUndefined, z.url().optional())
const portNumber = z.coerce.number().int().min(0).max(65535)
const postgresUrl = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
)

/**
 * The API's own settings, named as Supabase names them so the same values work
 * locally, on Supabase Edge Functions and on Cloudflare Workers. Every runtime
 * parses these (with the settings of its own below) once, at start-up; a
 * missing or wrong value stops it, naming the variable.
 */
const apiSettings = {
  SUPABASE_URL: optionalUrl(),
  SUPABASE_ANON_KEY: z.preprocess(emptyAsUndefined, z.string().min(20).optional()),
  SUPABASE_SERVICE_ROLE_KEY: z.preprocess(emptyAsUndefined, z.string().min(20).optional()),
  SUPABASE_JWT_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, 'must be at least 32 characters (the project JWT secret)').optional(),
  ),
  SUPABASE_JWKS_URL: optionalUrl(),
  /** When set, tokens must name this issuer (`https://<ref>.supabase.co/auth/v1`); unset, `iss` is not checked. */
  SUPABASE_JWT_ISSUER: optionalUrl(),
  CORS_ORIGINS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default('http://localhost:8787')
      .transform((s) =>
        s
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.union([z.literal('*'), z.url()]))),
  ),
  API_BASE_PATH: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^(\/[a-z0-9._-]+)*$/, 'must be empty or like /api')
      .default('/api'),
  ),
  BODY_LIMIT_BYTES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1024).default(1_048_576)),
  /** The body limit of POST /orgs/{orgId}/imports/customers|contacts, which take whole files (50 MiB). */
  IMPORT_BODY_LIMIT_BYTES: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1024).default(52_428_800),
  ),
  /** A request still running after this many ms answers 503 (longer than the role's 8 s statement_timeout on purpose). */
  REQUEST_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).default(15_000)),
  /** The imports' own limit: 100,000 rows take about a minute (docs/import-export.md). */
  IMPORT_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1000).default(300_000)),
  /** Which log lines are written: `info` is one per request; `warn` keeps problems only. */
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(logLevels).default('info')),
  /** The shared secret a scheduler sends in `X-Jobs-Secret` to POST /jobs/<schedule>; unset disables them. */
  JOBS_SECRET: z.preprocess(
    emptyAsUndefined,
    z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  ),
  /**
   * The bearer token a Prometheus scrape sends to GET /metrics (Node entry only);
   * unset, /metrics is open, so keep it off the public network.
   */
  METRICS_TOKEN: z.preprocess(
    emptyAsUndefined,
    z.string().min(16, 'must be at least 16 characters (e.g. `openssl rand -hex 32`)').optional(),
  ),
  /** The largest document file an upload URL is issued for, in bytes (25 MB). */
  DOCUMENT_MAX_BYTES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).default(26_214_400)),
  /** The media types a document file may have, comma separated (`type/subtype`). */
  DOCUMENT_ALLOWED_TYPES: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default(defaultDocumentTypes.join(','))
      .transform((s) =>
        s
          .split(',')
          .map((t) => t.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(z.string().regex(/^[a-z]+\/[a-z0-9.+_-]+$/, 'must be media types like application/pdf'))
          .min(1),
      ),
  ),
}

/**
 * Where the database is and how a process holds its connections: every DB_*
 * setting, declared here only. The developer commands (migrate, seed, …) read
 * these alone; the Node server reads them with the API's.
 */
const databaseSettings = {
  /** A Postgres server; unset, the embedded PGlite in DATA_DIR. */
  DATABASE_URL: postgresUrl,
  /** PGlite keeps its files in `<DATA_DIR>/pglite` (the local stack its Storage files in `<DATA_DIR>/storage`). */
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().min(1).default('.data')),
  // The server's connection pool (PGlite is one connection). Requests beyond the
  // pool wait their turn for a connection; they are not refused.
  DB_POOL_MAX: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(500).default(10)),
  DB_CONNECT_TIMEOUT_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number().int().min(1).max(300).default(10),
  ),
  DB_IDLE_TIMEOUT_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).default(300)),
  /** How long a request waits for a pooled connection before a 503; keep it under REQUEST_TIMEOUT_MS. */
  DB_QUEUE_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).default(10_000)),
  /**
   * Named prepared statements: false behind a transaction-mode pooler (Supavisor
   * :6543, PgBouncer). Unset, each runtime picks (`preparedStatements`).
   */
  DB_PREPARE: z.preprocess(emptyAsUndefined, booleanString.optional()),
}

/** Where a server listens. */
const listenSettings = {
  PORT: z.preprocess(emptyAsUndefined, portNumber.default(8787)),
  HOST: z.preprocess(emptyAsUndefined, z.string().min(1).default('127.0.0.1')),
}

/** Edge runtimes reach a server only: Supabase hands its functions SUPABASE_DB_URL. */
const serverDatabaseSettings = {
  DATABASE_URL: databaseSettings.DATABASE_URL,
  SUPABASE_DB_URL: postgresUrl,
  DB_PREPARE: databaseSettings.DB_PREPARE,
}

/** A token can be verified only with the project's secret or its JWKS. */
const hasTokenKey = (c: {
  SUPABASE_JWT_SECRET?: string | undefined
  SUPABASE_JWKS_URL?: string | undefined
}) => Boolean(c.SUPABASE_JWT_SECRET || c.SUPABASE_JWKS_URL)
const noTokenKey = {
  message: 'set SUPABASE_JWT_SECRET (HS256) or SUPABASE_JWKS_URL (asymmetric keys)',
  path: ['SUPABASE_JWT_SECRET'],
  // Checked even when other values are wrong, so one start-up names every problem.
  when: () => true,
}

/** What the app itself reads (createApp, its routes); tests build apps from it. */
export const apiConfigSchema = z.object(apiSettings).refine(hasTokenKey, noTokenKey)

/** The developer commands' environment: the database and nothing else. */
export const databaseConfigSchema = z.object(databaseSettings)

/** The Node root (functions/entries/node.ts): the API, its database and pool, its address. */
export const nodeConfigSchema = z
  .object({ ...apiSettings, ...databaseSettings, ...listenSettings })
  .refine(hasTokenKey, noTokenKey)

/** The Worker root (functions/entries/worker.ts); the database is its Hyperdrive binding, or a URL. */
export const workerConfigSchema = z
  .object({ ...apiSettings, ...serverDatabaseSettings })
  .refine(hasTokenKey, noTokenKey)

/**
 * The Supabase Edge root (functions/entries/edge.ts). PORT matters only to
 * plain Deno (tests, local runs): on Supabase the runtime picks the socket.
 */
export const edgeConfigSchema = z
  .object({
    ...apiSettings,
    ...serverDatabaseSettings,
    PORT: z.preprocess(emptyAsUndefined, portNumber.optional()),
    HOST: listenSettings.HOST,
  })
  .refine(hasTokenKey, noTokenKey)

export type ApiConfig = z.infer<typeof apiConfigSchema>
export type DatabaseConfig = z.infer<typeof databaseConfigSchema>
export type NodeConfig = z.infer<typeof nodeConfigSchema>
export type WorkerConfig = z.infer<typeof workerConfigSchema>
export type EdgeConfig = z.infer<typeof edgeConfigSchema>

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** Parses an environment (process.env, a Worker's env, Deno.env.toObject()) with one root's schema. */
export function parseConfig<S extends z.ZodType>(schema: S, env: Record<string, unknown>): z.infer<S> {
  const result = schema.safeParse(env)
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`))
  }
  return result.data
}

/** The app's settings alone (tests, scripts that build an app). */
export const parseApiConfig = (env: Record<string, unknown>): ApiConfig => parseConfig(apiConfigSchema, env)

/** The database URL an edge root should use: Edge Functions receive SUPABASE_DB_URL. */
export function databaseUrlOf(config: WorkerConfig | EdgeConfig): string | undefined {
  return config.DATABASE_URL ?? config.SUPABASE_DB_URL
}

/**
 * Whether to use named prepared statements: DB_PREPARE when set, else the
 * runtime's default (true on Node and Workers; false on Edge Functions, which
 * Supabase points at its transaction-mode pooler).
 */
export function preparedStatements(
  config: { DB_PREPARE?: boolean | undefined },
  byDefault: boolean,
): boolean {
  return config.DB_PREPARE ?? byDefault
}

import { z } from 'zod'

/** In rising order of severity; `silent` writes nothing. */
export const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const

export const booleanString = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')
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

/**
 * The API's environment, named as Supabase names it so the same values work
 * locally, on Supabase Edge Functions and on Cloudflare Workers. Parsed once
 * per entry; a missing or wrong value stops start-up, naming it.
 */
export const apiConfigSchema = z
  .object({
    SUPABASE_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
    SUPABASE_ANON_KEY: z.preprocess(emptyAsUndefined, z.string().min(20).optional()),
    SUPABASE_SERVICE_ROLE_KEY: z.preprocess(emptyAsUndefined, z.string().min(20).optional()),
    SUPABASE_JWT_SECRET: z.preprocess(
      emptyAsUndefined,
      z.string().min(32, 'must be at least 32 characters (the project JWT secret)').optional(),
    ),
    SUPABASE_JWKS_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
    /** When set, tokens must name this issuer (`https://<ref>.supabase.co/auth/v1`); unset, `iss` is not checked. */
    SUPABASE_JWT_ISSUER: z.preprocess(emptyAsUndefined, z.url().optional()),
    SUPABASE_DB_URL: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//)
        .optional(),
    ),
    DATABASE_URL: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
        .optional(),
    ),
    /** false behind a transaction-mode pooler (Supavisor :6543, PgBouncer). */
    DB_PREPARE: z.preprocess(emptyAsUndefined, booleanString.default(true)),
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
    /** The shared secret a scheduler sends in `X-Jobs-Secret` to POST /jobs/nightly; unset disables it. */
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
  })
  .refine((c) => c.SUPABASE_JWT_SECRET || c.SUPABASE_JWKS_URL, {
    message: 'set SUPABASE_JWT_SECRET (HS256) or SUPABASE_JWKS_URL (asymmetric keys)',
    path: ['SUPABASE_JWT_SECRET'],
  })

export type ApiConfig = z.infer<typeof apiConfigSchema>

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  ${i}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** Parses an environment (process.env, a Worker's env, Deno.env.toObject()). */
export function parseApiConfig(env: Record<string, unknown>): ApiConfig {
  const result = apiConfigSchema.safeParse(env)
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`))
  }
  return result.data
}

/** The database URL an entry should use: Edge Functions receive SUPABASE_DB_URL. */
export function databaseUrlOf(config: ApiConfig): string | undefined {
  return config.DATABASE_URL ?? config.SUPABASE_DB_URL
}

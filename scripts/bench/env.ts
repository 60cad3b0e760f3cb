// The bench's settings, from the environment; a wrong value stops it, naming it.

import { z } from 'zod'

const schema = z.object({
  DATABASE_URL: z
    .string({
      error:
        'is required: npm run bench measures a Postgres server, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench npm run bench',
    })
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL'),
  /** Seconds of load per endpoint and mode. */
  BENCH_DURATION: z.coerce.number().int().min(1).max(300).default(10),
  /** Discarded seconds before each measured run (connections open, statements prepared, caches warm). */
  BENCH_WARMUP: z.coerce.number().int().min(0).max(30).default(1),
  /** HTTP connections, and concurrent SQL loops. */
  BENCH_CONNECTIONS: z.coerce.number().int().min(1).max(500).default(50),
  /** Postgres connections of the API's pool and of the baselines' (the API's default is 10). */
  BENCH_POOL: z.coerce.number().int().min(1).max(200).default(10),
  /** Only endpoints whose name contains this (for trying the bench out). */
  BENCH_ONLY: z.string().optional(),
  /** Cold loads of the dashboard's overview in headless Chromium, after the API runs. */
  BENCH_DASHBOARD_RUNS: z.coerce.number().int().min(1).max(50).default(5),
  /** 1: leave the dashboard out (no build sizes, no Chromium). */
  BENCH_SKIP_DASHBOARD: z
    .enum(['0', '1'], { error: 'must be 1 (skip the dashboard) or 0' })
    .default('0')
    .transform((v) => v === '1'),
})

export type BenchEnv = z.infer<typeof schema>

export function readBenchEnv(env: NodeJS.ProcessEnv = process.env): BenchEnv {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')))
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')
    throw new Error(`npm run bench cannot start:\n${problems}`)
  }
  return parsed.data
}

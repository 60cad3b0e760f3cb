import { defineConfig } from 'vitest/config'
import { globalSetup, limits } from './vitest.config.ts'

/**
 * The fault suite (`npm run test:faults`): loads, killed connections and
 * outages against a real Postgres server. Kept out of `npm test` because its
 * loads need the machine to themselves; CI runs it as its own step, one file at a time.
 */
export default defineConfig({
  test: {
    ...limits,
    globalSetup,
    include: ['tests/faults/**/*.test.ts'],
    maxWorkers: 1,
    // Each file installs process-wide guards (uncaughtException listeners) and kills servers: a fresh process each.
    isolate: true,
  },
})

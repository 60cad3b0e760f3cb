import { defineConfig } from 'vitest/config'
import base from './vitest.config.ts'

/**
 * The fault suite (`npm run test:faults`): loads, killed connections and
 * outages against a real Postgres server. Kept out of `npm test` because its
 * loads need the machine to themselves; CI runs it as its own step, one file at a time.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: ['tests/faults/**/*.test.ts'],
    exclude: [],
    maxWorkers: 1,
  },
})

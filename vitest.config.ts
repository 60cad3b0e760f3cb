import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    globalSetup: ['tests/support/global-setup.ts'],
    include: ['functions/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/**/*.test.ts', 'web/src/**/*.test.ts'],
    // The fault suite needs the machine to itself: `npm run test:faults` (vitest.faults.config.ts).
    exclude: ['**/node_modules/**', 'tests/faults/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file loads its own database; two cores here, so a few files at a time.
    maxWorkers: 3,
  },
})

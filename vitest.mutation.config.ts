import { defineConfig } from 'vitest/config'
import { globalSetup, limits } from './vitest.config.ts'

/**
 * The tests StrykerJS runs against each mutant (`npm run test:mutation`,
 * stryker.config.mjs): the API's route and HTTP tests, and the webhook and
 * import tests that share the customers' writes: what kills a mutant of
 * functions/http or of the customers routes and queries.
 */
export default defineConfig({
  test: {
    ...limits,
    globalSetup,
    include: [
      'functions/http/**/*.test.ts',
      'functions/queries/**/*.test.ts',
      'functions/routes/**/*.test.ts',
      // The webhook pipeline shares the customers' writes (queries/customers.ts); the importer's
      // tests are the transfer route's.
      'functions/webhooks/pipeline.test.ts',
    ],
  },
})

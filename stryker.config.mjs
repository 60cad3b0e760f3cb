/**
 * Mutation testing (`npm run test:mutation`): StrykerJS changes the code under
 * `mutate` one small edit at a time (a condition flipped, a branch emptied, a
 * string blanked) and runs the tests that cover it; a mutant the tests let
 * live is a behaviour no test holds. Reports go to .data/mutation/.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [
    'functions/http/**/*.ts',
    'functions/routes/customers/**/*.ts',
    'functions/queries/customers.ts',
    // What functions/http held before the query layer took its data access (issue 18).
    'functions/queries/{as-caller,keyset,row-versions,visibility}.ts',
    '!**/*.test.ts',
  ],
  coverageAnalysis: 'perTest',
  // Two cores here; the tests themselves open databases.
  concurrency: 2,
  timeoutMS: 30_000,
  // The first, unmutated run of every test (perTest coverage) takes minutes on two loaded cores.
  dryRunTimeoutMinutes: 20,
  ignoreStatic: true,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: '.data/mutation/report.html' },
  jsonReporter: { fileName: '.data/mutation/report.json' },
  tempDirName: '.data/stryker-tmp',
  // A rerun tests only the mutants whose code or covering tests changed.
  incremental: true,
  incrementalFile: '.data/mutation/stryker-incremental.json',
  thresholds: { high: 90, low: 80, break: null },
}

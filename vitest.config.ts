import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'
import { SlowFirstSequencer } from './tests/support/slow-first-sequencer.ts'

/** Limits every suite shares (the fault suite too: vitest.faults.config.ts). */
export const limits = { testTimeout: 60_000, hookTimeout: 120_000 }

/** Migrates the run's template database (and starts preparing the browser suite's data) once per run. */
export const globalSetup = ['tests/support/global-setup.ts']

export default defineConfig({
  test: {
    ...limits,
    globalSetup,
    // Files spend much of their time waiting on other processes (npm start,
    // Chromium, workerd, Postgres) and on timers: one worker more than there
    // are cores keeps the cores busy (measured on 2 cores: docs/testing.md).
    maxWorkers: availableParallelism() + 1,
    // The slowest files first, so none of them is left running alone at the end.
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      {
        test: {
          ...limits,
          name: 'node',
          include: ['functions/**/*.test.ts', 'scripts/**/*.test.ts', 'tests/**/*.test.ts'],
          // The fault suite needs the machine to itself: `npm run test:faults` (vitest.faults.config.ts).
          exclude: ['**/node_modules/**', 'tests/faults/**'],
          // A worker runs file after file without reloading the modules they
          // share: half the CPU of a run here. Safe because this code keeps no
          // state across files (caches are per app, per database or per
          // config object; every file opens and closes its own database and
          // servers). A file that must start from fresh modules goes in the
          // web project's way: see docs/testing.md.
          isolate: false,
        },
      },
      {
        test: {
          ...limits,
          name: 'web',
          include: ['web/src/**/*.test.ts'],
          // The dashboard's modules keep state by design (a tab's own writes,
          // members per organization): each file gets them fresh.
          isolate: true,
        },
      },
    ],
  },
})

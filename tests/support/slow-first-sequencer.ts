import { relative } from 'node:path'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * The files that take longest (measured with file-timings-reporter.ts, see
 * docs/testing.md), slowest first. A folder ends with `/`. Starting them first
 * keeps the last minute of a run from being one of them running alone while
 * the other cores idle. A file missing here only starts later; a file listed
 * that no longer exists is ignored.
 */
export const slowFiles = [
  'scripts/transfer/round-trip.test.ts',
  'tests/security/fuzz.test.ts',
  'functions/routes/transfer/transfer.test.ts',
  'tests/e2e/local-stack.test.ts',
  'functions/webhooks/burst.test.ts',
  'tests/browser/',
  'functions/db/data-dir-lock.test.ts',
  'scripts/db/backup/backup.test.ts',
  'scripts/db/migrations.test.ts',
  'tests/realtime/',
  'tests/runtimes/',
  'scripts/deploy/',
  'scripts/seed/',
]

/** Whether a `slowFiles` entry names this file (itself, or the folder it is in). */
const names = (entry: string, file: string) => (entry.endsWith('/') ? file.startsWith(entry) : file === entry)

/** The rank of a file in `slowFiles`, or undefined. */
export function slowRank(file: string): number | undefined {
  const index = slowFiles.findIndex((entry) => names(entry, file))
  return index === -1 ? undefined : index
}

/**
 * Vitest's own order (by project; the last run's durations when it has them,
 * else larger files first), with the files known to be slow moved to the front
 * of their project, in `slowFiles` order.
 */
export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const root = this.ctx.config.root
    const rank = (spec: TestSpecification) => slowRank(relative(root, spec.moduleId)) ?? slowFiles.length
    const position = new Map(sorted.map((spec, i) => [spec, i]))
    // Projects keep vitest's order (a worker is reused only by files of its own project).
    const projectStart = new Map<string, number>()
    sorted.forEach((spec, i) => {
      if (!projectStart.has(spec.project.name)) projectStart.set(spec.project.name, i)
    })
    const key = (spec: TestSpecification): [number, number, number] => [
      projectStart.get(spec.project.name) ?? 0,
      rank(spec),
      position.get(spec) ?? 0,
    ]
    return [...sorted].sort((a, b) => {
      const [a0, a1, a2] = key(a)
      const [b0, b1, b2] = key(b)
      return a0 - b0 || a1 - b1 || a2 - b2
    })
  }
}

import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, relative } from 'node:path'
import type { Reporter, TestModule } from 'vitest/node'

/**
 * Where a run's time goes, file by file: when each file was handed to a worker
 * and when it ended (seconds from the run's start), and its import, hook and
 * test time. For finding what to make faster, not a test:
 *
 *   npx vitest run --reporter=default --reporter=./tests/support/file-timings-reporter.ts
 *
 * writes .data/file-timings.json (FILE_TIMINGS_OUT to change) and prints the ten slowest files.
 */
export default class FileTimingsReporter implements Reporter {
  private started = performance.now()
  private queued = new Map<string, number>()
  private root = process.cwd()

  onTestRunStart() {
    this.started = performance.now()
  }

  onTestModuleQueued(module: TestModule) {
    this.queued.set(module.moduleId, this.now())
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    const files = modules.map((module) => {
      const d = module.diagnostic()
      const tests = [...module.children.allTests()].reduce(
        (sum, t) => sum + (t.diagnostic()?.duration ?? 0),
        0,
      )
      const queued = this.queued.get(module.moduleId) ?? 0
      // prepare + collect (imports) + hooks and tests: the worker's time on this file.
      const busy = (d.prepareDuration + d.collectDuration + d.setupDuration + d.duration) / 1000
      return {
        file: relative(this.root, module.moduleId),
        state: module.state(),
        queued: round(queued),
        ended: round(queued + busy),
        busy: round(busy),
        import: round((d.prepareDuration + d.collectDuration + d.setupDuration) / 1000),
        hooks: round((d.duration - tests) / 1000),
        tests: round(tests / 1000),
      }
    })
    files.sort((a, b) => b.busy - a.busy)
    const out = process.env.FILE_TIMINGS_OUT || '.data/file-timings.json'
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, `${JSON.stringify({ wall: round(this.now()), files }, null, 1)}\n`)
    const sum = (key: 'busy' | 'import' | 'hooks' | 'tests') =>
      round(files.reduce((total, f) => total + f[key], 0))
    console.log(
      `\nFile timings (${out}): wall ${round(this.now())} s; summed over files: ` +
        `busy ${sum('busy')} s = import ${sum('import')} + hooks ${sum('hooks')} + tests ${sum('tests')}`,
    )
    for (const f of files.slice(0, 10))
      console.log(
        `  ${String(f.busy).padStart(7)} s  (import ${f.import}, hooks ${f.hooks}, tests ${f.tests}, from ${f.queued} s)  ${f.file}`,
      )
  }

  private now() {
    return (performance.now() - this.started) / 1000
  }
}

const round = (seconds: number) => Math.round(seconds * 10) / 10

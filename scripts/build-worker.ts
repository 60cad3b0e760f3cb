// tsx scripts/build-worker.ts [outdir] — bundle the Worker (wrangler.toml) without deploying it.

import { execFile } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { runMain } from './db/run-main.ts'

const repoRoot = resolve(import.meta.dirname, '..')

export interface WorkerBundle {
  outdir: string
  /** The bundled entry module, what Miniflare's scriptPath or `wrangler deploy --no-bundle` takes. */
  scriptPath: string
}

/**
 * `wrangler deploy --dry-run --outdir`: wrangler's own bundling (esbuild plus
 * its nodejs_compat polyfills), exactly what a deploy would upload.
 */
export async function buildWorker(outdir = join(repoRoot, 'dist/worker')): Promise<WorkerBundle> {
  const wrangler = join(repoRoot, 'node_modules/.bin/wrangler')
  await promisify(execFile)(wrangler, ['deploy', '--dry-run', '--outdir', outdir], {
    cwd: repoRoot,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    timeout: 300_000,
    maxBuffer: 16 * 1024 * 1024,
  })
  const entry = (await readdir(outdir)).find((name) => name === 'worker.js')
  if (!entry) throw new Error(`wrangler wrote no worker.js into ${outdir}`)
  return { outdir, scriptPath: join(outdir, entry) }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runMain(async () => {
    const started = performance.now()
    const bundle = await buildWorker(process.argv[2] ? resolve(process.argv[2]) : undefined)
    console.log(`Bundled ${bundle.scriptPath} in ${Math.round(performance.now() - started)} ms`)
  })
}

// npm run deploy:cloudflare -- --env staging|production [--dry-run] [--outdir <dir>]
//
// Deploys the API Worker to one wrangler.toml environment. It always bundles
// first with `wrangler deploy --dry-run` (no account needed: it builds and
// validates the bundle and lists the bindings it would get), refuses a real
// deploy while that environment still has a placeholder Hyperdrive id, and
// only then runs `wrangler deploy --env <env>`.

import { spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { runMain } from '../db/run-main.ts'

const repoRoot = resolve(import.meta.dirname, '../..')
const wrangler = join(repoRoot, 'node_modules/.bin/wrangler')

export const cloudflareEnvironments = ['staging', 'production'] as const
export type CloudflareEnvironment = (typeof cloudflareEnvironments)[number]

/** The ids wrangler.toml ships with: a deploy with one of them would bind no database. */
export const placeholderHyperdriveIds = [
  '00000000000000000000000000000000',
  '57a9000000000000000000000000000a',
  '0000000000000000000000000000bead',
]

export interface CloudflareDeployOptions {
  env: CloudflareEnvironment
  dryRun: boolean
  /** Where the dry run writes the bundle (default: a new temporary folder). */
  outdir?: string
  /** Echo wrangler's output as it comes (the command line does; tests do not). */
  echo?: boolean
}

export interface CloudflareDeployResult {
  outdir: string
  /** What `wrangler deploy --dry-run` printed: the bundle size and the bindings table. */
  dryRunOutput: string
  /** Each binding wrangler listed, e.g. `{ CORS_ORIGINS: '"https://…"', HYPERDRIVE: '0123…' }`. */
  bindings: Record<string, string>
  deployed: boolean
}

export function parseCloudflareArgs(argv: string[]): Omit<CloudflareDeployOptions, 'echo'> {
  const { values } = parseArgs({
    args: argv,
    options: {
      env: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      outdir: { type: 'string' },
    },
  })
  const env = values.env as CloudflareEnvironment
  if (!cloudflareEnvironments.includes(env)) {
    throw new Error(
      `--env must be one of ${cloudflareEnvironments.join(', ')} (got ${values.env ?? 'nothing'})`,
    )
  }
  return { env, dryRun: values['dry-run'] ?? false, outdir: values.outdir && resolve(values.outdir) }
}

/** Reads wrangler's bindings table: `env.NAME (value)   Kind`. Values longer than ~40 characters are cut by wrangler. */
export function parseBindings(output: string): Record<string, string> {
  const bindings: Record<string, string> = {}
  for (const match of output.matchAll(/^env\.([A-Z0-9_]+) \((.*)\)\s{2,}\S.*$/gm)) {
    bindings[match[1] as string] = match[2] as string
  }
  return bindings
}

export async function deployCloudflare(options: CloudflareDeployOptions): Promise<CloudflareDeployResult> {
  const outdir = options.outdir ?? (await mkdtemp(join(tmpdir(), `sales-worker-${options.env}-`)))
  const dryRunOutput = await runWrangler(
    ['deploy', '--dry-run', '--env', options.env, '--outdir', outdir],
    options.echo ?? false,
  )
  const bindings = parseBindings(dryRunOutput)
  if (options.dryRun) return { outdir, dryRunOutput, bindings, deployed: false }

  const hyperdrive = bindings.HYPERDRIVE
  if (!hyperdrive || placeholderHyperdriveIds.includes(hyperdrive)) {
    throw new Error(
      `wrangler.toml [[env.${options.env}.hyperdrive]] still has the placeholder id ${hyperdrive ?? '(none)'}: ` +
        `create the configuration (npx wrangler hyperdrive create …) and put its id there. See docs/deploy.md.`,
    )
  }
  await runWrangler(['deploy', '--env', options.env], true)
  return { outdir, dryRunOutput, bindings, deployed: true }
}

/** Runs wrangler from the repository root; resolves with everything it printed, rejects on a non-zero exit. */
function runWrangler(args: string[], echo: boolean): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(wrangler, args, {
      cwd: repoRoot,
      // No usage metrics, no colour codes in what we parse.
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['inherit', 'pipe', 'pipe'],
    })
    let output = ''
    const collect = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString()
      if (echo) stream.write(chunk)
    }
    child.stdout.on('data', collect(process.stdout))
    child.stderr.on('data', collect(process.stderr))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolvePromise(output)
      else reject(new Error(`wrangler ${args.join(' ')} exited with ${code}${echo ? '' : `:\n${output}`}`))
    })
  })
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runMain(async () => {
    const options = parseCloudflareArgs(process.argv.slice(2))
    const result = await deployCloudflare({ ...options, echo: true })
    console.log(
      result.deployed
        ? `\nDeployed the Worker to ${options.env}.`
        : `\nDry run for ${options.env}: the bundle is in ${result.outdir}; nothing was uploaded.`,
    )
  })
}

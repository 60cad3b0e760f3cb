// npm run deploy:supabase -- --project-ref <ref> [--dry-run] [--db-url <postgres url>]
//
// Applies the migrations (`supabase db push`) and deploys the API as the Edge
// Function `api` (`supabase functions deploy api --no-verify-jwt`) to one
// hosted project. Needs `npx supabase login` (or SUPABASE_ACCESS_TOKEN) and
// the database password (SUPABASE_DB_PASSWORD), except for a dry run.
//
// --dry-run prints the commands and runs only `supabase db push --dry-run`
// (which lists the migrations it would apply) when --db-url names a database
// it can reach; with a project ref alone that would need the account, so it is
// printed, not run. Seed data is never pushed: `db push` without --include-seed.

import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { runMain } from '../db/run-main.ts'

const repoRoot = resolve(import.meta.dirname, '../..')
const supabaseBin = resolve(repoRoot, 'node_modules/.bin/supabase')

export interface SupabaseDeployOptions {
  /** The project's reference: 20 lowercase letters (Settings → General). */
  projectRef: string
  dryRun: boolean
  /** Push the migrations to this database instead of the project's (e.g. a staging copy). */
  dbUrl?: string
}

export interface SupabaseCommand {
  /** What it does, for the log. */
  title: string
  args: string[]
}

export function parseSupabaseArgs(argv: string[]): SupabaseDeployOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'project-ref': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'db-url': { type: 'string' },
    },
  })
  const projectRef = values['project-ref'] ?? ''
  if (!/^[a-z]{20}$/.test(projectRef)) {
    throw new Error(
      `--project-ref must be the project's reference, 20 lowercase letters (got ${projectRef || 'nothing'})`,
    )
  }
  const dbUrl = values['db-url']
  if (dbUrl !== undefined && !/^postgres(ql)?:\/\//.test(dbUrl))
    throw new Error('--db-url must be a postgres:// URL')
  return { projectRef, dryRun: values['dry-run'] ?? false, dbUrl }
}

/** The Supabase CLI commands a deploy runs, in order. */
export function supabaseDeployCommands({
  projectRef,
  dryRun,
  dbUrl,
}: SupabaseDeployOptions): SupabaseCommand[] {
  const target = dbUrl ? ['--db-url', dbUrl] : ['--project-ref', projectRef]
  return [
    {
      title: dryRun ? 'List the migrations the database lacks' : 'Apply the migrations',
      args: ['db', 'push', ...target, ...(dryRun ? ['--dry-run'] : [])],
    },
    {
      // --no-verify-jwt: the app verifies tokens itself and answers preflights and
      // /api/health, which carry none (supabase/config.toml [functions.api]).
      title: 'Deploy the Edge Function api',
      args: ['functions', 'deploy', 'api', '--no-verify-jwt', '--project-ref', projectRef],
    },
  ]
}

/** `supabase …` as a shell line, with the password of a --db-url hidden. */
export function printable(command: SupabaseCommand): string {
  return ['npx supabase', ...command.args.map(redact)].join(' ')
}

function redact(arg: string): string {
  if (!/^postgres(ql)?:\/\//.test(arg)) return arg
  try {
    const url = new URL(arg)
    if (url.password) url.password = '***'
    return url.toString()
  } catch {
    return '(a database URL)'
  }
}

export async function deploySupabase(
  options: SupabaseDeployOptions,
  out: (line: string) => void = console.log,
): Promise<void> {
  const [push, functions] = supabaseDeployCommands(options) as [SupabaseCommand, SupabaseCommand]
  if (options.dryRun) {
    out('Dry run: nothing is deployed. A deploy runs:')
    for (const command of supabaseDeployCommands({ ...options, dryRun: false }))
      out(`  ${printable(command)}`)
    if (!options.dbUrl) {
      out(`To see the migrations it would apply (needs the account): ${printable(push)}`)
      return
    }
    out(`\n${push.title}: ${printable(push)}`)
    await runSupabase(push.args, out)
    return
  }
  for (const command of [push, functions]) {
    out(`\n${command.title}: ${printable(command)}`)
    await runSupabase(command.args, out)
  }
}

/** Runs the CLI from the repository root (it finds supabase/ there), without telemetry or its release check. */
function runSupabase(args: string[], out: (line: string) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(supabaseBin, args, {
      cwd: repoRoot,
      env: {
        ...process.env,
        SUPABASE_TELEMETRY_DISABLED: '1',
        DO_NOT_TRACK: '1',
        SUPABASE_NO_UPDATE_NOTIFIER: '1',
      },
      stdio: ['inherit', 'pipe', 'pipe'],
    })
    let pending = ''
    const collect = (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) out(line)
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    child.on('error', reject)
    child.on('close', (code) => {
      if (pending) out(pending)
      if (code === 0) resolvePromise()
      else reject(new Error(`supabase ${args.map(redact).join(' ')} exited with ${code}`))
    })
  })
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runMain(() => deploySupabase(parseSupabaseArgs(process.argv.slice(2))))
}

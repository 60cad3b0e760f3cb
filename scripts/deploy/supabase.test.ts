import { execFile } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultDocumentTypes, parseApiConfig } from '../../functions/config.ts'
import type { Database } from '../../functions/db/database.ts'
import { createPostgresDatabase } from '../../functions/db/postgres.ts'
import { databaseUrlFor, testServerUrl } from '../../tests/support/server-url.ts'
import { readMigrations } from '../db/migrations.ts'
import { deploySupabase, parseSupabaseArgs, printable, supabaseDeployCommands } from './supabase.ts'

const repoRoot = new URL('../../', import.meta.url).pathname
const supabaseBin = join(repoRoot, 'node_modules/.bin/supabase')
const serverUrl = testServerUrl()
const projectRef = 'abcdefghijklmnopqrst'

let home: string
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'sales-supabase-deploy-'))
})
afterAll(async () => {
  if (home) await rm(home, { recursive: true, force: true })
})

/** The CLI, offline and without telemetry, its state files in a temporary HOME. */
async function supabase(args: string[], cwd = repoRoot) {
  const env = {
    ...process.env,
    HOME: home,
    SUPABASE_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
    SUPABASE_NO_UPDATE_NOTIFIER: '1',
  }
  return promisify(execFile)(supabaseBin, args, { cwd, env, timeout: 60_000 })
}

/** Every `table.key` a config.toml sets (commented lines too, when `commented`), map names as `*`. */
function keyPaths(toml: string, { commented }: { commented: boolean }): Set<string> {
  const paths = new Set<string>()
  let table = ''
  for (const raw of toml.split('\n')) {
    const line = commented ? raw.replace(/^#\s?/, '') : raw
    const header = line.match(/^\[([a-z0-9_.-]+)\]\s*$/)
    if (header) {
      table = (header[1] as string)
        .replace(/^storage\.buckets\.[^.]+/, 'storage.buckets.*')
        .replace(/^functions\.[^.]+/, 'functions.*')
      continue
    }
    const key = line.match(/^([A-Za-z0-9_-]+)\s*=/)?.[1]
    if (key) paths.add(table ? `${table}.${key}` : key)
  }
  return paths
}

/** `key = …` inside one table of supabase/config.toml (arrays may span lines). */
function tomlEntry(toml: string, table: string, key: string): string {
  const body = toml.slice(toml.indexOf(`[${table}]\n`)).split(/^\[/m)[1] as string
  const value = body.match(new RegExp(`^${key}\\s*=\\s*(\\[[^\\]]*\\]|"[^"]*"|\\S+)`, 'm'))?.[1]
  if (value === undefined) throw new Error(`no ${table}.${key}`)
  return value
}

describe('supabase/config.toml', () => {
  it('should only use settings the Supabase CLI’s own template has', async () => {
    // `supabase init` and `functions new` write the CLI's full template, every setting shown (some commented).
    const scratch = await mkdtemp(join(home, 'template-'))
    await supabase(['init', '--force'], scratch)
    await supabase(['functions', 'new', 'api'], scratch)
    const template = keyPaths(await readFile(join(scratch, 'supabase/config.toml'), 'utf8'), {
      commented: true,
    })
    const toml = await readFile(join(repoRoot, 'supabase/config.toml'), 'utf8')
    const unknown = (text: string) =>
      [...keyPaths(text, { commented: false })].filter((p) => !template.has(p))
    expect(keyPaths(toml, { commented: false }).size).toBeGreaterThan(30)
    expect(unknown(toml)).toEqual([])
    // The CLI itself ignores a misspelt key; this check must not.
    expect(unknown(`${toml}\n[auth]\nsite_ur1 = "x"\n[storage.buckets.avatars]\npublik = true\n`)).toEqual([
      'auth.site_ur1',
      'storage.buckets.*.publik',
    ])
  }, 120_000)

  it('should give the documents bucket the API’s default size limit and media types', async () => {
    const toml = await readFile(join(repoRoot, 'supabase/config.toml'), 'utf8')
    const defaults = parseApiConfig({ SUPABASE_JWT_SECRET: 'x'.repeat(32) })
    expect(tomlEntry(toml, 'storage.buckets.documents', 'public')).toBe('false')
    const limit = tomlEntry(toml, 'storage.buckets.documents', 'file_size_limit').match(/^"(\d+)MiB"$/)?.[1]
    expect(Number(limit) * 1024 * 1024).toBe(defaults.DOCUMENT_MAX_BYTES)
    const types = JSON.parse(
      tomlEntry(toml, 'storage.buckets.documents', 'allowed_mime_types').replace(/,\s*\]$/, ']'),
    )
    expect(types).toEqual(defaults.DOCUMENT_ALLOWED_TYPES)
    expect(types).toEqual([...defaultDocumentTypes])
  })

  it('should keep JWT verification of the api function off, as the deploy command does', async () => {
    const toml = await readFile(join(repoRoot, 'supabase/config.toml'), 'utf8')
    expect(tomlEntry(toml, 'functions.api', 'verify_jwt')).toBe('false')
    expect(supabaseDeployCommands({ projectRef, dryRun: false })[1]?.args).toContain('--no-verify-jwt')
  })
})

describe('npm run deploy:supabase', () => {
  it('should push the migrations, then deploy the function, to the project named', () => {
    const commands = supabaseDeployCommands({ projectRef, dryRun: false }).map(printable)
    expect(commands).toEqual([
      `npx supabase db push --project-ref ${projectRef}`,
      `npx supabase functions deploy api --no-verify-jwt --project-ref ${projectRef}`,
    ])
  })

  it('should refuse a project ref that is not one', () => {
    expect(() => parseSupabaseArgs(['--project-ref', 'my-project'])).toThrow(/20 lowercase letters/)
    expect(parseSupabaseArgs(['--project-ref', projectRef, '--dry-run'])).toMatchObject({ dryRun: true })
  })

  it('should print the commands and run nothing on a dry run without a database URL', async () => {
    const lines: string[] = []
    await deploySupabase({ projectRef, dryRun: true }, (line) => lines.push(line))
    expect(lines.join('\n')).toContain(
      `npx supabase functions deploy api --no-verify-jwt --project-ref ${projectRef}`,
    )
    expect(lines.at(-1)).toBe(
      `To see the migrations it would apply (needs the account): npx supabase db push --project-ref ${projectRef} --dry-run`,
    )
  })

  describe.skipIf(!serverUrl)('against a server (needs DATABASE_URL)', () => {
    let admin: Database
    let db: Database
    const name = `sales_deploy_dry_${process.pid}`

    beforeAll(async () => {
      admin = createPostgresDatabase(serverUrl as string, { max: 1 })
      await admin.query(`drop database if exists ${name} with (force)`)
      await admin.query(`create database ${name}`)
      db = createPostgresDatabase(databaseUrlFor(serverUrl as string, name), { max: 1 })
    })
    afterAll(async () => {
      await db?.close()
      await admin?.query(`drop database if exists ${name} with (force)`)
      await admin?.close()
    })

    it('should list every migration an empty database lacks and apply none of them', async () => {
      const lines: string[] = []
      const dbUrl = `${databaseUrlFor(serverUrl as string, name)}?sslmode=disable`
      await deploySupabase({ projectRef, dryRun: true, dbUrl }, (line) => lines.push(line))
      const listed = lines.flatMap((line) => line.match(/^ • (\d{14}_\w+\.sql)$/)?.[1] ?? [])
      expect(listed.map((file) => file.slice(0, 14))).toEqual((await readMigrations()).map((m) => m.version))
      const [tables] = await db.query<{ n: number }>(
        `select count(*)::int as n from pg_tables where schemaname in ('public', 'supabase_migrations')`,
      )
      expect(tables?.n).toBe(0)
    })

    it('should be stopped by the CLI when config.toml holds a wrong value', async () => {
      const copy = await mkdtemp(join(home, 'broken-'))
      await mkdir(join(copy, 'supabase'))
      await cp(join(repoRoot, 'supabase/migrations'), join(copy, 'supabase/migrations'), { recursive: true })
      const toml = await readFile(join(repoRoot, 'supabase/config.toml'), 'utf8')
      const args = [
        'migration',
        'list',
        '--workdir',
        copy,
        '--db-url',
        `${databaseUrlFor(serverUrl as string, name)}?sslmode=disable`,
      ]
      await writeFile(join(copy, 'supabase/config.toml'), toml)
      await expect(supabase(args)).resolves.toBeTruthy()
      await writeFile(
        join(copy, 'supabase/config.toml'),
        toml.replace('file_size_limit = "25MiB"', 'file_size_limit = "25 bananas"'),
      )
      await expect(supabase(args)).rejects.toThrow(/storage\.buckets\.documents\.file_size_limit/)
    })
  })
})

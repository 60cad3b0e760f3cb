import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type CloudflareEnvironment, deployCloudflare, parseCloudflareArgs } from './cloudflare.ts'

const repoRoot = new URL('../../', import.meta.url).pathname
const outdirs: string[] = []

/** `key = "value"` inside one wrangler.toml table (up to the next table header). */
async function tomlValue(table: string, key: string): Promise<string> {
  const toml = await readFile(join(repoRoot, 'wrangler.toml'), 'utf8')
  const start = toml.indexOf(`${table}\n`)
  if (start < 0) throw new Error(`wrangler.toml has no ${table}`)
  const body = toml.slice(start + table.length).split(/^\[/m)[0] as string
  const value = body.match(new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, 'm'))?.[1]
  if (value === undefined) throw new Error(`wrangler.toml ${table} has no ${key}`)
  return value
}

async function dryRun(env: CloudflareEnvironment) {
  const outdir = await mkdtemp(join(tmpdir(), `sales-deploy-${env}-`))
  outdirs.push(outdir)
  return deployCloudflare({ env, dryRun: true, outdir })
}

afterAll(async () => {
  for (const dir of outdirs) await rm(dir, { recursive: true, force: true })
})

describe('npm run deploy:cloudflare', () => {
  it.each(['staging', 'production'] as const)(
    'should bundle the %s Worker with that environment’s vars and Hyperdrive binding',
    async (env) => {
      const result = await dryRun(env)
      expect(result.deployed).toBe(false)
      expect((await stat(join(result.outdir, 'worker.js'))).size).toBeGreaterThan(100_000)
      expect(result.bindings.HYPERDRIVE).toBe(await tomlValue(`[[env.${env}.hyperdrive]]`, 'id'))
      expect(result.bindings.CORS_ORIGINS).toBe(`"${await tomlValue(`[env.${env}.vars]`, 'CORS_ORIGINS')}"`)
      expect(result.bindings.API_BASE_PATH).toBe('"/api"')
      expect(result.bindings.LOG_LEVEL).toBe(`"${await tomlValue(`[env.${env}.vars]`, 'LOG_LEVEL')}"`)
      // Not the development values from the top level.
      expect(result.bindings.CORS_ORIGINS).not.toBe(`"${await tomlValue('[vars]', 'CORS_ORIGINS')}"`)
      expect(result.bindings.HYPERDRIVE).not.toBe(await tomlValue('[[hyperdrive]]', 'id'))
    },
    120_000,
  )

  it('should refuse a real deploy while the environment has a placeholder Hyperdrive id', async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'sales-deploy-refused-'))
    outdirs.push(outdir)
    await expect(deployCloudflare({ env: 'staging', dryRun: false, outdir })).rejects.toThrow(
      /\[\[env\.staging\.hyperdrive\]\] still has the placeholder id/,
    )
  }, 120_000)

  it('should take only staging or production', () => {
    expect(parseCloudflareArgs(['--env', 'production', '--dry-run'])).toMatchObject({
      env: 'production',
      dryRun: true,
    })
    expect(() => parseCloudflareArgs(['--env', 'prod'])).toThrow(/--env must be one of staging, production/)
    expect(() => parseCloudflareArgs([])).toThrow(/got nothing/)
  })
})

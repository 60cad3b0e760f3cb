import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pgliteDataDir } from './db/env.ts'

/** `npm run db:reset` as a script or CI runs it: no terminal on stdin. */
function reset(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/reset.ts', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    child.stderr.on('data', (chunk) => {
      output += chunk
    })
    child.on('exit', (code) => resolve({ code, output }))
  })
}

describe('npm run db:reset', { timeout: 60_000 }, () => {
  let dataDir: string
  let env: Record<string, string>
  let marker: string
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sales-reset-'))
    env = { DATA_DIR: dataDir, DATABASE_URL: '' }
    const folder = pgliteDataDir({ DATA_DIR: dataDir })
    await mkdir(folder, { recursive: true })
    marker = join(folder, 'PG_VERSION')
    await writeFile(marker, '18\n')
  })
  afterAll(() => rm(dataDir, { recursive: true, force: true }))

  it('should delete nothing without --yes when there is no terminal to ask, and say how to go on', async () => {
    const { code, output } = await reset([], env)
    expect(code).toBe(1)
    expect(output).toContain('Nothing was deleted')
    expect(output).toContain('npm run db:reset -- --yes')
    expect(existsSync(marker)).toBe(true)
  })

  it('should refuse an unknown flag with the usage, deleting nothing', async () => {
    const { code, output } = await reset(['--force'], env)
    expect(code).toBe(1)
    expect(output).toMatch(/Unknown option '--force'/)
    expect(output).toContain('Usage: npm run db:reset')
    expect(existsSync(marker)).toBe(true)
  })

  it('should answer --help with what it deletes, deleting nothing', async () => {
    const { code, output } = await reset(['--help'], env)
    expect(code).toBe(0)
    expect(output).toContain('Deletes everything in the database')
    expect(existsSync(marker)).toBe(true)
  })
})

import { execFile, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DataDirLockedError, lockDataDir } from './data-dir-lock.ts'
import type { Database } from './database.ts'
import { openDatabase } from './open.ts'

const repoRoot = new URL('../../', import.meta.url).pathname
const openModule = new URL('./open.ts', import.meta.url).pathname

/** Runs a script in a separate Node process that opens `dataDir`; resolves with its exit code and output. */
async function openInAnotherProcess(
  scratch: string,
  dataDir: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // `.mts`: outside the repo there is no package.json saying "type": "module".
  const script = join(scratch, 'open-data-dir.mts')
  await writeFile(
    script,
    `import { openDatabase } from ${JSON.stringify(openModule)}
try {
  const db = await openDatabase({ dataDir: ${JSON.stringify(dataDir)} })
  await db.close()
  console.log('opened')
} catch (error) {
  console.error(\`\${error.name}: \${error.message}\`)
  process.exitCode = 3
}
`,
  )
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script],
      { cwd: repoRoot, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0
        resolve({ code, stdout, stderr })
      },
    )
  })
}

/** A pid that no process has: one of a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''])
  expect(child.pid).toBeGreaterThan(0)
  return child.pid as number
}

// Other processes open PGlite (initdb takes seconds, more on a busy machine): generous limits.
describe('data folder lock', { timeout: 120_000 }, () => {
  let scratch: string
  let dataDir: string
  let db: Database | undefined

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'sales-lock-'))
    dataDir = join(scratch, 'pglite')
    db = await openDatabase({ dataDir })
  })

  afterAll(async () => {
    await db?.close()
    await rm(scratch, { recursive: true, force: true })
  })

  it('should refuse a second opener in the same process, naming the folder and the pid', async () => {
    const second = openDatabase({ dataDir }).catch((error: unknown) => error)
    const error = await second
    expect(error).toBeInstanceOf(DataDirLockedError)
    expect((error as DataDirLockedError).message).toContain(dataDir)
    expect((error as DataDirLockedError).message).toContain(`process ${process.pid}`)
    expect((error as DataDirLockedError).pid).toBe(process.pid)
    // The refusal leaves the holder's lock in place.
    expect(readFileSync(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid))
  })

  it('should refuse an opener in another process while this one holds the folder', async () => {
    const child = await openInAnotherProcess(scratch, dataDir)
    expect(child.stdout).not.toContain('opened')
    expect(child.code).toBe(3)
    expect(child.stderr).toContain(
      `DataDirLockedError: The embedded database in ${dataDir} is already open in process ${process.pid}`,
    )
  })

  it('should release the lock on close, so the folder opens again', async () => {
    await db?.close()
    db = undefined
    expect(existsSync(`${dataDir}.lock`)).toBe(false)

    db = await openDatabase({ dataDir })
    const [row] = await db.query<{ one: number }>('select 1 as one')
    expect(row?.one).toBe(1)
    expect(readFileSync(`${dataDir}.lock`, 'utf8')).toBe(String(process.pid))
  })

  it('should let another process open the folder once this one has closed it', async () => {
    await db?.close()
    db = undefined
    const child = await openInAnotherProcess(scratch, dataDir)
    expect(child.stderr).toBe('')
    expect(child.stdout).toContain('opened')
    expect(child.code).toBe(0)
    expect(existsSync(`${dataDir}.lock`)).toBe(false)
  })
})

describe('stale locks', () => {
  let scratch: string

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'sales-lock-'))
  })

  afterAll(() => rm(scratch, { recursive: true, force: true }))

  it('should take over a lock left by a process that is gone', () => {
    const dir = join(scratch, 'left-by-dead-process')
    writeFileSync(`${dir}.lock`, String(deadPid()))
    const lock = lockDataDir(dir)
    expect(readFileSync(`${dir}.lock`, 'utf8')).toBe(String(process.pid))
    lock.release()
    expect(existsSync(`${dir}.lock`)).toBe(false)
  })

  it('should take over a lock with our pid that this process does not hold (a restart reused the pid)', () => {
    const dir = join(scratch, 'left-before-restart')
    writeFileSync(`${dir}.lock`, String(process.pid))
    const lock = lockDataDir(dir)
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError)
    lock.release()
  })

  it('should not remove a lock taken by someone else when released twice', () => {
    const dir = join(scratch, 'released-twice')
    const first = lockDataDir(dir)
    first.release()
    const second = lockDataDir(dir)
    first.release()
    expect(existsSync(`${dir}.lock`)).toBe(true)
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError)
    second.release()
  })
})

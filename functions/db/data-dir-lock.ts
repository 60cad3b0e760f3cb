import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

/**
 * PGlite does nothing to stop two processes opening one data folder, and two
 * writers corrupt it. We hold `<dir>.lock` (our pid, created exclusively) for as
 * long as the folder is open; a lock left by a dead process is taken over.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is already open in process ${pid}. ` +
        'Stop that process (npm start, a test run, a script) or set DATA_DIR to another folder.',
    )
    this.name = 'DataDirLockedError'
  }
}

export interface DataDirLock {
  release(): void
}

/**
 * The lock files this process holds. A lock file with our own pid is ours only
 * if it is in here: otherwise an earlier process with the same pid left it (a
 * container restarts with the same pids) and it is stale.
 */
const heldByThisProcess = new Set<string>()

export function lockDataDir(dataDir: string): DataDirLock {
  const lockPath = resolve(`${dataDir}.lock`)
  mkdirSync(dirname(lockPath), { recursive: true })
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      heldByThisProcess.add(lockPath)
      let released = false
      return {
        release() {
          if (released) return
          released = true
          heldByThisProcess.delete(lockPath)
          rmSync(lockPath, { force: true })
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10)
      const held =
        holder === process.pid ? heldByThisProcess.has(lockPath) : Number.isInteger(holder) && isAlive(holder)
      if (held) throw new DataDirLockedError(dataDir, holder)
      rmSync(lockPath, { force: true }) // stale: its process is gone, or had our pid before a restart
    }
  }
  throw new Error(`Could not lock ${dataDir}`)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

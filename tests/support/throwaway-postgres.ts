import { execFile, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Where the server binaries are: Debian's PostgreSQL 15 unless PG_BIN_DIR says otherwise. */
export const postgresBinDir = process.env.PG_BIN_DIR || '/usr/lib/postgresql/15/bin'

/** initdb and the server refuse to run as root: as root, everything runs as the `postgres` OS user. */
const asRoot = process.getuid?.() === 0

const onPath = (tool: string) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, tool)))

/**
 * Why this machine cannot run a Postgres server of a test's own (undefined when
 * it can), for a test title: the binaries, and as root `runuser` and a
 * `postgres` OS user.
 */
export function throwawayPostgresUnavailable(): string | undefined {
  for (const tool of ['initdb', 'pg_ctl', 'postgres'])
    if (!existsSync(join(postgresBinDir, tool))) return `no ${tool} in ${postgresBinDir} (set PG_BIN_DIR)`
  if (asRoot && !onPath('runuser')) return 'running as root without runuser'
  if (asRoot && spawnSync('id', ['-u', 'postgres']).status !== 0)
    return 'running as root without a postgres OS user'
  return undefined
}

export interface ThrowawayPostgres {
  /** The superuser's URL of the `postgres` database, over TCP on 127.0.0.1. */
  url: string
  port: number
  /** The temporary folder: the data directory (`data/`), the socket and the server's log. */
  dir: string
  /** `pg_ctl stop -m <mode>`: fast rolls back open transactions and ends every session, as a restart does. */
  stop(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>
  /** `pg_ctl start -w`: resolves once the server accepts connections. */
  start(): Promise<void>
  /** The server's log so far. */
  log(): Promise<string>
  /** Stops it (immediate) and removes the folder; safe to call twice, and after a failed start. */
  destroy(): Promise<void>
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Every cluster this process started, so a crashed test cannot leave a server running. */
const running = new Set<string>()
process.once('exit', () => {
  for (const data of running) {
    const args = [join(postgresBinDir, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop']
    if (asRoot) spawnSync('runuser', ['-u', 'postgres', '--', ...args])
    else spawnSync(args[0] as string, args.slice(1))
  }
})

/**
 * A Postgres server of the test's own, in a temporary folder on a free port,
 * so a test may stop and restart a real server process without touching the
 * shared one. `initdb` takes a few seconds.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'sales-pg-'))
  const data = join(dir, 'data')
  const logFile = join(dir, 'server.log')
  const port = await freePort()
  const tool = (name: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(postgresBinDir, name), ...args])
      : run(join(postgresBinDir, name), args)
  if (asRoot) {
    const ids = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout)
    await chown(dir, ids('-u'), ids('-g'))
  }
  // -l: without a log file the server would inherit pg_ctl's stdout, and execFile would wait for it to close.
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`
  const pgCtl = (...args: string[]) => tool('pg_ctl', ['-D', data, '-l', logFile, '-t', '60', ...args])
  const cluster: ThrowawayPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    async stop(mode = 'fast') {
      await pgCtl('-m', mode, '-w', 'stop')
      running.delete(data)
    },
    async start() {
      running.add(data)
      await pgCtl('-o', serverOptions, '-w', 'start')
    },
    log: () => readFile(logFile, 'utf8').catch(() => ''),
    async destroy() {
      if (running.has(data)) await cluster.stop('immediate').catch(() => {})
      running.delete(data)
      await rm(dir, { recursive: true, force: true })
    },
  }
  try {
    // --no-sync: a throw-away cluster need not wait for its files to reach the disk.
    const initdb = ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']
    await tool('initdb', initdb)
    await cluster.start()
  } catch (error) {
    await cluster.destroy()
    throw error
  }
  return cluster
}

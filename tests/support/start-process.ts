import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'

export interface StartedStack {
  child: ChildProcess
  url: string
  /** Everything it printed so far. */
  output: () => string
  /** Milliseconds from spawn to the "is running" banner. */
  startupMs: number
}

const repoRoot = new URL('../..', import.meta.url).pathname

/** Every stack this test process started, so a failing test cannot leave one running. */
const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/**
 * Starts the local stack exactly as `npm start` does (scripts/start.ts in its
 * own process) and waits for its banner, which names the URL. `viaNpm` runs
 * `npm start` itself (npm, its shell, then the stack), for what npm does with
 * signals.
 */
export async function startStackProcess(
  env: Record<string, string>,
  timeoutMs = 120_000,
  { viaNpm = false } = {},
): Promise<StartedStack> {
  const started = performance.now()
  const [command, args] = viaNpm
    ? ['npm', ['start', '--silent']]
    : [process.execPath, ['--import', 'tsx', 'scripts/start.ts']]
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  child.once('exit', () => running.delete(child))
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`No banner within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    )
    const check = () => {
      const match = /URL\s+(http:\/\/localhost:\d+)/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout?.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`npm start exited with ${code}:\n${output}`))
    })
  })
  return { child, url, output: () => output, startupMs: performance.now() - started }
}

/** Sends a signal and waits for the process to exit; returns its exit code. */
export async function stopStackProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGINT',
): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode
  const exited = once(child, 'exit')
  child.kill(signal)
  const [code] = (await exited) as [number | null]
  return code
}

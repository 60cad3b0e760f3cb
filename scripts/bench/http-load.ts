// Drives the API from a second process: a forked child running autocannon.

import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { LoadAnswer, LoadRequest } from './http-load-child.ts'

export interface HttpLoader {
  run(load: LoadRequest): Promise<NonNullable<LoadAnswer['result']>>
  close(): void
}

export function startHttpLoader(): HttpLoader {
  const child: ChildProcess = fork(fileURLToPath(new URL('./http-load-child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Keeps NaN (no latency measured) as NaN rather than JSON's null.
    serialization: 'advanced',
  })
  return {
    run(load) {
      return new Promise((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`The load process exited (${code})`))
        child.once('exit', onExit)
        child.once('message', (answer: LoadAnswer) => {
          child.off('exit', onExit)
          if (answer.result) resolve(answer.result)
          else reject(new Error(`autocannon failed: ${answer.error}`))
        })
        child.send(load)
      })
    },
    close() {
      if (child.connected) child.disconnect()
      // It exits on disconnect; make sure it cannot outlive the bench.
      setTimeout(() => child.kill(), 2000).unref()
    },
  }
}

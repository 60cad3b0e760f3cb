import { parseArgs } from 'node:util'

export interface SoakArgs {
  durationMs: number
  workers: number
  sampleMs: number
  customers: number
  /** Keep the throw-away database afterwards (to look at it). */
  keep: boolean
}

/** `--minutes 10` (default), or `--seconds 30` for a short run; `--workers 8`; `--sample-seconds 10`; `--customers 300`; `--keep`. */
export function parseSoakArgs(argv: string[]): SoakArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string' },
      seconds: { type: 'string' },
      workers: { type: 'string', default: '8' },
      'sample-seconds': { type: 'string', default: '10' },
      customers: { type: 'string', default: '300' },
      keep: { type: 'boolean', default: false },
    },
  })
  const number = (name: string, text: string | undefined, min: number) => {
    const n = Number(text)
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, not ${text}`)
    return n
  }
  if (values.minutes !== undefined && values.seconds !== undefined) {
    throw new Error('Give --minutes or --seconds, not both')
  }
  const durationMs =
    values.seconds !== undefined
      ? number('seconds', values.seconds, 1) * 1000
      : number('minutes', values.minutes ?? '10', 0.1) * 60_000
  return {
    durationMs,
    workers: Math.floor(number('workers', values.workers, 1)),
    sampleMs: number('sample-seconds', values['sample-seconds'], 1) * 1000,
    customers: Math.floor(number('customers', values.customers, 30)),
    keep: values.keep ?? false,
  }
}

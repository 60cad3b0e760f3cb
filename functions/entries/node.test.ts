import { describe, expect, it } from 'vitest'
import { isKnownDriverError, postgresDriverBugUrl, uncaughtExceptionHandler } from './node.ts'

/** Node's own wording for the driver's fault: `socket.write(…)` on a socket set to null. */
function nullWrite(): TypeError {
  const socket = null as unknown as { write(): void }
  try {
    socket.write()
  } catch (error) {
    return error as TypeError
  }
  throw new Error('unreachable')
}

/** The error as postgres.js 3.4.9 throws it (porsager/postgres#1208), from its ESM or CommonJS build. */
function driverError(path = '/srv/app/node_modules/postgres/src/connection.js'): TypeError {
  const error = nullWrite()
  error.stack = [
    `TypeError: ${error.message}`,
    `    at nextWrite (${path}:255:22)`,
    '    at process.processImmediate (node:internal/timers:483:21)',
  ].join('\n')
  return error
}

describe('isKnownDriverError', () => {
  it('should recognise the postgres.js null-socket write from connection.js, ESM or CommonJS', () => {
    expect(nullWrite().message).toBe("Cannot read properties of null (reading 'write')")
    expect(isKnownDriverError(driverError())).toBe(true)
    expect(isKnownDriverError(driverError('/srv/app/node_modules/postgres/cjs/src/connection.js'))).toBe(true)
    expect(isKnownDriverError(driverError('C:\\app\\node_modules\\postgres\\src\\connection.js'))).toBe(true)
  })

  it('should not recognise the same message thrown by our own code', () => {
    // A real one, from this file: its stack names node.test.ts.
    expect(isKnownDriverError(nullWrite())).toBe(false)
    expect(isKnownDriverError(driverError('/srv/app/functions/db/connection.js'))).toBe(false)
    expect(isKnownDriverError(driverError('/srv/app/node_modules/not-postgres/src/connection.js'))).toBe(
      false,
    )
  })

  it('should not recognise another error from the driver, another type, or a non-error', () => {
    const other = driverError()
    other.message = "Cannot read properties of null (reading 'end')"
    expect(isKnownDriverError(other)).toBe(false)
    const notTypeError = Object.assign(new Error(driverError().message), { stack: driverError().stack })
    expect(isKnownDriverError(notTypeError)).toBe(false)
    expect(isKnownDriverError(driverError().message)).toBe(false)
    expect(isKnownDriverError(undefined)).toBe(false)
  })
})

describe('uncaughtExceptionHandler', () => {
  const run = (error: unknown) => {
    const lines: Record<string, unknown>[] = []
    const exits: number[] = []
    uncaughtExceptionHandler({ log: (line) => lines.push(line), exit: (code) => exits.push(code) })(
      error,
      'uncaughtException',
    )
    return { lines, exits }
  }

  it('should log the known driver error as one db_driver_error line and not exit', () => {
    const { lines, exits } = run(driverError())
    expect(exits).toEqual([])
    expect(lines).toEqual([
      expect.objectContaining({ event: 'db_driver_error', issue: postgresDriverBugUrl }),
    ])
    expect(JSON.parse(JSON.stringify(lines[0]))).toEqual(lines[0])
  })

  it('should log any other uncaught error and exit with 1, as Node would', () => {
    const { lines, exits } = run(new RangeError('boom'))
    expect(exits).toEqual([1])
    expect(lines).toEqual([
      expect.objectContaining({
        event: 'uncaught_exception',
        error: expect.objectContaining({ name: 'RangeError', message: 'boom' }),
      }),
    ])
    expect(run(nullWrite()).exits).toEqual([1])
  })
})

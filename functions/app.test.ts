import { afterEach, describe, expect, it, vi } from 'vitest'
import { consoleLog } from './app.ts'

describe('consoleLog', () => {
  afterEach(() => vi.restoreAllMocks())

  it('should write lines at or above the configured level and drop the rest', () => {
    const written = vi.spyOn(console, 'log').mockImplementation(() => {})
    const log = consoleLog('warn')
    log({ level: 'info', msg: 'request' })
    log({ level: 'warn', msg: 'slow' })
    log({ level: 'error', msg: 'broken' })
    expect(written.mock.calls.map(([line]) => JSON.parse(line as string).msg)).toEqual(['slow', 'broken'])
  })

  it('should write nothing when silent, and treat a line without a level as info', () => {
    const written = vi.spyOn(console, 'log').mockImplementation(() => {})
    consoleLog('silent')({ level: 'error', msg: 'x' })
    expect(written).not.toHaveBeenCalled()
    consoleLog('info')({ msg: 'no level' })
    expect(written).toHaveBeenCalledTimes(1)
  })
})

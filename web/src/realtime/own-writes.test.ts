import { describe, expect, it } from 'vitest'
import { isOwnWrite, rememberOwnWrite, trackOwnWrite, whenOwnWritesSettle } from './own-writes.ts'

describe('own writes', () => {
  it('should recognise the echo of a version this tab wrote, and nothing else', () => {
    rememberOwnWrite({ id: 'c1', version: '1795600000000000' })
    expect(isOwnWrite('c1', '2026-11-25T18:40:11.625+00:00')).toBe(false)
    rememberOwnWrite({ id: 'c1', version: '1795632011625000' })
    expect(isOwnWrite('c1', '2026-11-25T18:40:11.625+00:00')).toBe(true)
    expect(isOwnWrite('c2', '2026-11-25T18:40:11.625+00:00')).toBe(false)
    expect(isOwnWrite('c1', undefined)).toBe(false)
  })

  it('should make a question about an echo wait until the write that caused it has answered', async () => {
    let answer: (body: unknown) => void = () => {}
    const write = trackOwnWrite(() => new Promise<unknown>((resolve) => (answer = resolve)))
    let settled = false
    const waiting = whenOwnWritesSettle().then(() => (settled = true))
    await Promise.resolve()
    expect(settled).toBe(false)
    answer({ id: 'c3', version: '1' })
    await write
    await waiting
    expect(settled).toBe(true)
    await expect(trackOwnWrite(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused')
    await whenOwnWritesSettle()
  })
})

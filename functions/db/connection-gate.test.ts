import { describe, expect, it } from 'vitest'
import { createConnectionGate, DatabaseBusyError } from './connection-gate.ts'

/** A task that runs until `finish` is called, recording when it started. */
function heldTask(log: string[], name: string) {
  let finish: () => void = () => {}
  const done = new Promise<void>((resolve) => {
    finish = resolve
  })
  return {
    run: async () => {
      log.push(`start ${name}`)
      await done
      return name
    },
    finish: () => finish(),
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0))

describe('createConnectionGate', () => {
  it('should run at most `permits` at once and admit waiters in arrival order', async () => {
    const gate = createConnectionGate({ permits: 2, maxWaitMs: 1_000, maxWaiters: 10 })
    const log: string[] = []
    const tasks = ['a', 'b', 'c', 'd'].map((n) => heldTask(log, n))
    const results = tasks.map((t) => gate.run(t.run))
    await tick()
    expect(log).toEqual(['start a', 'start b'])
    expect(gate.stats()).toEqual({ busy: 2, waiting: 2 })
    tasks[1]?.finish()
    await tick()
    expect(log).toEqual(['start a', 'start b', 'start c'])
    for (const t of tasks) t.finish()
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd'])
    expect(gate.stats()).toEqual({ busy: 0, waiting: 0 })
  })

  it('should refuse a waiter after maxWaitMs with DatabaseBusyError, and forget it', async () => {
    const gate = createConnectionGate({ permits: 1, maxWaitMs: 30, maxWaiters: 10 })
    const log: string[] = []
    const holder = heldTask(log, 'holder')
    const held = gate.run(holder.run)
    const late = gate.run(async () => 'never')
    await expect(late).rejects.toBeInstanceOf(DatabaseBusyError)
    expect(gate.stats()).toEqual({ busy: 1, waiting: 0 })
    holder.finish()
    await held
    expect(await gate.run(async () => 'after')).toBe('after')
  })

  it('should refuse at once beyond maxWaiters, and free the slot when a task throws', async () => {
    const gate = createConnectionGate({ permits: 1, maxWaitMs: 1_000, maxWaiters: 1 })
    const log: string[] = []
    const holder = heldTask(log, 'holder')
    const held = gate.run(holder.run)
    const queued = gate.run(async () => {
      throw new Error('boom')
    })
    await expect(gate.run(async () => 'third')).rejects.toThrow(/1 requests are already waiting/)
    holder.finish()
    await held
    await expect(queued).rejects.toThrow('boom')
    expect(gate.stats()).toEqual({ busy: 0, waiting: 0 })
  })
})

describe('createConnectionGate.refuseFor', () => {
  it('should answer every waiter and every newcomer at once while open, then admit again', async () => {
    const gate = createConnectionGate({ permits: 1, maxWaitMs: 10_000, maxWaiters: 10 })
    const log: string[] = []
    const holder = heldTask(log, 'holder')
    const held = gate.run(holder.run)
    const waiters = [gate.run(async () => 'w1'), gate.run(async () => 'w2')]
    gate.refuseFor(40, 'unreachable')
    for (const w of waiters) await expect(w).rejects.toThrow('unreachable')
    await expect(gate.run(async () => 'newcomer')).rejects.toBeInstanceOf(DatabaseBusyError)
    holder.finish()
    await held
    await new Promise((r) => setTimeout(r, 60))
    expect(await gate.run(async () => 'later')).toBe('later')
  })
})

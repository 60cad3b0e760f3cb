import { describe, expect, it, vi } from 'vitest'
import { createDrawnTracker } from './drawn-tracker.ts'

describe('the drawn tracker', () => {
  it('should report once every expected chart has drawn, charts first', () => {
    const onAll = vi.fn()
    const tracker = createDrawnTracker(onAll)
    tracker.drawn('funnel')
    tracker.drawn('services')
    expect(onAll).not.toHaveBeenCalled()
    tracker.expect(['funnel', 'services', 'trend'])
    expect(onAll).not.toHaveBeenCalled()
    tracker.drawn('trend')
    expect(onAll).toHaveBeenCalledTimes(1)
  })

  it('should report when the expectation comes last, and never twice', () => {
    const onAll = vi.fn()
    const tracker = createDrawnTracker(onAll)
    tracker.drawn('funnel')
    tracker.expect(['funnel'])
    tracker.drawn('funnel')
    tracker.expect(['funnel'])
    expect(onAll).toHaveBeenCalledTimes(1)
  })

  it('should wait while nothing is expected yet', () => {
    const onAll = vi.fn()
    const tracker = createDrawnTracker(onAll)
    tracker.drawn('funnel')
    expect(onAll).not.toHaveBeenCalled()
    tracker.expect([])
    expect(onAll).toHaveBeenCalledTimes(1)
  })
})

import type { Chart, ChartConfiguration } from 'chart.js'
import { useEffect, useRef, useState } from 'preact/hooks'
import { loadChartKit } from './load-chart-kit.ts'
import { prefersReducedMotion } from './theme.ts'

/** How long the first draw animates; short, so numbers are readable at once. */
const animationMs = 450

/**
 * A chart on a canvas, owned by the component: created in an effect once
 * chart.js has loaded, destroyed on unmount and before every rebuild (deps
 * changed), so navigating away and back leaves no chart behind. `onDrawn`
 * runs once per build when the chart is on screen: after its first animation,
 * or on the next frame when motion is reduced (no animation at all).
 */
export function useChart(build: () => ChartConfiguration, deps: readonly unknown[], onDrawn?: () => void) {
  const canvas = useRef<HTMLCanvasElement>(null)
  const [error, setError] = useState<unknown>()
  const [attempt, setAttempt] = useState(0)
  const buildRef = useRef(build)
  buildRef.current = build
  const onDrawnRef = useRef(onDrawn)
  onDrawnRef.current = onDrawn

  useEffect(() => {
    let chart: Chart | undefined
    let live = true
    let frame = 0
    let reported = false
    const report = () => {
      if (!live || reported) return
      reported = true
      onDrawnRef.current?.()
    }
    loadChartKit().then(
      (kit) => {
        if (!live || !canvas.current) return
        const config = buildRef.current()
        const reduced = prefersReducedMotion()
        config.options = {
          ...config.options,
          animation: reduced ? false : { duration: animationMs, onComplete: report },
        }
        chart = new kit.Chart(canvas.current, config)
        if (reduced) frame = requestAnimationFrame(report)
        setError(undefined)
      },
      (e: unknown) => live && setError(e),
    )
    return () => {
      live = false
      cancelAnimationFrame(frame)
      chart?.destroy()
    }
  }, [...deps, attempt])

  return { canvas, error, retry: () => setAttempt((n) => n + 1) }
}

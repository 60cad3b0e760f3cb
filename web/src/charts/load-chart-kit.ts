/** chart.js, fetched the first time a chart is shown and shared afterwards. */
let pending: Promise<typeof import('./chart-kit.ts')> | undefined

export function loadChartKit(): Promise<typeof import('./chart-kit.ts')> {
  if (!pending) {
    pending = import('./chart-kit.ts')
    // A failed download (deploy replaced the chunk, network dropped) may be retried.
    pending.catch(() => {
      pending = undefined
    })
  }
  return pending
}

/**
 * Request counts and latency histograms in Prometheus's text exposition format
 * 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/), kept
 * in memory by one process. No client library: two metric families do not
 * need one, and this code runs in every runtime the app does.
 */

/** Prometheus's default buckets, in seconds: from 5 ms (a cached read) to 10 s (past any timeout). */
export const defaultLatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const

/** The media type of what render() returns. */
export const expositionContentType = 'text/plain; version=0.0.4; charset=utf-8'

export interface RequestObservation {
  method: string
  /** The route template (`/api/customers/:id`), never the raw path: ids would make a series per row. */
  route: string
  status: number
  seconds: number
}

export interface HttpMetrics {
  /** A request began (the in-flight gauge); call the function it returns when it ends. */
  started(): () => void
  observe(request: RequestObservation): void
  render(): string
}

interface Series {
  labels: string
  count: number
  sum: number
  /** Observations per bucket, not cumulative (render() adds them up). */
  buckets: number[]
}

/** Methods outside this list are counted as OTHER, so a client cannot create series at will. */
const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

export function createHttpMetrics(buckets: readonly number[] = defaultLatencyBuckets): HttpMetrics {
  const series = new Map<string, Series>()
  let inFlight = 0

  return {
    started() {
      inFlight++
      let ended = false
      return () => {
        if (!ended) inFlight--
        ended = true
      }
    },

    observe({ method, route, status, seconds }) {
      const methodLabel = knownMethods.has(method) ? method : 'OTHER'
      const statusClass = `${Math.floor(status / 100)}xx`
      // A plain key for the lookup; the escaped label set is built once per series.
      const key = `${methodLabel}\u0000${route}\u0000${statusClass}`
      let s = series.get(key)
      if (!s) {
        const labels = labelSet({ method: methodLabel, route, status: statusClass })
        s = { labels, count: 0, sum: 0, buckets: buckets.map(() => 0) }
        series.set(key, s)
      }
      s.count++
      s.sum += seconds
      const bucket = buckets.findIndex((upper) => seconds <= upper)
      if (bucket >= 0) s.buckets[bucket] = (s.buckets[bucket] ?? 0) + 1
    },

    render() {
      const all = [...series.values()].sort((a, b) => (a.labels < b.labels ? -1 : 1))
      const lines = [
        '# HELP http_requests_total Requests answered, by method, route template and status class.',
        '# TYPE http_requests_total counter',
        ...all.map((s) => `http_requests_total{${s.labels}} ${s.count}`),
        '# HELP http_request_duration_seconds Time from the request reaching the API to its response, in seconds.',
        '# TYPE http_request_duration_seconds histogram',
      ]
      for (const s of all) {
        let cumulative = 0
        buckets.forEach((upper, i) => {
          cumulative += s.buckets[i] ?? 0
          lines.push(`http_request_duration_seconds_bucket{${s.labels},le="${upper}"} ${cumulative}`)
        })
        lines.push(`http_request_duration_seconds_bucket{${s.labels},le="+Inf"} ${s.count}`)
        lines.push(`http_request_duration_seconds_sum{${s.labels}} ${s.sum}`)
        lines.push(`http_request_duration_seconds_count{${s.labels}} ${s.count}`)
      }
      lines.push(
        '# HELP http_requests_in_flight Requests the API is serving now.',
        '# TYPE http_requests_in_flight gauge',
        `http_requests_in_flight ${inFlight}`,
      )
      // The format wants a line feed after the last line too.
      return `${lines.join('\n')}\n`
    },
  }
}

/** `a="1",b="2"`: label values escaped as the format says (backslash, double quote, line feed). */
function labelSet(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(
      ([name, value]) =>
        `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
    )
    .join(',')
}

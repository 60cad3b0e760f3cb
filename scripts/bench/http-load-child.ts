// The second process: autocannon against the API, one run per message.
// Started by http-load.ts (fork); answers each LoadRequest with a LoadAnswer.

import autocannon from 'autocannon'
import type { HttpRequestSpec } from './scenarios.ts'
import type { RunResult } from './stats.ts'

export interface LoadRequest {
  url: string
  connections: number
  seconds: number
  token: string
  requests: HttpRequestSpec[]
}

export interface LoadAnswer {
  result?: RunResult & { statusCodes: Record<string, number> }
  error?: string
}

async function run(load: LoadRequest): Promise<LoadAnswer['result']> {
  // One counter over all connections, so they spread over the pool of customers
  // instead of all starting at the first.
  let next = 0
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    duration: load.seconds,
    timeout: 10,
    headers: { authorization: `Bearer ${load.token}`, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest(request) {
          const spec = load.requests[next++ % load.requests.length] as HttpRequestSpec
          return {
            ...request,
            method: spec.method,
            path: spec.path,
            body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
          }
        },
      },
    ],
  })
  const ok = result['2xx']
  return {
    rps: ok / result.duration,
    // No response within the duration: no latency to report (autocannon would say 0).
    p50: result.requests.total > 0 ? result.latency.p50 : Number.NaN,
    p99: result.requests.total > 0 ? result.latency.p99 : Number.NaN,
    errors: result.errors + result.timeouts + result.non2xx,
    total: result.requests.total,
    seconds: result.duration,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]),
    ),
  }
}

process.on('message', (message: LoadRequest) => {
  run(message).then(
    (result) => process.send?.({ result } satisfies LoadAnswer),
    (error: unknown) => process.send?.({ error: String(error) } satisfies LoadAnswer),
  )
})
process.on('disconnect', () => process.exit(0))

/** What one load run measured: the same shape for autocannon (HTTP) and the SQL loops. */
export interface RunResult {
  /** Completed requests (or statement groups) per second, errors excluded. */
  rps: number
  p50: number
  p99: number
  /** Failed requests: connection errors, timeouts, non-2xx answers, SQL errors. */
  errors: number
  /** All completed requests, errors included. */
  total: number
  seconds: number
}

/** The value at percentile p (0–100) of ascending samples: nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank] as number
}

/** Summarises latencies (ms) of the successful requests of a run lasting `seconds`. */
export function summarise(latencies: number[], errors: number, seconds: number): RunResult {
  const sorted = [...latencies].sort((a, b) => a - b)
  return {
    rps: seconds > 0 ? sorted.length / seconds : 0,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    errors,
    total: sorted.length + errors,
    seconds,
  }
}

/** a / b, or NaN when b is missing or zero (a ratio that cannot be computed is not 0 or ∞). */
export function ratio(a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0)
    return Number.NaN
  return a / b
}

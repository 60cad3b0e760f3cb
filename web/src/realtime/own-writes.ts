import { versionOf } from './version.ts'

/**
 * The versions this tab wrote itself (every successful create or change the
 * API answered with `{id, version}`), so the echo of our own change coming
 * back over Realtime is neither applied twice nor announced as someone else's.
 */
const written = new Set<string>()
const order: string[] = []
const limit = 500

export function rememberOwnWrite(body: unknown): void {
  if (typeof body !== 'object' || body === null) return
  const { id, version } = body as { id?: unknown; version?: unknown }
  if (typeof id !== 'string' || typeof version !== 'string') return
  const key = `${id}@${version}`
  if (written.has(key)) return
  written.add(key)
  order.push(key)
  if (order.length > limit) written.delete(order.shift() as string)
}

/**
 * Writes this tab has sent and not yet heard back from. The echo of a change
 * can arrive over Realtime before the API's answer does: whoever asks whether
 * a change was ours waits until our writes have settled (`whenOwnWritesSettle`).
 */
let inFlight = 0
let settled: Promise<void> = Promise.resolve()
let settle: (() => void) | undefined

/** Wraps one write: counted as in flight until it settles either way. */
export async function trackOwnWrite<T>(write: () => Promise<T>): Promise<T> {
  if (inFlight++ === 0) settled = new Promise((resolve) => (settle = resolve))
  try {
    return await write()
  } finally {
    if (--inFlight === 0) settle?.()
  }
}

/** Resolves once no write of this tab is in flight. */
export const whenOwnWritesSettle = (): Promise<void> => (inFlight === 0 ? Promise.resolve() : settled)

/** True when this tab made the change that produced this row's `updated_at`. */
export function isOwnWrite(id: string, updatedAt: string | undefined): boolean {
  if (!updatedAt) return false
  try {
    return written.has(`${id}@${versionOf(updatedAt)}`)
  } catch {
    return false
  }
}

import { customerPhases } from '../../functions/domain/vocabulary.ts'
import type { OperationFigures } from './verdict.ts'

/** Someone the load acts as: a rep (writes only their own customers) or a manager (any in the org). */
export interface Actor {
  role: 'rep' | 'manager'
  token: string
  /** Customers this actor may change: seeded ones it owns, then the ones it creates. */
  writable: string[]
}

export interface LoadOptions {
  /** The API's root, e.g. http://127.0.0.1:4321/api. */
  apiUrl: string
  orgId: string
  actors: Actor[]
  /** Concurrent clients, each alternating between the actors by index. */
  workers: number
  durationMs: number
  /** Customers anyone in the org can read. */
  readable: string[]
  /** Words to search names with. */
  searchTerms: string[]
  /** A client waits this long for an answer before counting the request unanswered. */
  clientTimeoutMs: number
  runId: string
}

export interface LoadResult {
  operations: Record<string, OperationFigures>
  /** Every id the API answered 201 for. */
  acknowledged: string[]
}

const phases = customerPhases

/** Share of each operation in the mix (sums to 100). */
const mix = [
  ['list', 25],
  ['detail', 20],
  ['search', 15],
  ['create', 15],
  ['phase', 25],
] as const

type Operation = (typeof mix)[number][0]

const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)]

/** A mixed read/write load from plain fetch clients until the duration is over. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies = new Map<string, number[]>()
  const statuses = new Map<string, Record<string, number>>()
  const unanswered = new Map<string, number>()
  const acknowledged: string[] = []
  const deadline = performance.now() + options.durationMs

  async function call(op: string, actor: Actor, method: string, path: string, init: RequestInit = {}) {
    const started = performance.now()
    try {
      const res = await fetch(`${options.apiUrl}${path}`, {
        ...init,
        method,
        headers: {
          Authorization: `Bearer ${actor.token}`,
          'Content-Type': 'application/json',
          ...(init.headers as Record<string, string>),
        },
        signal: AbortSignal.timeout(options.clientTimeoutMs),
      })
      const body = await res.text()
      const counts = statuses.get(op) ?? {}
      counts[res.status] = (counts[res.status] ?? 0) + 1
      statuses.set(op, counts)
      const list = latencies.get(op) ?? []
      list.push(performance.now() - started)
      latencies.set(op, list)
      return { res, body }
    } catch {
      unanswered.set(op, (unanswered.get(op) ?? 0) + 1)
      return undefined
    }
  }

  const run: Record<Operation, (actor: Actor, worker: number, n: number) => Promise<unknown>> = {
    list: (actor) =>
      call(
        'list',
        actor,
        'GET',
        `/orgs/${options.orgId}/customers?limit=25&sort=${pick(['-updated_at', 'name'])}`,
      ),
    search: (actor) =>
      call(
        'search',
        actor,
        'GET',
        `/orgs/${options.orgId}/customers?q=${encodeURIComponent(pick(options.searchTerms) ?? 'a')}`,
      ),
    detail: (actor) => call('detail', actor, 'GET', `/customers/${pick(options.readable)}`),
    create: async (actor, worker, n) => {
      const answer = await call('create', actor, 'POST', `/orgs/${options.orgId}/customers`, {
        body: JSON.stringify({ name: `Soak ${options.runId} ${worker}-${n}` }),
        headers: { 'Idempotency-Key': `soak-${options.runId}-${worker}-${n}` },
      })
      if (answer?.res.status === 201) {
        const { id } = JSON.parse(answer.body) as { id: string }
        acknowledged.push(id)
        actor.writable.push(id)
        options.readable.push(id)
      }
    },
    phase: async (actor) => {
      const id = pick(actor.writable)
      if (!id) return
      const read = await call('phase read', actor, 'GET', `/customers/${id}`)
      const etag = read?.res.headers.get('ETag')
      if (!etag) return
      await call('phase change', actor, 'PATCH', `/customers/${id}`, {
        body: JSON.stringify({ phase: pick(phases) }),
        headers: { 'If-Match': etag },
      })
    },
  }

  const choose = (): Operation => {
    let roll = Math.random() * 100
    for (const [op, share] of mix) {
      roll -= share
      if (roll < 0) return op
    }
    return 'list'
  }

  await Promise.all(
    Array.from({ length: options.workers }, async (_, worker) => {
      const actor = options.actors[worker % options.actors.length]
      if (!actor) return
      for (let n = 0; performance.now() < deadline; n++) await run[choose()](actor, worker, n)
    }),
  )

  const operations: Record<string, OperationFigures> = {}
  for (const op of new Set([...statuses.keys(), ...unanswered.keys()])) {
    const sorted = (latencies.get(op) ?? []).sort((a, b) => a - b)
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
    operations[op] = {
      statuses: statuses.get(op) ?? {},
      unanswered: unanswered.get(op) ?? 0,
      p50_ms: at(0.5),
      p99_ms: at(0.99),
    }
  }
  return { operations, acknowledged }
}

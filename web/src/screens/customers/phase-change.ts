import type { ApiClient } from '../../api/client.ts'
import type { Customer, Phase } from '../../api/types.ts'

export type PhaseChangeResult =
  | { ok: true; customer: Customer }
  /** `latest` is the server's current copy when the change was stale (412), to show instead of ours. */
  | { ok: false; error: unknown; latest?: Customer }

/**
 * Saves a phase change made on the screen already (optimistically). Sent with
 * If-Match = the version the person saw, so a change made by someone else in
 * between is refused (412) instead of overwritten; then the latest copy is read
 * so the screen can show it. Shared by the customers table and the pipeline.
 */
export async function savePhase(api: ApiClient, before: Customer, phase: Phase): Promise<PhaseChangeResult> {
  try {
    const customer = await api.patch<Customer>(`/customers/${before.id}`, {
      body: { phase },
      ifMatch: before.version,
    })
    return { ok: true, customer }
  } catch (error) {
    if (isStale(error)) {
      const latest = await api.get<Customer>(`/customers/${before.id}`).catch(() => undefined)
      return latest ? { ok: false, error, latest: asCustomer(latest) } : { ok: false, error }
    }
    return { ok: false, error }
  }
}

const isStale = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { status?: number }).status === 412

/** GET /customers/{id} adds counts; the lists hold plain customers. */
function asCustomer(detail: Customer & { counts?: unknown }): Customer {
  const { counts: _counts, ...customer } = detail
  return customer
}

import { useEffect, useRef } from 'preact/hooks'
import type { CustomerDetail } from '../../api/types.ts'
import { useServices } from '../../context.ts'
import { useLiveChanges } from '../../realtime/live-context.ts'
import { mergeLiveRecord } from '../../realtime/live-merge.ts'

const childTables = new Set(['contacts', 'teams', 'processes', 'services', 'documents', 'timeline_events'])

/**
 * The customer in the header kept current: a change made elsewhere is merged
 * when newer; a delete shows the not-found state; records added or removed
 * under it re-read the counts (debounced: a burst of changes reads them once).
 */
export function useLiveCustomer(
  customerId: string,
  customer: {
    setData: (update: (c: CustomerDetail) => CustomerDetail) => void
    reload: () => void
  },
) {
  const { api } = useServices()
  const timer = useRef<ReturnType<typeof setTimeout>>()
  useEffect(() => () => clearTimeout(timer.current), [])

  useLiveChanges((change) => {
    if (change.table === 'customers' && change.id === customerId) {
      if (change.op === 'DELETE') return customer.reload()
      return customer.setData((c) => mergeLiveRecord(c, change))
    }
    if (!childTables.has(change.table) || change.customer_id !== customerId || change.op === 'UPDATE') return
    clearTimeout(timer.current)
    timer.current = setTimeout(() => {
      api.get<CustomerDetail>(`/customers/${customerId}`).then(
        (fresh) => customer.setData((c) => ({ ...c, counts: fresh.counts })),
        () => undefined,
      )
    }, 300)
  })
}

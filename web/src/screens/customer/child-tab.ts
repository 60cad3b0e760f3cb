import type { Page, Process } from '../../api/types.ts'
import { useServices } from '../../context.ts'
import { html } from '../../html.ts'
import { useResyncs } from '../../realtime/live-context.ts'
import { useKeysetList } from '../../state/use-keyset-list.ts'
import type { ChildKind } from './child-kinds.ts'
import { ChildTable } from './child-table.ts'
import { ProcessStatusSelect } from './process-status.ts'
import { useLiveList } from './use-live-list.ts'

type Row = { id: string; name: string; version: string; updated_at: string }

export interface TabProps {
  customerId: string
  customerName: string
  canWrite: boolean
  onCountChange: (delta: number) => void
}

/** The list of one kind of record, loaded page by page: GET /customers/{id}/<kind>. */
export function useChildList<T extends Row>(kind: ChildKind<T>, customerId: string) {
  const { api } = useServices()
  const resyncs = useResyncs()
  const list = useKeysetList<T>(
    (cursor, signal) => {
      const query = new URLSearchParams({ limit: '50' })
      if (cursor) query.set('cursor', cursor)
      return api.get<Page<T>>(`/customers/${customerId}/${kind.path}?${query}`, { signal })
    },
    // After an outage of live updates, read the list again: nothing missed is replayed.
    [kind.path, customerId, resyncs],
  )
  useLiveList(kind.path, customerId, list, (id) => api.get<T>(`/${kind.path}/${id}`))
  return list
}

/** Contacts, teams, processes or services: the same table, driven by the kind's description. */
export function ChildTab<T extends Row>(props: TabProps & { kind: ChildKind<T> }) {
  const list = useChildList(props.kind, props.customerId)
  const cell =
    props.kind.path === 'processes' && props.canWrite
      ? (record: T, column: string) =>
          column === 'status'
            ? html`<${ProcessStatusSelect}
                process=${record as unknown as Process}
                onChange=${(update: (items: Process[]) => Process[]) =>
                  list.update((l) => ({
                    ...l,
                    items: update(l.items as unknown as Process[]) as unknown as T[],
                  }))}
              />`
            : undefined
      : undefined
  return html`<${ChildTable} ...${props} list=${list} cell=${cell} />`
}

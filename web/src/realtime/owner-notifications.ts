import type { Customer, Phase } from '../api/types.ts'
import { useServices, useViewer } from '../context.ts'
import { phaseLabels } from '../domain.ts'
import type { RowChange } from './changes.ts'
import { useLiveChanges } from './live-context.ts'
import { isOwnWrite, whenOwnWritesSettle } from './own-writes.ts'

/**
 * A toast when someone else changes a customer the signed-in person owns (or
 * hands one to them). Their own changes, from this tab, are not announced.
 */
export function OwnerNotifications() {
  const { api, toasts } = useServices()
  const { userId } = useViewer()

  useLiveChanges(async (change) => {
    const text = ownerNewsOf(change, userId)
    if (!text) return
    // Our own change may echo back before the API has answered us: decide once our writes have settled.
    await whenOwnWritesSettle()
    if (isOwnWrite(change.id, change.updated_at)) return
    const named = (name: string) => text.replace('{name}', `“${name}”`)
    const name = typeof change.record.name === 'string' ? change.record.name : undefined
    if (name) return toasts.show('info', named(name))
    api.get<Customer>(`/customers/${change.id}`).then(
      (customer) => toasts.show('info', named(customer.name)),
      () => {}, // gone or no longer visible meanwhile: nothing to announce
    )
  })
  return null
}

/** What a change means for this owner, with `{name}` for the customer's name; undefined when nothing. */
export function ownerNewsOf(change: RowChange, userId: string): string | undefined {
  if (change.table !== 'customers' || change.owner_id !== userId) return undefined
  if (change.op === 'INSERT') return 'New customer for you: {name}'
  if (change.op === 'DELETE') return undefined
  if ('owner_id' in change.record) return '{name} is now yours'
  const phase = change.record.phase as Phase | undefined
  if (phase && phase in phaseLabels) return `{name} moved to ${phaseLabels[phase]}`
  if ('name' in change.record) return 'Your customer was renamed to {name}'
  return undefined
}

import { isApiError } from '../../api/api-error.ts'
import { describeError } from '../../api/describe-error.ts'
import type { Customer, CustomerDetail } from '../../api/types.ts'
import { useServices } from '../../context.ts'

export type CustomerPatch = Partial<
  Pick<Customer, 'name' | 'phase' | 'owner_id' | 'deal_value' | 'expected_close_date' | 'next_step'>
>

/** A form that shows a refusal itself (field errors beside the fields) returns true: no toast then. */
export type OnRefused = (error: unknown) => boolean

/**
 * The customer before and after an optimistic change: the patch is shown at
 * once; the server's copy replaces it (counts kept); a refusal restores
 * exactly the patched fields, unless something newer arrived meanwhile.
 */
export function patched(customer: CustomerDetail, patch: CustomerPatch): CustomerDetail {
  return { ...customer, ...patch }
}

export function confirmed(customer: CustomerDetail, saved: Customer): CustomerDetail {
  return BigInt(saved.version) >= BigInt(customer.version) ? { ...customer, ...saved } : customer
}

export function rolledBack(
  customer: CustomerDetail,
  before: CustomerDetail,
  patch: CustomerPatch,
): CustomerDetail {
  if (customer.version !== before.version) return customer
  const untouched = (Object.keys(patch) as (keyof CustomerPatch)[]).every((k) => customer[k] === patch[k])
  if (!untouched) return customer
  const restored: CustomerDetail = { ...customer }
  for (const key of Object.keys(patch) as (keyof CustomerPatch)[])
    (restored as Record<string, unknown>)[key] = before[key]
  return restored
}

/**
 * Edits of the customer in the header: PATCH with If-Match = its version, so
 * a change made elsewhere meanwhile is a 412 that rolls back, says so in
 * plain words and shows the latest version. A form passes `onRefused` to
 * show a refusal (a 400's field errors) beside its fields instead of in a toast.
 */
export function useCustomerEdit(
  customer: CustomerDetail | undefined,
  setCustomer: (update: (c: CustomerDetail) => CustomerDetail) => void,
  reload: () => void,
) {
  const { api, toasts } = useServices()
  return async function edit(patch: CustomerPatch, onRefused?: OnRefused): Promise<boolean> {
    if (!customer) return false
    const before = customer
    setCustomer((c) => patched(c, patch))
    try {
      const saved = await api.patch<Customer>(`/customers/${before.id}`, {
        body: patch,
        ifMatch: before.version,
      })
      setCustomer((c) => confirmed(c, saved))
      return true
    } catch (error) {
      setCustomer((c) => rolledBack(c, before, patch))
      if (!onRefused?.(error)) toasts.show('error', describeError(error, 'this customer'))
      // The server's copy settles it (a live update may have moved the version under the optimistic value).
      if (isApiError(error) && error.code !== 'network') reload()
      return false
    }
  }
}

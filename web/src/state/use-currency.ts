import type { SalesFigures } from '../api/types.ts'
import { useServices } from '../context.ts'
import { useAsync } from './use-async.ts'

/**
 * The organization's currency, once per page load. The API names it only in
 * the sales figures (GET /metrics/sales `currency`), so a screen that shows a
 * customer's money without those figures asks for them once; a screen that
 * loads the figures anyway (the board) tells this cache with `rememberCurrency`.
 * Changing an organization's currency is rare and shows after a reload.
 */
const cache = new Map<string, Promise<string>>()

export function rememberCurrency(org: string, currency: string) {
  cache.set(org, Promise.resolve(currency))
}

export function useCurrency(org: string) {
  const { api } = useServices()
  return useAsync(() => {
    let pending = cache.get(org)
    if (!pending) {
      pending = api.get<SalesFigures>(`/orgs/${org}/metrics/sales`).then((s) => s.currency)
      cache.set(org, pending)
      pending.catch(() => cache.delete(org))
    }
    return pending
  }, [org])
}

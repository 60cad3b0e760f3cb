/**
 * Columns whose text reaches a Storage object name or a URL the server calls
 * with its own key, each with the only shape its values may have. Every
 * exposed column named like a path or a URL must be listed here or in
 * `notPaths`, so a new one cannot slip by.
 */
const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

export const pathColumns: Record<string, (row: Record<string, unknown>) => boolean> = {
  // org/<its org>/customers/<its customer>/<its id>/<a file name that is not a dot segment>
  'public.documents.storage_path': (row) => {
    const prefix = `org/${row.org_id}/customers/${row.customer_id}/${row.id}/`
    const path = String(row.storage_path ?? '')
    if (!path.startsWith(prefix) || !new RegExp(`^org/${uuid}/customers/${uuid}/${uuid}/`).test(path))
      return false
    const name = path.slice(prefix.length)
    return /^[A-Za-z0-9._-]{1,100}$/.test(name) && name !== '.' && name !== '..'
  },
}

/** Columns named like paths or URLs that reach neither, and why. */
export const notPaths: Record<string, string> = {
  // "hourly" holds "url".
  'public.organizations.default_hourly_rate': 'an amount of money',
  'public.services.hourly_rate': 'an amount of money',
  'public.service_values.effective_hourly_rate': 'an amount of money (a read-only view)',
  'public.idempotency_keys.path':
    'the API path a key was first used with: only ever compared with the path of a retry, never requested',
}

export const looksLikeAPath = (column: string) =>
  /(path|url|uri|href|link|file|key_name|object)/i.test(column)

import { createClient, type SupabaseClient } from '@supabase/supabase-js'

/**
 * supabase-js 2.109 on Node 20 has no WebSocket, and createClient throws
 * without a realtime transport. Suites that do not use realtime pass this one,
 * which refuses to connect if anything ever tries.
 */
export class NoRealtime {
  constructor() {
    throw new Error('realtime is not used in this suite')
  }
}

/** The real supabase-js client against a local stack, with no session persistence or timers. */
export function localSupabaseClient(url: string, key: string, accessToken?: string): SupabaseClient {
  return createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: NoRealtime as never },
    ...(accessToken ? { global: { headers: { Authorization: `Bearer ${accessToken}` } } } : {}),
  })
}

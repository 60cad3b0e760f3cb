import { createClient, type Session, type SupabaseClient } from '@supabase/supabase-js'
import type { WebConfig } from '../config.ts'
import { createStore, type Store } from '../state/store.ts'

export type AuthState =
  | { status: 'loading' }
  | { status: 'signed-out'; reason?: 'expired' }
  | { status: 'signed-in'; session: Session }

export interface Auth {
  supabase: SupabaseClient
  state: Store<AuthState>
  /** The current access token (supabase-js refreshes it before it expires). */
  accessToken(): Promise<string | null>
  signIn(email: string, password: string): Promise<{ error?: string }>
  signOut(): Promise<void>
  /** The API refused our token: end the local session and ask to sign in again. */
  expire(): void
}

/**
 * Sign-in with Supabase Auth through supabase-js: the session is kept in
 * localStorage and refreshed in the background; the API and Realtime get the
 * same access token.
 */
export function createAuth(config: WebConfig): Auth {
  const supabase = createClient(config.supabaseUrl, config.supabaseAnonKey, {
    auth: { persistSession: true, autoRefreshToken: true, detectSessionInUrl: false },
  })
  const state = createStore<AuthState>({ status: 'loading' })
  let expiring = false

  supabase.auth.onAuthStateChange((event, session) => {
    if (session) {
      expiring = false
      state.set({ status: 'signed-in', session })
    } else if (event === 'SIGNED_OUT' || event === 'INITIAL_SESSION') {
      state.set(expiring ? { status: 'signed-out', reason: 'expired' } : { status: 'signed-out' })
    }
  })

  return {
    supabase,
    state,
    async accessToken() {
      const { data } = await supabase.auth.getSession()
      return data.session?.access_token ?? null
    },
    async signIn(email, password) {
      const { error } = await supabase.auth.signInWithPassword({ email, password })
      if (!error) return {}
      if (error.status === 400 || error.code === 'invalid_credentials')
        return { error: 'That email and password do not match an account.' }
      if (error.status === 429) return { error: 'Too many attempts. Wait a minute and try again.' }
      return { error: 'Signing in failed: the server could not be reached. Try again.' }
    },
    async signOut() {
      await supabase.auth.signOut()
      state.set({ status: 'signed-out' })
    },
    expire() {
      if (expiring) return
      expiring = true
      // Local only: the server already refused the token, there is nothing to revoke there.
      void supabase.auth
        .signOut({ scope: 'local' })
        .finally(() => state.set({ status: 'signed-out', reason: 'expired' }))
    },
  }
}

import { SignJWT } from 'jose'

/** Supabase CLI's own local JWT secret: a development default, never for production. */
export const localJwtSecret = 'super-secret-jwt-token-with-at-least-32-characters-long'

/**
 * The anon and service-role API keys, derived from the JWT secret as
 * `supabase start` derives them (long-lived HS256 tokens whose `role` claim
 * names the database role): with the CLI's default secret they are the same
 * well-known keys.
 */
export async function deriveApiKey(secret: string, role: 'anon' | 'service_role'): Promise<string> {
  return new SignJWT({ iss: 'supabase-demo', role, exp: 1983812996 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret))
}

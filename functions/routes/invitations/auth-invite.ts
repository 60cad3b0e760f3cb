import { SignJWT } from 'jose'
import type { ApiConfig } from '../../config.ts'
import { ApiProblem, problems } from '../../problems/problem.ts'

/**
 * What became of the invite email:
 * - `sent`: Auth created the invitee's account (or re-sent the invite of one
 *   never confirmed) and emailed them a link that signs them in;
 * - `already_registered`: the address has a confirmed account, which Auth does
 *   not invite again; the invitation waits for them in the app;
 * - `not_configured`: no Auth to ask (SUPABASE_URL or a service role key
 *   missing): in the app only.
 */
export type InviteOutcome = 'sent' | 'already_registered' | 'not_configured'

/** How long Auth may take before the invitation is given up (503, nothing written). */
const inviteTimeoutMs = 5_000

/**
 * Asks Supabase Auth to send its invite email: `POST {SUPABASE_URL}/auth/v1/invite`
 * with the service role key, as supabase-js's `auth.admin.inviteUserByEmail`
 * does (GoTrue's Invite handler, internal/api/invite.go). Auth answers 200
 * with the new user, or 422 `email_exists` for an address with a confirmed
 * account. Anything else stops the invitation before it is written: 503 when
 * Auth cannot be reached or is busy, 422 when it refuses the address (e.g.
 * `email_address_not_authorized` under Supabase's default SMTP), 500 when it
 * refuses our key (a deployment fault).
 */
export async function sendAuthInvite(
  config: ApiConfig,
  email: string,
  send: typeof fetch = fetch,
): Promise<InviteOutcome> {
  const url = config.SUPABASE_URL
  const key = await serviceRoleKeyOf(config)
  if (!url || !key) return 'not_configured'

  let res: Response
  try {
    res = await send(`${url.replace(/\/+$/, '')}/auth/v1/invite`, {
      method: 'POST',
      headers: {
        apikey: key,
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        // Errors as `{ code, message }` (GoTrue's 2024-01-01 API version, what supabase-js asks for).
        'x-supabase-api-version': '2024-01-01',
      },
      body: JSON.stringify({ email }),
      signal: AbortSignal.timeout(inviteTimeoutMs),
    })
  } catch {
    throw problems.unavailable('Auth does not answer, so the invite email was not sent; retry the request.')
  }
  if (res.ok) {
    await res.body?.cancel()
    return 'sent'
  }
  const body = (await res.json().catch(() => ({}))) as { code?: unknown; message?: unknown }
  if (res.status === 422 && body.code === 'email_exists') return 'already_registered'
  // Our key refused: a deployment fault (a 500, logged), not the client's.
  if (res.status === 401 || res.status === 403)
    throw new Error(`Auth refused the service role key: ${res.status} ${String(body.message ?? '')}`)
  if (res.status === 429 || res.status >= 500) {
    throw problems.unavailable('Auth could not send the invite email now; retry the request later.')
  }
  throw new ApiProblem(
    422,
    'invite_email_refused',
    'The change breaks a rule',
    `Auth refused to send an invite to this address (${String(body.code ?? res.status)}): ${String(body.message ?? '')}`.trim(),
  )
}

/**
 * SUPABASE_SERVICE_ROLE_KEY, or where only the project's JWT secret is set
 * (the local stack) the service role key the Supabase CLI derives from it
 * (scripts/local/keys.ts derives the same): the local Auth's gateway, like
 * Kong, takes only its two exact keys.
 */
async function serviceRoleKeyOf(config: ApiConfig): Promise<string | undefined> {
  if (config.SUPABASE_SERVICE_ROLE_KEY) return config.SUPABASE_SERVICE_ROLE_KEY
  if (!config.SUPABASE_JWT_SECRET) return undefined
  return new SignJWT({ iss: 'supabase-demo', role: 'service_role', exp: 1983812996 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(config.SUPABASE_JWT_SECRET))
}

import type { Context } from 'hono'
import { authenticate } from './authenticate.ts'
import type { LocalAuthContext } from './context.ts'
import { badRequest } from './errors.ts'

const scopes = ['global', 'local', 'others'] as const

/**
 * `POST /logout?scope=global|local|others`: GoTrue's Logout. Deletes the
 * user's sessions (all, this one, or all but this one); their refresh tokens
 * go with them (on delete cascade). Access tokens already issued stay valid
 * until they expire, as on Supabase, except here at /user, which checks the session.
 */
export async function logout(c: Context, auth: LocalAuthContext): Promise<Response> {
  const { user, session } = await authenticate(c, auth)
  const requested = c.req.query('scope') ?? ''
  const scope = requested === '' ? 'global' : scopes.find((s) => s === requested)
  if (!scope) throw badRequest('validation_failed', `Unsupported logout scope "${requested}"`)

  if (scope === 'local' && session) {
    await auth.db.query('delete from auth.sessions where id = $1', [session.id])
  } else if (scope === 'others' && session) {
    await auth.db.query('delete from auth.sessions where id <> $1 and user_id = $2', [session.id, user.id])
  } else {
    await auth.db.query('delete from auth.sessions where user_id = $1', [user.id])
  }
  return c.body(null, 204)
}

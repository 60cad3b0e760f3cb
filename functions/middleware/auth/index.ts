import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../context.ts'
import { problems } from '../../problems/problem.ts'
import { InvalidTokenError } from './verify-token.ts'

/**
 * Requires `Authorization: Bearer <access token>` (RFC 6750) and puts the
 * verified claims on the context. No token or a bad one: 401 with
 * WWW-Authenticate, never a hint about which part failed beyond the reason.
 */
export const requireUser = (verify: (token: string) => Promise<AppEnv['Variables']['claims']>) =>
  async function requireUser(c, next) {
    const header = c.req.header('Authorization')
    const match = header ? /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim()) : null
    if (!match?.[1]) throw problems.unauthorized('Send Authorization: Bearer <access token>.')
    try {
      c.set('claims', await verify(match[1]))
    } catch (error) {
      if (error instanceof InvalidTokenError) throw problems.unauthorized(error.message)
      throw error
    }
    await next()
  } satisfies MiddlewareHandler<AppEnv>

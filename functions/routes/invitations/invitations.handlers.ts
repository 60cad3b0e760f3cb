import type { RouteHandler, z } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import type { Transaction } from '../../db/database.ts'
import { isoTimestamp } from '../../db/timestamps.ts'
import type { MembershipRole } from '../../domain/vocabulary.ts'
import { decodeCursor } from '../../http/cursor.ts'
import { keysetPage } from '../../http/keyset-page.ts'
import { isPostgresError } from '../../problems/postgres-errors.ts'
import { ApiProblem, problems } from '../../problems/problem.ts'
import { asCaller } from '../../queries/as-caller.ts'
import {
  acceptInvitation,
  createInvitation,
  declineInvitation,
  type InvitationDbRow,
  invitationSort,
  listInvitations,
  myInvitations,
  organizationName,
  revokeInvitation,
} from '../../queries/invitations.ts'
import { sendAuthInvite } from './auth-invite.ts'
import { answerProblem, endedProblem, explained } from './invitation-problems.ts'
import type * as routes from './invitations.routes.ts'
import type { Invitation } from './invitations.schemas.ts'

function toInvitation(row: InvitationDbRow): z.infer<typeof Invitation> {
  return {
    id: row.id,
    org_id: row.org_id,
    email: row.email,
    role: row.role,
    status: row.status,
    invited_by: row.invited_by,
    created_at: isoTimestamp(row.created_at),
    expires_at: isoTimestamp(row.expires_at),
    ended_at: row.ended_at === null ? null : isoTimestamp(row.ended_at),
    ended_by: row.ended_by,
  }
}

/** Ends a trial transaction: everything it wrote is rolled back, its verdict kept. */
class TrialPassed extends Error {}

const openInvitationExists = (error: unknown) =>
  isPostgresError(error) && error.code === '23505'
    ? new ApiProblem(
        409,
        'invitation_open',
        'Conflict',
        'An open invitation to this address exists: revoke it to invite again.',
      )
    : undefined

const insertInvitation = (tx: Transaction, orgId: string, email: string, role: MembershipRole) =>
  explained(createInvitation(tx, orgId, email, role), openInvitationExists)

/**
 * Three steps, so that Auth is never asked while a transaction is open (an
 * HTTP call must not hold a pooled connection, and the local stack's one
 * PGlite connection would wait for itself) and nothing is written if Auth
 * cannot send the invite:
 * 1. the insert as the caller, rolled back: the database's own verdict
 *    (policies, one open invitation per address) before anything is sent;
 * 2. Auth's invite;
 * 3. the insert again, kept. Should the database refuse it now (the caller
 *    lost their role in between), Auth has created an account for the
 *    address and nothing more: no membership, no invitation.
 */
export const create: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const { email, role } = c.req.valid('json')
  const { config, log } = c.var.deps
  await asCaller(c, async (tx) => {
    await insertInvitation(tx, orgId, email, role)
    throw new TrialPassed()
  }).catch((error) => {
    if (!(error instanceof TrialPassed)) throw error
  })
  const outcome = await sendAuthInvite(config, email)
  const row = await asCaller(c, (tx) => insertInvitation(tx, orgId, email, role))
  // Not in the answer: whether the address has an account is not the inviter's to learn.
  log({
    level: 'info',
    msg: 'invitation created',
    invitation_id: row.id,
    org_id: orgId,
    invite_email: outcome,
  })
  return c.json(toInvitation(row), 201)
}

const sort = invitationSort

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const { limit, cursor, status } = c.req.valid('query')
  const after = decodeCursor(cursor, sort.name)
  const rows = await asCaller(c, (tx) => listInvitations(tx, orgId, { limit, after, status }))
  return c.json(keysetPage(rows, limit, sort.name, toInvitation), 200)
}

export const revoke: RouteHandler<typeof routes.revoke, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const row = await asCaller(c, async (tx) => {
    const seen = await revokeInvitation(tx, id)
    if (seen.revoked) return seen.revoked
    // Why not: hidden (404), already ended (409), or not the caller's to revoke (403).
    if (seen.status === null) throw problems.notFound('invitation')
    if (seen.status !== 'open') throw endedProblem(seen.status)
    throw problems.forbidden('Only admins revoke invitations, and only owners those that offer ownership.')
  })
  return c.json(toInvitation(row), 200)
}

export const listMine: RouteHandler<typeof routes.listMine, AppEnv> = async (c) => {
  const rows = await asCaller(c, (tx) => myInvitations(tx))
  c.header('Cache-Control', 'private, no-cache')
  return c.json(
    {
      data: rows.map((row) => ({
        ...row,
        created_at: isoTimestamp(row.created_at),
        expires_at: isoTimestamp(row.expires_at),
      })),
    },
    200,
  )
}

export const accept: RouteHandler<typeof routes.accept, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const row = await asCaller(c, async (tx) => {
    const accepted = await explained(acceptInvitation(tx, id), answerProblem)
    // A statement of its own: the membership is visible from the next one on.
    return { ...accepted, org_name: await organizationName(tx, accepted.org_id) }
  })
  return c.json(
    { org_id: row.org_id, org_name: row.org_name, role: row.role, already_member: row.already_member },
    200,
  )
}

export const decline: RouteHandler<typeof routes.decline, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  await asCaller(c, (tx) => explained(declineInvitation(tx, id), answerProblem))
  return c.body(null, 204)
}

import type { RouteHandler, z } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import type { Queryable } from '../../db/database.ts'
import { type MembershipRole, roleAtLeast } from '../../domain/vocabulary.ts'
import { asCaller } from '../../http/as-caller.ts'
import { type KeysetRow, keysetPage } from '../../http/keyset-page.ts'
import { keysetQuery } from '../../http/keyset-query.ts'
import { assertOrgVisible, readAfterCheck } from '../../http/org-visible.ts'
import { isoTimestamp } from '../../http/sql.ts'
import { isPostgresError } from '../../problems/postgres-errors.ts'
import { ApiProblem, problems } from '../../problems/problem.ts'
import { sendAuthInvite } from './auth-invite.ts'
import { answerProblem, endedProblem, explained } from './invitation-problems.ts'
import type * as routes from './invitations.routes.ts'
import type { Invitation, MyInvitation } from './invitations.schemas.ts'

interface InvitationDbRow extends KeysetRow {
  org_id: string
  email: string
  role: MembershipRole
  status: z.infer<typeof Invitation>['status']
  invited_by: string | null
  created_at: unknown
  expires_at: unknown
  ended_at: unknown
  ended_by: string | null
}

// An open invitation past its expiry reads as expired: it can no longer be accepted.
const effectiveStatus = `case when i.status = 'open' and i.expires_at <= now() then 'expired' else i.status::text end`
const columns = `i.id, i.org_id, i.email, i.role, ${effectiveStatus} as status, i.invited_by, i.created_at,
  i.expires_at, i.ended_at, i.ended_by`

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

/**
 * The caller's role decides the message; the insert policy decides the
 * outcome (the database refuses the same invitation whatever this says).
 */
async function assertMayInvite(tx: Queryable, orgId: string, role: MembershipRole) {
  const [me] = await tx.query<{ role: MembershipRole }>(
    'select role from public.memberships where org_id = $1 and user_id = (select auth.uid())',
    [orgId],
  )
  if (!me) throw problems.notFound('organization')
  if (!roleAtLeast(me.role, 'admin')) throw problems.forbidden('Only admins and owners invite.')
  if (!roleAtLeast(me.role, role))
    throw problems.forbidden(`You can invite at most as ${me.role}, your own role.`)
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

async function insertInvitation(tx: Queryable, orgId: string, email: string, role: MembershipRole) {
  await assertMayInvite(tx, orgId, role)
  const [created] = await explained(
    tx.query<InvitationDbRow>(
      `insert into public.invitations as i (org_id, email, role) values ($1, $2, $3) returning ${columns}`,
      [orgId, email, role],
    ),
    openInvitationExists,
  )
  return created as InvitationDbRow
}

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

const sort = { name: '-created_at', column: 'i.created_at', type: 'timestamptz', idColumn: 'i.id' }

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const { limit, cursor, status } = c.req.valid('query')
  const params: unknown[] = [orgId]
  let filter = ''
  if (status) {
    params.push(status)
    filter = `and ${effectiveStatus} = $${params.length}`
  }
  const page = keysetQuery(sort, cursor, limit, params)
  const rows = await asCaller(c, (tx) =>
    readAfterCheck(
      assertOrgVisible(tx, orgId),
      // RLS shows a non-admin member none of them: an empty page.
      tx.query<InvitationDbRow>(
        `select ${columns}, ${page.sortValue} as sort_value
         from public.invitations i
         where i.org_id = $1 ${filter} ${page.after ? `and ${page.after}` : ''}
         order by ${page.orderBy}
         limit ${page.limit}`,
        params,
      ),
    ),
  )
  return c.json(keysetPage(rows, limit, sort.name, toInvitation), 200)
}

export const revoke: RouteHandler<typeof routes.revoke, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const row = await asCaller(c, async (tx) => {
    const [revoked] = await tx.query<InvitationDbRow>(
      `update public.invitations i set status = 'revoked' where i.id = $1 and i.status = 'open' returning ${columns}`,
      [id],
    )
    if (revoked) return revoked
    // Why not: hidden (404), already ended (409), or not the caller's to revoke (403).
    const [seen] = await tx.query<{ status: string }>(
      'select status::text from public.invitations where id = $1',
      [id],
    )
    if (!seen) throw problems.notFound('invitation')
    if (seen.status !== 'open') throw endedProblem(seen.status)
    throw problems.forbidden('Only admins revoke invitations, and only owners those that offer ownership.')
  })
  return c.json(toInvitation(row), 200)
}

export const listMine: RouteHandler<typeof routes.listMine, AppEnv> = async (c) => {
  const rows = await asCaller(c, (tx) =>
    tx.query<z.infer<typeof MyInvitation> & { created_at: unknown; expires_at: unknown }>(
      `select id, org_id, org_name, role, invited_by_name, created_at, expires_at
       from private.my_invitations() limit 100`,
    ),
  )
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
    const [accepted] = await explained(
      tx.query<{ org_id: string; role: MembershipRole; already_member: boolean }>(
        'select org_id, role, already_member from private.accept_invitation($1)',
        [id],
      ),
      answerProblem,
    )
    if (!accepted) throw new Error('accept_invitation returned no row')
    // A statement of its own: the membership is visible from the next one on.
    const [org] = await tx.query<{ name: string }>('select name from public.organizations where id = $1', [
      accepted.org_id,
    ])
    return { ...accepted, org_name: org?.name ?? '' }
  })
  return c.json(
    { org_id: row.org_id, org_name: row.org_name, role: row.role, already_member: row.already_member },
    200,
  )
}

export const decline: RouteHandler<typeof routes.decline, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  await asCaller(c, (tx) => explained(tx.query('select private.decline_invitation($1)', [id]), answerProblem))
  return c.body(null, 204)
}

import type { Queryable } from '../db/database.ts'
import { sql } from '../db/sql.ts'
import { type InvitationStatus, type MembershipRole, roleAtLeast } from '../domain/vocabulary.ts'
import { problems } from '../problems/problem.ts'
import { type KeysetAfter, type KeysetRow, type KeysetSort, keysetClauses } from './keyset.ts'
import { callerRole } from './members.ts'
import { assertOrgVisible, readAfterCheck } from './visibility.ts'

/**
 * Invitations: what admins send and see, and what an invitee answers. The
 * database decides every outcome (insert policy, one open invitation per
 * address, private.accept_invitation); the checks here only choose the message.
 */

export interface InvitationDbRow {
  id: string
  org_id: string
  email: string
  role: MembershipRole
  status: InvitationStatus
  invited_by: string | null
  created_at: unknown
  expires_at: unknown
  ended_at: unknown
  ended_by: string | null
}

// An open invitation past its expiry reads as expired: it can no longer be accepted.
const effectiveStatus = sql`case when i.status = 'open' and i.expires_at <= now() then 'expired' else i.status::text end`
const columns = sql`i.id, i.org_id, i.email, i.role, ${effectiveStatus} as status, i.invited_by, i.created_at,
  i.expires_at, i.ended_at, i.ended_by`

/** Newest first. */
export const invitationSort: KeysetSort = {
  name: '-created_at',
  column: sql`i.created_at`,
  type: sql`timestamptz`,
  idColumn: sql`i.id`,
}

/**
 * The caller's role decides the message; the insert policy decides the
 * outcome (the database refuses the same invitation whatever this says).
 */
async function assertMayInvite(tx: Queryable, orgId: string, role: MembershipRole) {
  const mine = await callerRole(tx, orgId)
  if (!mine) throw problems.notFound('organization')
  if (!roleAtLeast(mine, 'admin')) throw problems.forbidden('Only admins and owners invite.')
  if (!roleAtLeast(mine, role)) throw problems.forbidden(`You can invite at most as ${mine}, your own role.`)
}

/**
 * Invites an address into an organization with a role. 404 when the
 * organization is hidden, 403 when the caller may not invite (with that role);
 * an open invitation to the address is a unique violation (23505).
 */
export async function createInvitation(
  tx: Queryable,
  orgId: string,
  email: string,
  role: MembershipRole,
): Promise<InvitationDbRow> {
  await assertMayInvite(tx, orgId, role)
  const [created] = await tx.query<InvitationDbRow>(
    sql`insert into public.invitations as i (org_id, email, role) values (${orgId}, ${email}, ${role})
        returning ${columns}`,
  )
  if (!created) throw new Error('the new invitation was not returned')
  return created
}

/** One keyset page (and one row more) of an organization's invitations; 404 when it is hidden. */
export function listInvitations(
  tx: Queryable,
  orgId: string,
  filters: { limit: number; after?: KeysetAfter | undefined; status?: InvitationStatus | undefined },
): Promise<(InvitationDbRow & KeysetRow)[]> {
  const page = keysetClauses(invitationSort, filters.after, filters.limit)
  const status = filters.status === undefined ? sql`true` : sql`${effectiveStatus} = ${filters.status}`
  return readAfterCheck(
    assertOrgVisible(tx, orgId),
    // RLS shows a non-admin member none of them: an empty page.
    tx.query<InvitationDbRow & KeysetRow>(
      sql`select ${columns}, ${page.sortValue} as sort_value
          from public.invitations i
          where i.org_id = ${orgId} and ${status} and ${page.after}
          order by ${page.orderBy}
          limit ${page.limit}`,
    ),
  )
}

/**
 * Revokes an open invitation. When none was revoked, returns why: `hidden`,
 * or the status it has (`open`: the caller may not revoke it).
 */
export async function revokeInvitation(
  tx: Queryable,
  id: string,
): Promise<{ revoked: InvitationDbRow } | { revoked?: undefined; status: string | null }> {
  const [revoked] = await tx.query<InvitationDbRow>(
    sql`update public.invitations i set status = 'revoked' where i.id = ${id} and i.status = 'open'
        returning ${columns}`,
  )
  if (revoked) return { revoked }
  const [seen] = await tx.query<{ status: string }>(
    sql`select status::text from public.invitations where id = ${id}`,
  )
  return { status: seen?.status ?? null }
}

export interface MyInvitationDbRow {
  id: string
  org_id: string
  org_name: string
  role: MembershipRole
  invited_by_name: string | null
  created_at: unknown
  expires_at: unknown
}

/** The open, unexpired invitations addressed to the caller's verified email, newest first (at most 100). */
export function myInvitations(tx: Queryable): Promise<MyInvitationDbRow[]> {
  return tx.query<MyInvitationDbRow>(
    sql`select id, org_id, org_name, role, invited_by_name, created_at, expires_at
        from private.my_invitations() limit 100`,
  )
}

/**
 * Accepts an invitation addressed to the caller: private.accept_invitation
 * raises P0002 or 55000 when it cannot be answered (invitation-problems.ts).
 */
export async function acceptInvitation(
  tx: Queryable,
  id: string,
): Promise<{ org_id: string; role: MembershipRole; already_member: boolean }> {
  const [accepted] = await tx.query<{ org_id: string; role: MembershipRole; already_member: boolean }>(
    sql`select org_id, role, already_member from private.accept_invitation(${id})`,
  )
  if (!accepted) throw new Error('accept_invitation returned no row')
  return accepted
}

/** The name of an organization, '' when hidden; after accepting, from the next statement on it is visible. */
export async function organizationName(tx: Queryable, orgId: string): Promise<string> {
  const [org] = await tx.query<{ name: string }>(
    sql`select name from public.organizations where id = ${orgId}`,
  )
  return org?.name ?? ''
}

/** Declines an invitation addressed to the caller; raises as acceptInvitation does. */
export async function declineInvitation(tx: Queryable, id: string): Promise<void> {
  await tx.query(sql`select private.decline_invitation(${id})`)
}

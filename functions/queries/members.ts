import type { Queryable } from '../db/database.ts'
import { sql } from '../db/sql.ts'
import type { MembershipRole } from '../domain/vocabulary.ts'
import { problems } from '../problems/problem.ts'
import { type KeysetAfter, type KeysetRow, type KeysetSort, keysetClauses } from './keyset.ts'
import { assertOrgVisible, readAfterCheck } from './visibility.ts'

/**
 * Members of an organization: memberships with the members' profiles. RLS
 * shows memberships of the caller's organizations and colleagues' profiles;
 * who may change whom is the memberships policies' (admins below owner,
 * owners everyone). The last owner's demotion or removal is refused by
 * memberships_keep_last_owner (23514 → 422).
 */

export type MemberDbRow = {
  user_id: string
  display_name: string
  username: string
  role: MembershipRole
}

/** By display name (ties by user id). */
export const memberSort: KeysetSort = {
  name: 'display_name',
  column: sql`u.display_name`,
  type: sql`text`,
  idColumn: sql`u.id`,
}

/** One keyset page (and one row more) of an organization's members; 404 when it is hidden. */
export function listMembers(
  tx: Queryable,
  orgId: string,
  { limit, after }: { limit: number; after?: KeysetAfter | undefined },
): Promise<(MemberDbRow & KeysetRow)[]> {
  const page = keysetClauses(memberSort, after, limit)
  return readAfterCheck(
    assertOrgVisible(tx, orgId),
    tx.query<MemberDbRow & KeysetRow>(
      sql`select u.id, u.id as user_id, u.display_name, u.username, m.role, ${page.sortValue} as sort_value
          from public.memberships m
          join public.users u on u.id = m.user_id
          where m.org_id = ${orgId} and ${page.after}
          order by ${page.orderBy}
          limit ${page.limit}`,
    ),
  )
}

/** One member as any member sees them; undefined when hidden or not a member. */
export async function readMember(
  tx: Queryable,
  orgId: string,
  userId: string,
): Promise<MemberDbRow | undefined> {
  const [row] = await tx.query<MemberDbRow>(
    sql`select u.id as user_id, u.display_name, u.username, m.role
        from public.memberships m join public.users u on u.id = m.user_id
        where m.org_id = ${orgId} and m.user_id = ${userId}`,
  )
  return row
}

/** After a change under RLS touched no row: a member the caller cannot see (404) or may not change (403). */
async function explainUnchanged(tx: Queryable, orgId: string, userId: string): Promise<never> {
  if (!(await readMember(tx, orgId, userId))) throw problems.notFound('member')
  throw problems.forbidden(
    'Admins change and remove members below owner; only owners change or remove an owner.',
  )
}

/** Gives a member another role and returns them; one the caller could not change is explained (404, 403). */
export async function changeRole(
  tx: Queryable,
  orgId: string,
  userId: string,
  role: MembershipRole,
): Promise<MemberDbRow | undefined> {
  const updated = await tx.query(
    sql`update public.memberships set role = ${role} where org_id = ${orgId} and user_id = ${userId} returning 1`,
  )
  if (updated.length === 0) await explainUnchanged(tx, orgId, userId)
  return readMember(tx, orgId, userId)
}

/**
 * An owner (`ownerId`, the caller) hands the organization to another member,
 * staying on as admin. 404 when the organization or member is hidden, 403
 * when the caller is not an owner. Returns the new and the previous owner.
 */
export async function transferOwnership(
  tx: Queryable,
  orgId: string,
  ownerId: string,
  userId: string,
): Promise<[MemberDbRow | undefined, MemberDbRow | undefined]> {
  const [me, them] = await Promise.all([readMember(tx, orgId, ownerId), readMember(tx, orgId, userId)])
  if (!me) throw problems.notFound('organization')
  if (!them) throw problems.notFound('member')
  if (me.role !== 'owner') throw problems.forbidden('Only an owner hands over ownership.')
  // Promote first, so the organization never lacks an owner between the two statements.
  await tx.query(
    sql`update public.memberships set role = 'owner' where org_id = ${orgId} and user_id = ${userId}`,
  )
  await tx.query(
    sql`update public.memberships set role = 'admin' where org_id = ${orgId} and user_id = ${ownerId}`,
  )
  return Promise.all([readMember(tx, orgId, userId), readMember(tx, orgId, ownerId)])
}

/** Removes a member (or the caller leaves); one the caller could not remove is explained (404, 403). */
export async function removeMember(tx: Queryable, orgId: string, userId: string): Promise<void> {
  const deleted = await tx.query(
    sql`delete from public.memberships where org_id = ${orgId} and user_id = ${userId} returning 1`,
  )
  if (deleted.length === 0) await explainUnchanged(tx, orgId, userId)
}

/** The caller's own role in an organization; undefined when they are not a member (or it is hidden). */
export async function callerRole(tx: Queryable, orgId: string): Promise<MembershipRole | undefined> {
  const [me] = await tx.query<{ role: MembershipRole }>(
    sql`select role::text as role from public.memberships where org_id = ${orgId} and user_id = (select auth.uid())`,
  )
  return me?.role
}

/** Every member's user id and email (for the importer's owner column). */
export function memberEmails(tx: Queryable, orgId: string): Promise<{ user_id: string; email: string }[]> {
  return tx.query<{ user_id: string; email: string }>(
    sql`select m.user_id, u.email from public.memberships m join public.users u on u.id = m.user_id
        where m.org_id = ${orgId}`,
  )
}

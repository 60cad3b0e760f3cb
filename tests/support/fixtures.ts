import { randomUUID } from 'node:crypto'
import type { Queryable } from '../../functions/db/database.ts'
import { type MembershipRole, membershipRoles } from '../../functions/domain/vocabulary.ts'

export interface FixtureUser {
  id: string
  email: string
}

/**
 * Two tenants, written as the superuser (as a seed would):
 * - org A with one user of every role, plus a second rep (`rep2`);
 * - org B with its own owner (`outsider`), who is not a member of A;
 * - in A: a customer owned by `rep`, one owned by `rep2`, each with one child of
 *   every kind and a note; in B: one customer with the same.
 */
export interface Fixture {
  orgA: string
  orgB: string
  users: Record<MembershipRole | 'rep2' | 'outsider' | 'stranger', FixtureUser>
  customers: { repOwned: string; rep2Owned: string; orgB: string }
}

export async function createAuthUser(
  db: Queryable,
  email: string,
  displayName?: string,
): Promise<FixtureUser> {
  const id = randomUUID()
  await db.query(
    `insert into auth.users (id, aud, role, email, encrypted_password, email_confirmed_at, raw_user_meta_data)
     values ($1, 'authenticated', 'authenticated', $2, '', now(), $3::jsonb)`,
    [id, email, JSON.stringify({ display_name: displayName ?? email.split('@')[0] })],
  )
  return { id, email }
}

export async function createOrganization(db: Queryable, name: string): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    'insert into public.organizations (name, created_by) values ($1, null) returning id',
    [name],
  )
  return (row as { id: string }).id
}

export async function addMember(db: Queryable, orgId: string, userId: string, role: MembershipRole) {
  await db.query('insert into public.memberships (org_id, user_id, role) values ($1, $2, $3)', [
    orgId,
    userId,
    role,
  ])
}

export async function createCustomer(
  db: Queryable,
  orgId: string,
  ownerId: string | null,
  name: string,
  phase = 'lead',
): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    'insert into public.customers (org_id, owner_id, name, phase) values ($1, $2, $3, $4) returning id',
    [orgId, ownerId, name, phase],
  )
  return (row as { id: string }).id
}

/** One row of every child kind under a customer, so every table has something to see. */
export async function addCustomerChildren(db: Queryable, orgId: string, customerId: string, tag: string) {
  await db.query(`insert into public.contacts (org_id, customer_id, name, email) values ($1, $2, $3, $4)`, [
    orgId,
    customerId,
    `Contact ${tag}`,
    `contact-${tag}@example.com`,
  ])
  await db.query(
    `insert into public.teams (org_id, customer_id, name, finance_code) values ($1, $2, $3, $4)`,
    [orgId, customerId, `Team ${tag}`, `FC-${tag}`],
  )
  await db.query(`insert into public.processes (org_id, customer_id, name) values ($1, $2, $3)`, [
    orgId,
    customerId,
    `Process ${tag}`,
  ])
  await db.query(
    `insert into public.services (org_id, customer_id, name, monthly_hours) values ($1, $2, $3, 10)`,
    [orgId, customerId, `Service ${tag}`],
  )
  await db.query(
    `insert into public.documents (org_id, customer_id, name, storage_path, size_bytes, content_type)
     values ($1, $2, $3, $4, 100, 'application/pdf')`,
    [
      orgId,
      customerId,
      `Document ${tag}.pdf`,
      `org/${orgId}/customers/${customerId}/${tag}/Document-${tag}.pdf`,
    ],
  )
  await db.query(
    `insert into public.customer_external_ids (org_id, customer_id, provider, external_id) values ($1, $2, 'hubspot', $3)`,
    [orgId, customerId, `hs-${tag}`],
  )
}

export async function createFixture(db: Queryable): Promise<Fixture> {
  const suffix = randomUUID().slice(0, 8)
  const orgA = await createOrganization(db, `Org A ${suffix}`)
  const orgB = await createOrganization(db, `Org B ${suffix}`)
  const users = {} as Fixture['users']
  for (const role of membershipRoles) {
    users[role] = await createAuthUser(db, `${role}-${suffix}@a.example.com`)
    await addMember(db, orgA, users[role].id, role)
  }
  users.rep2 = await createAuthUser(db, `rep2-${suffix}@a.example.com`)
  await addMember(db, orgA, users.rep2.id, 'rep')
  users.outsider = await createAuthUser(db, `owner-${suffix}@b.example.com`)
  await addMember(db, orgB, users.outsider.id, 'owner')
  users.stranger = await createAuthUser(db, `stranger-${suffix}@nowhere.example.com`)

  const repOwned = await createCustomer(db, orgA, users.rep.id, `Rep's customer ${suffix}`)
  const rep2Owned = await createCustomer(db, orgA, users.rep2.id, `Rep2's customer ${suffix}`)
  const orgBCustomer = await createCustomer(db, orgB, users.outsider.id, `B's customer ${suffix}`)
  await addCustomerChildren(db, orgA, repOwned, `a1-${suffix}`)
  await addCustomerChildren(db, orgA, rep2Owned, `a2-${suffix}`)
  await addCustomerChildren(db, orgB, orgBCustomer, `b1-${suffix}`)
  for (const [orgId, customerId, userId] of [
    [orgA, repOwned, users.rep.id],
    [orgA, rep2Owned, users.rep2.id],
    [orgB, orgBCustomer, users.outsider.id],
  ] as const) {
    await db.query(
      `insert into public.timeline_events (org_id, customer_id, type, description, actor_id) values ($1, $2, 'note', 'A note', $3)`,
      [orgId, customerId, userId],
    )
  }
  const [chatA] = await db.query<{ id: string }>(
    `insert into public.chat_sessions (org_id, user_id, title) values ($1, $2, 'Rep chat') returning id`,
    [orgA, users.rep.id],
  )
  await db.query(`insert into public.chat_messages (org_id, session_id, content) values ($1, $2, 'Hello')`, [
    orgA,
    chatA?.id,
  ])
  const [chatB] = await db.query<{ id: string }>(
    `insert into public.chat_sessions (org_id, user_id, title) values ($1, $2, 'Outsider chat') returning id`,
    [orgB, users.outsider.id],
  )
  await db.query(`insert into public.chat_messages (org_id, session_id, content) values ($1, $2, 'Hi')`, [
    orgB,
    chatB?.id,
  ])
  return { orgA, orgB, users, customers: { repOwned, rep2Owned, orgB: orgBCustomer } }
}

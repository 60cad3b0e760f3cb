import { randomUUID } from 'node:crypto'
import type { Database, Queryable, Transaction } from '../../../../functions/db/database.ts'
import { withDatabaseRole, withUser } from '../../../../functions/db/with-user.ts'
import { addMember, createAuthUser, createFixture, type Fixture } from '../../../support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../../support/test-database.ts'

/**
 * The callers the issue names: nobody signed in, a signed-in user in no
 * organization, a member removed from org A, org A's members by role, and the
 * owner of org B (a member of another organization).
 */
export const callers = [
  'anon',
  'stranger',
  'removed',
  'viewer',
  'rep',
  'manager',
  'admin',
  'owner',
  'outsider',
] as const
export type Caller = (typeof callers)[number]

export interface Identity {
  caller: Caller
  /** undefined for anon */
  userId?: string
  email?: string
  /** Organizations the caller belongs to, by id. */
  orgs: string[]
  /** Colleagues' user ids (their profiles are shared), the caller included. */
  colleagues: string[]
  /** May the caller write in its own organizations at all? A viewer writes nothing there. */
  writesInOrg: boolean
}

export interface AttackWorld {
  t: TestDatabase
  db: Database
  f: Fixture
  identities: Record<Caller, Identity>
}

/**
 * One migrated database with the two-tenant fixture, plus a row of every table
 * the fixture leaves empty (so updates and deletes have something to hit), and
 * a member of org A who was removed.
 */
export async function createAttackWorld(): Promise<AttackWorld> {
  const t = await createTestDatabase()
  const db = t.db
  const f = await createFixture(db)
  const removed = await createAuthUser(db, `removed-${randomUUID().slice(0, 8)}@a.example.com`)
  await addMember(db, f.orgA, removed.id, 'rep')
  // Their chat about the organization's customers goes with their membership (a cascade);
  // the reads would show it if it stayed.
  const [chat] = await db.query<{ id: string }>(
    `insert into public.chat_sessions (org_id, user_id, title) values ($1, $2, 'Removed member chat') returning id`,
    [f.orgA, removed.id],
  )
  await db.query(
    `insert into public.chat_messages (org_id, session_id, content) values ($1, $2, 'About Acme')`,
    [f.orgA, chat?.id],
  )
  await db.query('delete from public.memberships where org_id = $1 and user_id = $2', [f.orgA, removed.id])
  for (const [org, admin, tag] of [
    [f.orgA, f.users.admin.id, 'a'],
    [f.orgB, f.users.outsider.id, 'b'],
  ] as const) {
    await addOrgRows(db, org, admin, tag)
  }
  await db.query(
    `insert into public.job_runs (job, status, finished_at, rows) values ('attack-fixture', 'succeeded', now(), 0)`,
  )
  const member = (caller: Exclude<Caller, 'anon' | 'stranger' | 'removed' | 'outsider'>): Identity => ({
    caller,
    userId: f.users[caller].id,
    email: f.users[caller].email,
    orgs: [f.orgA],
    colleagues: [],
    writesInOrg: caller !== 'viewer',
  })
  const identities: Record<Caller, Identity> = {
    anon: { caller: 'anon', orgs: [], colleagues: [], writesInOrg: false },
    stranger: {
      caller: 'stranger',
      userId: f.users.stranger.id,
      email: f.users.stranger.email,
      orgs: [],
      colleagues: [],
      writesInOrg: false,
    },
    removed: {
      caller: 'removed',
      userId: removed.id,
      email: removed.email,
      orgs: [],
      colleagues: [],
      writesInOrg: false,
    },
    viewer: member('viewer'),
    rep: member('rep'),
    manager: member('manager'),
    admin: member('admin'),
    owner: member('owner'),
    outsider: {
      caller: 'outsider',
      userId: f.users.outsider.id,
      email: f.users.outsider.email,
      orgs: [f.orgB],
      colleagues: [],
      writesInOrg: true,
    },
  }
  for (const identity of Object.values(identities)) {
    if (!identity.userId) continue
    const rows = await db.query<{ user_id: string }>(
      `select distinct theirs.user_id::text from public.memberships mine
       join public.memberships theirs on theirs.org_id = mine.org_id
       where mine.user_id = $1`,
      [identity.userId],
    )
    identity.colleagues = [
      identity.userId,
      ...rows.map((r) => r.user_id).filter((id) => id !== identity.userId),
    ]
  }
  return { t, db, f, identities }
}

/**
 * Rows of the tables the shared fixture does not fill: integrations and their sync state, keys, metrics,
 * invitations, tasks, notifications, activities.
 */
async function addOrgRows(db: Queryable, orgId: string, adminId: string, tag: string) {
  await db.query(
    `insert into public.invitations (org_id, email, role, invited_by) values ($1, $2, 'viewer', $3)`,
    [orgId, `invitee-${tag}@example.com`, adminId],
  )
  const [integration] = await db.query<{ id: string }>(
    `insert into public.integrations (org_id, provider, name, created_by)
     values ($1, 'hubspot', $2, $3) returning id`,
    [orgId, `HubSpot ${tag}`, adminId],
  )
  await db.query(
    `insert into private.integration_secrets (integration_id, secrets) values ($1, '["secret-${tag}"]')`,
    [integration?.id],
  )
  await db.query(
    `insert into public.webhook_events (org_id, integration_id, provider, event_id, body, status)
     values ($1, $2, 'hubspot', $3, '{}', 'dead')`,
    [orgId, integration?.id, `event-${tag}`],
  )
  await db.query(
    `insert into public.integration_objects (org_id, integration_id, kind, external_id, properties)
     values ($1, $2, 'customer', $3, '{"name": "Synced"}')`,
    [orgId, integration?.id, `hs-object-${tag}`],
  )
  await db.query(
    `insert into public.idempotency_keys (user_id, key, method, path, request_hash, status, response)
     values ($1, $2, 'POST', '/api/orgs/x/customers', 'hash', 201, '{"id": "x"}')`,
    [adminId, `fixture-key-${tag}`],
  )
  await db.query(
    `insert into public.daily_metrics (org_id, day, time_zone, customers_by_phase, new_customers,
       deleted_customers, phase_in, phase_out, conversions_won, conversions_lost, events_by_type,
       active_users, computed_at)
     values ($1, '2026-11-01', 'UTC', '{}', 1, 0, '{}', '{}', 0, 0, '{}', 1, now())`,
    [orgId],
  )
  // Issue 19: a task (overdue, so its assignee has a notification) and a logged call.
  const [customer] = await db.query<{ id: string }>(
    'select id from public.customers where org_id = $1 order by name limit 1',
    [orgId],
  )
  const [task] = await db.query<{ id: string }>(
    `insert into public.tasks (org_id, customer_id, assignee_id, title, due_at)
     values ($1, $2, $3, $4, now() - interval '1 day') returning id`,
    [orgId, customer?.id, adminId, `Follow up ${tag}`],
  )
  await db.query(
    `insert into public.notifications (org_id, user_id, kind, task_id, title)
     values ($1, $2, 'task_overdue', $3, $4)`,
    [orgId, adminId, task?.id, `Task overdue: Follow up ${tag}`],
  )
  await db.query(
    `insert into public.activities (org_id, customer_id, kind, outcome, summary, actor_id)
     values ($1, $2, 'call', 'completed', $3, $4)`,
    [orgId, customer?.id, `Call ${tag}`, adminId],
  )
}

class Rollback {
  constructor(readonly value: unknown) {}
}

/**
 * Runs `fn` as `caller` (anon, or a signed-in user as PostgREST would: role
 * `authenticated` and the user's claims) in a transaction that is always
 * rolled back.
 */
export async function asCaller<T>(
  w: AttackWorld,
  caller: Caller,
  fn: (tx: Transaction) => Promise<T>,
): Promise<T> {
  const identity = w.identities[caller]
  const run = (tx: Transaction) =>
    fn(tx).then((value) => {
      throw new Rollback(value)
    })
  try {
    if (!identity.userId) await withDatabaseRole(w.db, 'anon', { role: 'anon' }, run)
    else await withUser(w.db, { sub: identity.userId, email: identity.email, aud: 'authenticated' }, run)
  } catch (error) {
    if (error instanceof Rollback) return error.value as T
    throw error
  }
  throw new Error('unreachable: the transaction always rolls back')
}

/** The database's role and claims for the rest of this transaction: the superuser who connected, to look. */
export const asSuperuserSql = `select set_config('role', 'none', true)`

import bcrypt from 'bcryptjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../functions/db/database.ts'
import { customerPhases, membershipRoles, processStatuses } from '../../functions/domain/vocabulary.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import { DEMO_PASSWORD, demoOrganizations } from './demo-accounts.ts'
import { DEFAULT_CUSTOMERS, generateSeed } from './generate.ts'
import { findBrokenForeignKeys } from './integrity.ts'
import { type SeedResult, seedDatabase } from './load.ts'

const count = async (db: Database, sql: string, params: unknown[] = []) =>
  ((await db.query<{ n: number }>(`select count(*)::int as n from (${sql}) s`, params))[0] as { n: number }).n

/** Every table the seed writes, counted: equal snapshots mean nothing was added or removed. */
const tableCounts = (db: Database) =>
  db.query(
    `select (select count(*) from auth.users)::int as users, (select count(*) from auth.identities)::int as identities,
            (select count(*) from public.organizations)::int as organizations,
            (select count(*) from public.memberships)::int as memberships,
            (select count(*) from public.customers)::int as customers, (select count(*) from public.contacts)::int as contacts,
            (select count(*) from public.teams)::int as teams, (select count(*) from public.processes)::int as processes,
            (select count(*) from public.services)::int as services, (select count(*) from public.documents)::int as documents,
            (select count(*) from public.customer_external_ids)::int as external_ids,
            (select count(*) from public.timeline_events)::int as events,
            (select count(*) from public.chat_sessions)::int as chat_sessions,
            (select count(*) from public.chat_messages)::int as chat_messages,
            (select count(*) from public.phase_settings)::int as phase_settings,
            (select count(*) from public.tasks)::int as tasks,
            (select count(*) from public.notifications)::int as notifications,
            (select count(*) from public.activities)::int as activities`,
  )

const indexDefinitions = (db: Database) =>
  db.query(`select indexname, indexdef from pg_indexes where schemaname = 'public' order by indexname`)

describe('seedDatabase at the default scale', () => {
  let t: TestDatabase
  let result: SeedResult
  let indexesBefore: unknown[]
  beforeAll(async () => {
    t = await createTestDatabase()
    indexesBefore = await indexDefinitions(t.db)
    result = await seedDatabase(t.db, { customers: DEFAULT_CUSTOMERS })
  })
  afterAll(() => t.close())

  it('should load into an empty database', () => {
    expect(result.status).toBe('seeded')
  })

  it('should give every organization a user of every role', async () => {
    const rows = await t.db.query<{ name: string; roles: string[] }>(
      `select o.name, array_agg(distinct m.role::text) as roles
         from public.organizations o join public.memberships m on m.org_id = o.id group by o.name`,
    )
    expect(rows.map((r) => r.name).sort()).toEqual(demoOrganizations.map((o) => o.name).sort())
    for (const row of rows) expect([...row.roles].sort()).toEqual([...membershipRoles].sort())
  })

  it('should put one user in two organizations with a different role in each', async () => {
    const rows = await t.db.query<{ email: string; roles: string[] }>(
      `select u.email, array_agg(m.role::text) as roles from public.memberships m
         join public.users u on u.id = m.user_id group by u.email having count(*) > 1`,
    )
    expect(rows).toHaveLength(1)
    expect(new Set(rows[0]?.roles).size).toBe(2)
  })

  it('should put customers of every organization in all nine phases', async () => {
    const rows = await t.db.query<{ phases: number }>(
      'select count(distinct phase)::int as phases from public.customers group by org_id',
    )
    expect(rows).toHaveLength(3)
    for (const row of rows) expect(row.phases).toBe(customerPhases.length)
    expect(await count(t.db, 'select from public.customers')).toBe(DEFAULT_CUSTOMERS)
  })

  it('should give every customer children of every kind', async () => {
    for (const table of ['contacts', 'teams', 'processes', 'services', 'documents']) {
      const without = await count(
        t.db,
        `select from public.customers c where not exists (select from public.${table} x where x.customer_id = c.id)`,
      )
      expect(without, table).toBe(0)
    }
    const statuses = await t.db.query<{ status: string }>(
      'select distinct status::text from public.processes',
    )
    expect(statuses.map((s) => s.status).sort()).toEqual([...processStatuses].sort())
    const providers = await t.db.query<{ provider: string }>(
      'select distinct provider from public.customer_external_ids order by 1',
    )
    expect(providers.map((p) => p.provider)).toEqual(['hubspot', 'pipedrive'])
    expect(
      await count(
        t.db,
        `select from public.documents where storage_path not like 'org/' || org_id::text || '/customers/' || customer_id::text || '/%'`,
      ),
    ).toBe(0)
    expect(await count(t.db, 'select from public.services where monthly_hours <= 0')).toBe(0)
  })

  it('should keep at least 90 days of timeline, spread over the days, with the events that happened', async () => {
    const [span] = await t.db.query<{ days: number; active_days: number }>(
      `select extract(day from now() - min(occurred_at))::int as days,
              count(distinct date_trunc('day', occurred_at)) filter (where occurred_at > now() - interval '90 days')::int
                as active_days
         from public.timeline_events`,
    )
    expect(span?.days).toBeGreaterThanOrEqual(90)
    expect(span?.active_days).toBeGreaterThanOrEqual(80)
    const types = await t.db.query<{ type: string }>(
      'select distinct type::text from public.timeline_events order by 1',
    )
    expect(types.map((r) => r.type)).toEqual([
      'activity_logged',
      'customer_created',
      'document_added',
      'note',
      'phase_changed',
      'process_status_changed',
      'task_completed',
    ])
    // One creation event per customer, and a document_added per document, as the triggers would write.
    expect(await count(t.db, `select from public.timeline_events where type = 'customer_created'`)).toBe(
      DEFAULT_CUSTOMERS,
    )
    expect(
      await count(
        t.db,
        `select from public.documents d where not exists (select from public.timeline_events e
           where e.type = 'document_added' and e.payload ->> 'document_id' = d.id::text)`,
      ),
    ).toBe(0)
    // Each customer's phase changes lead to its current phase.
    const mismatched = await count(
      t.db,
      `select from public.customers c
         cross join lateral (select e.payload ->> 'new_phase' as phase from public.timeline_events e
                              where e.customer_id = c.id and e.type = 'phase_changed'
                              order by e.occurred_at desc limit 1) last
        where last.phase <> c.phase::text`,
    )
    expect(mismatched).toBe(0)
    expect(
      await count(
        t.db,
        `select from public.timeline_events where type = 'phase_changed'
           and not (payload ? 'old_phase' and payload ? 'new_phase')`,
      ),
    ).toBe(0)
    expect(
      await count(
        t.db,
        'select from public.timeline_events e join public.customers c on c.id = e.customer_id where e.occurred_at < c.created_at',
      ),
    ).toBe(0)
  })

  it('should have new customers both in the last 30 days and in the 30 before', async () => {
    const [row] = await t.db.query<{ this_month: number; last_month: number; oldest_days: number }>(
      `select count(*) filter (where created_at > now() - interval '30 days')::int as this_month,
              count(*) filter (where created_at <= now() - interval '30 days'
                                 and created_at > now() - interval '60 days')::int as last_month,
              extract(day from now() - min(created_at))::int as oldest_days
         from public.customers`,
    )
    expect(row?.this_month).toBeGreaterThan(0)
    expect(row?.last_month).toBeGreaterThan(0)
    expect(row?.oldest_days).toBeGreaterThan(150)
  })

  it('should give every organization its currency, rate and phase settings, and its customers value', async () => {
    const orgs = await t.db.query<{ currency: string; rate: string; settings: number }>(
      `select o.currency, o.default_hourly_rate::text as rate,
              (select count(*) from public.phase_settings s where s.org_id = o.id)::int as settings
         from public.organizations o order by o.created_at`,
    )
    expect(orgs).toEqual([
      { currency: 'EUR', rate: '95.00', settings: customerPhases.length },
      { currency: 'USD', rate: '120.00', settings: customerPhases.length },
      { currency: 'GBP', rate: '85.00', settings: customerPhases.length },
    ])
    const [value] = await t.db.query<Record<string, number>>(
      `select count(*) filter (where v.monthly_recurring_value <= 0)::int as without_mrr,
              count(*) filter (where v.outcome = 'open' and c.deal_value is not null)::int as open_with_deal,
              count(*) filter (where v.outcome = 'open' and c.expected_close_date >= current_date)::int as open_closing_ahead,
              count(*) filter (where v.outcome = 'open' and c.next_step is null)::int as open_without_next_step,
              count(*) filter (where v.is_stuck)::int as stuck
         from public.customer_values v join public.customers c on c.id = v.id`,
    )
    expect(value?.without_mrr).toBe(0)
    expect(value?.open_with_deal).toBeGreaterThan(10)
    expect(value?.open_closing_ahead).toBeGreaterThan(10)
    expect(value?.open_without_next_step).toBe(0)
    expect(value?.stuck).toBeGreaterThan(0)
    // Services at a rate of their own and at the organization's.
    expect(await count(t.db, 'select from public.services where hourly_rate is not null')).toBeGreaterThan(0)
    expect(await count(t.db, 'select from public.services where hourly_rate is null')).toBeGreaterThan(0)
    // When each customer entered its phase is its last phase change, or its creation.
    expect(
      await count(
        t.db,
        `select from public.customers c
          where c.phase_entered_at <> coalesce((select max(e.occurred_at) from public.timeline_events e
                                                where e.customer_id = c.id and e.type = 'phase_changed'), c.created_at)`,
      ),
    ).toBe(0)
  })

  it('should give tasks done, due and overdue (notified, some read) and activities with their timeline', async () => {
    const [row] = await t.db.query<Record<string, number>>(
      `select count(*) filter (where done_at is not null)::int as done,
              count(*) filter (where done_at is null and due_at > now())::int as due,
              count(*) filter (where done_at is null and due_at < now())::int as overdue,
              (select count(*) from public.notifications where read_at is null)::int as unread,
              (select count(*) from public.notifications where read_at is not null)::int as read,
              (select count(distinct kind) from public.activities)::int as kinds
         from public.tasks`,
    )
    expect(row?.done).toBeGreaterThan(0)
    expect(row?.due).toBeGreaterThan(0)
    expect(row?.overdue).toBeGreaterThan(0)
    expect(row?.unread).toBeGreaterThan(0)
    expect(row?.read).toBeGreaterThan(0)
    expect(row?.kinds).toBe(3)
    // Exactly what the database's own sweep and triggers would have written.
    expect(
      await count(
        t.db,
        `select from public.tasks t where t.done_at is null and t.due_at < now()
           and not exists (select from public.notifications n where n.task_id = t.id and n.user_id = t.assignee_id)`,
      ),
    ).toBe(0)
    expect(
      await count(
        t.db,
        `select from public.tasks t where t.done_at is not null and not exists (select from public.timeline_events e
           where e.type = 'task_completed' and e.payload ->> 'task_id' = t.id::text)`,
      ),
    ).toBe(0)
    expect(
      await count(
        t.db,
        `select from public.activities a where not exists (select from public.timeline_events e
           where e.type = 'activity_logged' and e.payload ->> 'activity_id' = a.id::text
             and e.occurred_at = a.occurred_at and e.actor_id = a.actor_id)`,
      ),
    ).toBe(0)
  })

  it('should give some users chat sessions with user and assistant turns', async () => {
    const rows = await t.db.query<{ roles: string[] }>(
      'select array_agg(distinct role::text) as roles from public.chat_messages group by session_id',
    )
    expect(rows.length).toBeGreaterThanOrEqual(3)
    for (const row of rows) expect([...row.roles].sort()).toEqual(['assistant', 'user'])
  })

  it('should keep every foreign key, though it loads with the checks off', async () => {
    expect(await findBrokenForeignKeys(t.db)).toEqual([])
  })

  it('should leave every index the migrations declare in place', async () => {
    expect(await indexDefinitions(t.db)).toEqual(indexesBefore)
  })

  it('should write the auth rows GoTrue needs for a password sign-in', async () => {
    const [user] = await t.db.query<Record<string, unknown>>(
      `select u.*, p.display_name as profile_name, i.provider, i.provider_id, i.identity_data
         from auth.users u join public.users p on p.id = u.id join auth.identities i on i.user_id = u.id
        where u.email = 'owner@acme.example'`,
    )
    expect(user).toMatchObject({
      instance_id: '00000000-0000-0000-0000-000000000000',
      aud: 'authenticated',
      role: 'authenticated',
      confirmation_token: '',
      recovery_token: '',
      email_change_token_new: '',
      email_change: '',
      raw_app_meta_data: { provider: 'email', providers: ['email'] },
      provider: 'email',
      provider_id: user?.id,
      identity_data: { sub: user?.id, email: 'owner@acme.example', email_verified: true },
    })
    expect(user?.email_confirmed_at).toBeTruthy()
    expect(user?.profile_name).toBe(
      (user?.raw_user_meta_data as { display_name?: string } | undefined)?.display_name,
    )
    expect(
      await count(
        t.db,
        'select from auth.users where confirmation_token is null or encrypted_password is null',
      ),
    ).toBe(0)
  })

  it('should store a bcrypt hash that the demo password verifies against', async () => {
    const [user] = await t.db.query<{ encrypted_password: string }>(
      `select encrypted_password from auth.users where email = 'rep@acme.example'`,
    )
    expect(bcrypt.getRounds(user?.encrypted_password as string)).toBe(10)
    expect(await bcrypt.compare(DEMO_PASSWORD, user?.encrypted_password as string)).toBe(true)
    expect(await bcrypt.compare('wrong-password', user?.encrypted_password as string)).toBe(false)
  })

  it('should change nothing when run a second time, keeping what people edited', async () => {
    await t.db.query(`update public.customers set name = 'Renamed by a person' where phase = 'won'`)
    const before = await tableCounts(t.db)
    expect(await seedDatabase(t.db, { customers: DEFAULT_CUSTOMERS })).toEqual({ status: 'already-seeded' })
    expect(await seedDatabase(t.db, { customers: 2_000 })).toEqual({ status: 'already-seeded' })
    expect(await tableCounts(t.db)).toEqual(before)
    expect(
      await count(t.db, `select from public.customers where phase = 'won' and name <> 'Renamed by a person'`),
    ).toBe(0)
  })

  it('should write exactly what the generator gives on every run: same ids, same names', async () => {
    // Two runs of the generator agree, and the database holds what it gave (no id the database made up).
    expect(generatedIdentity()).toEqual(generatedIdentity())
    const fromDatabase = async (sql: string) =>
      (await t.db.query<Record<string, string>>(sql)).map((r) => Object.values(r).join('|')).sort()
    const generated = generatedIdentity()
    expect(await fromDatabase('select id, phase from public.customers')).toEqual(generated.customers)
    expect(await fromDatabase('select id, name, email from public.contacts')).toEqual(generated.contacts)
    expect(await fromDatabase('select id, customer_id, type from public.timeline_events')).toEqual(
      generated.events,
    )
    expect(await fromDatabase('select id, email, display_name from public.users')).toEqual(generated.users)
  })
})

/** The ids and names a fresh run of the generator gives, in the shape the database query above returns. */
function generatedIdentity() {
  const seed = generateSeed({ customers: DEFAULT_CUSTOMERS })
  const rows = (table: string, columns: string[]) =>
    [...seed.accounts, ...seed.data()]
      .filter((b) => b.table.name === table)
      .flatMap((b) => b.rows as Record<string, unknown>[])
      .map((r) => columns.map((c) => r[c]).join('|'))
      .sort()
  const users = (seed.accounts[0]?.rows ?? []) as {
    id: string
    email: string
    raw_user_meta_data: { display_name: string }
  }[]
  return {
    customers: rows('public.customers', ['id', 'phase']),
    contacts: rows('public.contacts', ['id', 'name', 'email']),
    events: rows('public.timeline_events', ['id', 'customer_id', 'type']),
    users: users.map((u) => [u.id, u.email, u.raw_user_meta_data.display_name].join('|')).sort(),
  }
}

import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Queryable } from '../functions/db/database.ts'
import { expectDbError, permissionDenied } from './rls/expect-db-error.ts'
import { useWorld } from './rls/matrix.ts'

/**
 * What the database does by itself: the timeline written by triggers in the
 * caller's transaction and name, updated_at kept by the database's clock,
 * profiles for new auth users, and owners for new organizations. Every change
 * runs in a transaction that is rolled back (see useWorld).
 */
const w = useWorld()

type TimelineEvent = {
  type: string
  description: string
  payload: Record<string, unknown>
  actor_id: string | null
  customer_id: string | null
  org_id: string
}

/** The events written in the current transaction (occurred_at defaults to now(), the transaction's start). */
const eventsOfThisTransaction = (tx: Queryable) =>
  tx.query<TimelineEvent>(
    `select type, description, payload, actor_id, customer_id, org_id from public.timeline_events
     where occurred_at = now() order by type`,
  )

describe('timeline triggers', () => {
  it('should record a phase change as exactly one phase_changed event in the caller’s name', async () => {
    const events = await w.as('rep', async (tx) => {
      await tx.query(`update public.customers set phase = 'qualified' where id = $1`, [
        w.f.customers.repOwned,
      ])
      return eventsOfThisTransaction(tx)
    })
    expect(events).toEqual([
      {
        type: 'phase_changed',
        description: 'Phase changed from lead to qualified',
        payload: { old_phase: 'lead', new_phase: 'qualified' },
        actor_id: w.f.users.rep.id,
        customer_id: w.f.customers.repOwned,
        org_id: w.f.orgA,
      },
    ])
  })

  it.each([
    ['renaming the customer', `update public.customers set name = 'Renamed' where id = $1`],
    ['setting the phase it already has', `update public.customers set phase = 'lead' where id = $1`],
    ['keeping the owner it has', 'update public.customers set owner_id = owner_id where id = $1'],
  ])('should record nothing for an update that changes neither phase nor owner: %s', async (_, sql) => {
    const events = await w.as('manager', async (tx) => {
      await tx.query(sql, [w.f.customers.repOwned])
      return eventsOfThisTransaction(tx)
    })
    expect(events).toEqual([])
  })

  it('should record an owner change as owner_changed with both owners', async () => {
    const events = await w.as('manager', async (tx) => {
      await tx.query('update public.customers set owner_id = $2 where id = $1', [
        w.f.customers.repOwned,
        w.f.users.rep2.id,
      ])
      return eventsOfThisTransaction(tx)
    })
    expect(events).toEqual([
      {
        type: 'owner_changed',
        description: 'Owner changed',
        payload: { old_owner_id: w.f.users.rep.id, new_owner_id: w.f.users.rep2.id },
        actor_id: w.f.users.manager.id,
        customer_id: w.f.customers.repOwned,
        org_id: w.f.orgA,
      },
    ])
  })

  it('should record the creation of a customer as customer_created', async () => {
    const result = await w.as('rep', async (tx) => {
      const [customer] = await tx.query<{ id: string }>(
        `insert into public.customers (org_id, name, phase) values ($1, 'Acme', 'proposal') returning id`,
        [w.f.orgA],
      )
      return { id: customer?.id, events: await eventsOfThisTransaction(tx) }
    })
    expect(result.events).toEqual([
      {
        type: 'customer_created',
        description: 'Customer Acme created in phase proposal',
        payload: { phase: 'proposal', name: 'Acme' },
        actor_id: w.f.users.rep.id,
        customer_id: result.id,
        org_id: w.f.orgA,
      },
    ])
  })

  it('should record a process status change as process_status_changed, and nothing for other edits', async () => {
    const result = await w.as('rep', async (tx) => {
      const [process] = await tx.query<{ id: string }>(
        `update public.processes set name = 'Onboarding' where customer_id = $1 returning id`,
        [w.f.customers.repOwned],
      )
      const afterRename = await eventsOfThisTransaction(tx)
      await tx.query(`update public.processes set status = 'blocked' where id = $1`, [process?.id])
      return { id: process?.id, afterRename, events: await eventsOfThisTransaction(tx) }
    })
    expect(result.afterRename).toEqual([])
    expect(result.events).toEqual([
      {
        type: 'process_status_changed',
        description: 'Process Onboarding: planned → blocked',
        payload: { process_id: result.id, old_status: 'planned', new_status: 'blocked' },
        actor_id: w.f.users.rep.id,
        customer_id: w.f.customers.repOwned,
        org_id: w.f.orgA,
      },
    ])
  })

  it('should record a document as document_added when its upload completes, not when it is inserted', async () => {
    const result = await w.as('manager', async (tx) => {
      // A signed-in user's document is pending until the server has seen its file.
      const [document] = await tx.query<{ id: string }>(
        `insert into public.documents (org_id, customer_id, name, category)
         values ($1, $2, 'Contract.pdf', 'contract') returning id`,
        [w.f.orgA, w.f.customers.repOwned],
      )
      const whilePending = await eventsOfThisTransaction(tx)
      // As the API completes an upload: the service role, still in the caller's transaction.
      await tx.query(`select set_config('role', 'service_role', true)`)
      await tx.query(`select private.complete_document_upload($1, 10, 'application/pdf')`, [document?.id])
      return { id: document?.id, whilePending, events: await eventsOfThisTransaction(tx) }
    })
    expect(result.whilePending).toEqual([])
    expect(result.events).toEqual([
      {
        type: 'document_added',
        description: 'Document Contract.pdf added',
        payload: { document_id: result.id, name: 'Contract.pdf', category: 'contract' },
        actor_id: w.f.users.manager.id,
        customer_id: w.f.customers.repOwned,
        org_id: w.f.orgA,
      },
    ])
  })

  it('should keep a deleted customer’s events, detached, and add one customer_deleted event', async () => {
    const customer = w.f.customers.repOwned
    const result = await w.as('rep', async (tx) => {
      const before = await tx.query<{ id: string }>(
        'select id from public.timeline_events where customer_id = $1 order by id',
        [customer],
      )
      await tx.query('delete from public.customers where id = $1', [customer])
      const kept = await tx.query<{ id: string; customer_id: string | null }>(
        'select id, customer_id from public.timeline_events where id = any($1::uuid[]) order by id',
        [before.map((event) => event.id)],
      )
      return { before, kept, events: await eventsOfThisTransaction(tx) }
    })
    expect(result.before).toHaveLength(3)
    expect(result.kept).toEqual(result.before.map(({ id }) => ({ id, customer_id: null })))
    expect(result.events).toEqual([
      {
        type: 'customer_deleted',
        description: expect.stringMatching(/^Customer Rep's customer \w+ deleted$/),
        payload: { customer_id: customer, name: expect.stringMatching(/^Rep's customer /), phase: 'lead' },
        actor_id: w.f.users.rep.id,
        customer_id: null,
        org_id: w.f.orgA,
      },
    ])
  })

  it('should not record customer_deleted events when the whole organization is deleted', async () => {
    const left = await w.as('owner', async (tx) => {
      await tx.query('delete from public.organizations where id = $1', [w.f.orgA])
      await tx.query(`select set_config('role', 'service_role', true)`)
      return tx.query('select type from public.timeline_events where org_id = $1', [w.f.orgA])
    })
    expect(left).toEqual([])
  })
})

describe('updated_at', () => {
  const tables = [
    ['customers', `update public.customers set name = 'Renamed' where id = $1`, 'repOwned'],
    ['contacts', `update public.contacts set name = 'Renamed' where customer_id = $1`, 'repOwned'],
    ['processes', `update public.processes set name = 'Renamed' where customer_id = $1`, 'repOwned'],
    ['organizations', `update public.organizations set name = 'Renamed' where id = $1`, 'orgA'],
  ] as const

  it.each(tables)(
    'should set %s.updated_at to the time of the updating transaction, whatever the client sends',
    async (table, sql, target) => {
      const id = target === 'orgA' ? w.f.orgA : w.f.customers.repOwned
      const key = table === 'customers' || table === 'organizations' ? 'id' : 'customer_id'
      const stamp = `select updated_at::text as updated_at, now()::text as now from public.${table} where ${key} = $1`
      const result = await w.as('owner', async (tx) => {
        const [before] = await tx.query<{ updated_at: string; now: string }>(stamp, [id])
        await tx.query(sql, [id])
        const [after] = await tx.query<{ updated_at: string; now: string }>(stamp, [id])
        await tx.query(`update public.${table} set name = 'Again' where ${key} = $1`, [id])
        return { before, after }
      })
      // The fixture wrote the row in an earlier transaction, so its stamp is older than this one's now().
      expect(result.before?.updated_at).not.toEqual(result.before?.now)
      expect(result.after?.updated_at).toEqual(result.after?.now)
    },
  )

  it('should refuse an updated_at sent by a signed-in user, and stamp the service role’s with now()', async () => {
    const sql = `update public.customers set updated_at = '2000-01-01' where id = $1 returning updated_at = now() as stamped_now`
    await expectDbError(
      w.as('rep', (tx) => tx.query(sql, [w.f.customers.repOwned])),
      permissionDenied('customers'),
    )
    const [row] = await w.as('service_role', (tx) =>
      tx.query<{ stamped_now: boolean }>(sql, [w.f.customers.repOwned]),
    )
    expect(row).toEqual({ stamped_now: true })
  })

  it('should bump a chat session when a message is sent in it', async () => {
    const [row] = await w.as('rep', async (tx) => {
      await tx.query(
        `insert into public.chat_messages (org_id, session_id, content)
         select org_id, id, 'Next steps?' from public.chat_sessions where user_id = $1`,
        [w.f.users.rep.id],
      )
      return tx.query<{ bumped: boolean }>(
        'select updated_at = now() as bumped from public.chat_sessions where user_id = $1',
        [w.f.users.rep.id],
      )
    })
    expect(row).toEqual({ bumped: true })
  })
})

describe('profiles for new auth users', () => {
  const signUp = (tx: Queryable, email: string | null, metadata: Record<string, unknown> = {}) => {
    const id = randomUUID()
    return tx
      .query(
        `insert into auth.users (id, aud, role, email, raw_user_meta_data)
         values ($1, 'authenticated', 'authenticated', $2, $3::jsonb)`,
        [id, email, JSON.stringify(metadata)],
      )
      .then(() =>
        tx.query<{ id: string; email: string; username: string; display_name: string }>(
          'select id, email, username, display_name from public.users where id = $1',
          [id],
        ),
      )
      .then(([profile]) => ({ id, profile }))
  }

  it('should create a profile named after the email, with the display name from the metadata', async () => {
    const result = await w.asSuperuser((tx) =>
      signUp(tx, 'Jane.Doe@example.com', { display_name: 'Jane Doe' }),
    )
    expect(result.profile).toEqual({
      id: result.id,
      email: 'Jane.Doe@example.com',
      username: 'jane.doe',
      display_name: 'Jane Doe',
    })
  })

  it('should add a suffix from the user id when the username is taken', async () => {
    const result = await w.asSuperuser(async (tx) => ({
      first: await signUp(tx, 'sam@example.com'),
      second: await signUp(tx, 'SAM@other.example.com'),
    }))
    expect(result.first.profile?.username).toBe('sam')
    expect(result.second.profile?.username).toBe(`sam-${result.second.id.replaceAll('-', '').slice(0, 8)}`)
  })

  it.each([
    ['an email whose name ends in an underscore', 'john_@example.com', {}, 'john'],
    ['an email whose name starts with a dot', '.x.y@example.com', {}, 'x.y'],
    ['a one-letter email name', 'q@example.com', {}, 'q00'],
    ['an email of symbols only', '+++@example.com', {}, 'user'],
    ['no email (a phone sign-up)', null, {}, null],
    ['a chosen username', 'chooser@example.com', { username: 'The-Chooser' }, 'the-chooser'],
    ['a chosen username that is not a valid one', 'bad@example.com', { username: '-x-' }, 'bad'],
  ])('should create a valid profile for %s', async (_, email, metadata, username) => {
    const result = await w.asSuperuser((tx) => signUp(tx, email, metadata))
    // Without an email the username comes from the user id, cut to 30 characters.
    expect(result.profile?.username).toBe(username ?? result.id.slice(0, 30))
    expect(result.profile?.username).toMatch(/^[a-z0-9][a-z0-9._-]{1,38}[a-z0-9]$/)
  })

  it('should follow an email change in auth.users', async () => {
    const [profile] = await w.asSuperuser(async (tx) => {
      await tx.query(`update auth.users set email = 'rep.new@example.com' where id = $1`, [w.f.users.rep.id])
      return tx.query('select email from public.users where id = $1', [w.f.users.rep.id])
    })
    expect(profile).toEqual({ email: 'rep.new@example.com' })
  })
})

describe('organizations created by users', () => {
  it('should make the signed-in creator the owner, its only member', async () => {
    const result = await w.as('stranger', async (tx) => {
      const [org] = await tx.query<{ id: string; created_by: string }>(
        `insert into public.organizations (name) values ('Stranger & Co') returning id, created_by`,
      )
      const members = await tx.query('select user_id, role from public.memberships where org_id = $1', [
        org?.id,
      ])
      return { org, members }
    })
    expect(result.org?.created_by).toBe(w.f.users.stranger.id)
    expect(result.members).toEqual([{ user_id: w.f.users.stranger.id, role: 'owner' }])
  })

  it('should give an organization created without a user (service role, seed) no members', async () => {
    const members = await w.as('service_role', async (tx) => {
      const [org] = await tx.query<{ id: string }>(
        `insert into public.organizations (name) values ('Seeded') returning id`,
      )
      return tx.query('select user_id from public.memberships where org_id = $1', [org?.id])
    })
    expect(members).toEqual([])
  })
})

describe('columns the database owns', () => {
  it('should stamp created_at of a user’s insert with now(), whatever the client sends', async () => {
    const [row] = await w.as('rep', (tx) =>
      tx.query<{ stamped_now: boolean }>(
        `insert into public.contacts (org_id, customer_id, name, created_at)
         values ($1, $2, 'Backdated', '2000-01-01') returning created_at = now() as stamped_now`,
        [w.f.orgA, w.f.customers.repOwned],
      ),
    )
    expect(row).toEqual({ stamped_now: true })
  })

  it('should keep created_at when the service role updates it, and refuse it from a signed-in user', async () => {
    const read = `select created_at::text as created_at from public.customers where id = $1`
    const update = `update public.customers set created_at = '2000-01-01' where id = $1 returning created_at::text as created_at`
    const [before] = await w.as('owner', (tx) =>
      tx.query<{ created_at: string }>(read, [w.f.customers.repOwned]),
    )
    const [after] = await w.as('service_role', (tx) =>
      tx.query<{ created_at: string }>(update, [w.f.customers.repOwned]),
    )
    expect(after).toEqual(before)
    await expectDbError(
      w.as('owner', (tx) => tx.query(update, [w.f.customers.repOwned])),
      permissionDenied('customers'),
    )
  })

  it('should date a user’s note now, whatever date they send', async () => {
    const [row] = await w.as('rep', (tx) =>
      tx.query<{ stamped_now: boolean; actor_id: string }>(
        `insert into public.timeline_events (org_id, customer_id, type, description, occurred_at, actor_id)
         values ($1, $2, 'note', 'Backdated note', '2000-01-01', $3)
         returning occurred_at = now() as stamped_now, actor_id`,
        [w.f.orgA, w.f.customers.repOwned, w.f.users.rep.id],
      ),
    )
    expect(row).toEqual({ stamped_now: true, actor_id: w.f.users.rep.id })
  })

  it('should keep the occurred_at the service role imports with an event', async () => {
    const [row] = await w.as('service_role', (tx) =>
      tx.query<{ occurred_at: string }>(
        `insert into public.timeline_events (org_id, customer_id, type, description, occurred_at)
         values ($1, $2, 'note', 'Imported note', '2026-01-02T03:04:05Z') returning occurred_at::text as occurred_at`,
        [w.f.orgA, w.f.customers.repOwned],
      ),
    )
    expect(row?.occurred_at).toMatch(/^2026-01-02 03:04:05/)
  })

  it('should record the inserting user as a document’s uploader and refuse to change it', async () => {
    const [row] = await w.as('rep', (tx) =>
      tx.query<{ uploaded_by: string }>(
        `insert into public.documents (org_id, customer_id, name) values ($1, $2, 'Spec.pdf') returning uploaded_by`,
        [w.f.orgA, w.f.customers.repOwned],
      ),
    )
    expect(row).toEqual({ uploaded_by: w.f.users.rep.id })
    // Naming another uploader, or changing it, is refused by the column grants (20261204110000).
    await expect(
      w.as('rep', (tx) =>
        tx.query(
          `insert into public.documents (org_id, customer_id, name, uploaded_by) values ($1, $2, 'x.pdf', $3)`,
          [w.f.orgA, w.f.customers.repOwned, w.f.users.rep2.id],
        ),
      ),
    ).rejects.toMatchObject({ code: '42501', message: 'permission denied for table documents' })
    await expect(
      w.as('manager', (tx) =>
        tx.query(`update public.documents set uploaded_by = $2 where customer_id = $1`, [
          w.f.customers.repOwned,
          w.f.users.manager.id,
        ]),
      ),
    ).rejects.toMatchObject({ code: '42501', message: 'permission denied for table documents' })
  })
})

/**
 * Rows a signed-in user creates, for each table that user may insert into: the
 * statement (as `actor`) and the parameters, with `$extra` standing for one more
 * column the test adds (e.g. `updated_at`, `id`) and `$value` for its value.
 */
const userInserts = {
  organizations: {
    actor: 'stranger',
    sql: `insert into public.organizations (name, $extra) values ('New org', $value)`,
  },
  customers: {
    actor: 'rep',
    sql: `insert into public.customers (org_id, name, $extra) values ($1, 'New customer', $value)`,
  },
  contacts: {
    actor: 'rep',
    sql: `insert into public.contacts (org_id, customer_id, name, $extra) values ($1, $2, 'New', $value)`,
  },
  teams: {
    actor: 'rep',
    sql: `insert into public.teams (org_id, customer_id, name, finance_code, $extra) values ($1, $2, 'New', 'FC-NEW', $value)`,
  },
  processes: {
    actor: 'rep',
    sql: `insert into public.processes (org_id, customer_id, name, $extra) values ($1, $2, 'New', $value)`,
  },
  services: {
    actor: 'rep',
    sql: `insert into public.services (org_id, customer_id, name, $extra) values ($1, $2, 'New', $value)`,
  },
  chat_sessions: {
    actor: 'rep',
    sql: `insert into public.chat_sessions (org_id, title, $extra) values ($1, 'New chat', $value)`,
  },
  integrations: {
    actor: 'admin',
    sql: `insert into public.integrations (org_id, provider, name, $extra) values ($1, 'hubspot', 'New CRM', $value)`,
  },
  timeline_events: {
    actor: 'rep',
    sql: `insert into public.timeline_events (org_id, customer_id, type, description, actor_id, $extra)
          values ($1, $2, 'note', 'New note', auth.uid(), $value)`,
  },
  chat_messages: {
    actor: 'rep',
    sql: `insert into public.chat_messages (org_id, session_id, content, $extra)
          select org_id, id, 'New message', $value from public.chat_sessions where org_id = $1 and user_id = auth.uid()`,
  },
} as const

/** Inserts one row as the table's actor with `column` set to `value`; returns what `returning` asks for. */
function insertAsUser<T extends object>(
  table: keyof typeof userInserts,
  column: string,
  value: string,
  returning: string,
) {
  const { actor, sql } = userInserts[table]
  const uses = (n: number) => sql.includes(`$${n}`)
  const params = [w.f.orgA, w.f.customers.repOwned].filter((_, i) => uses(i + 1))
  const statement = sql.replace('$extra', column).replace('$value', `$${params.length + 1}`)
  return w.as(actor, async (tx) => {
    const [row] = await tx.query<T>(`${statement} returning ${returning}`, [...params, value])
    return row
  })
}

describe('server-owned columns of a signed-in user’s insert', () => {
  const withUpdatedAt = [
    'organizations',
    'customers',
    'contacts',
    'teams',
    'processes',
    'services',
    'chat_sessions',
    'integrations',
  ] as const

  it.each(withUpdatedAt)(
    'should stamp %s.updated_at with now(), whatever the client sends',
    async (table) => {
      const row = await insertAsUser<{ updated_at: string; now: string }>(
        table,
        'updated_at',
        '2000-01-01T00:00:00Z',
        'updated_at::text as updated_at, now()::text as now',
      )
      expect(row?.updated_at).toBe(row?.now)
    },
  )

  it('should keep the updated_at the service role inserts with a customer (imports, seeds)', async () => {
    const [row] = await w.as('service_role', (tx) =>
      tx.query<{ updated_at: string }>(
        `insert into public.customers (org_id, name, updated_at) values ($1, 'Imported', '2026-01-02T03:04:05Z')
         returning updated_at::text as updated_at`,
        [w.f.orgA],
      ),
    )
    expect(row?.updated_at).toMatch(/^2026-01-02 03:04:05/)
  })

  it.each(['integrations', 'organizations'] as const)(
    'should record the signed-in user as the creator of %s, whatever created_by the client sends',
    async (table) => {
      const { actor } = userInserts[table]
      const row = await insertAsUser<{ created_by: string }>(
        table,
        'created_by',
        w.f.users.owner.id,
        'created_by',
      )
      expect(row).toEqual({ created_by: w.f.users[actor].id })
    },
  )

  const withId = [
    'organizations',
    'customers',
    'contacts',
    'teams',
    'processes',
    'services',
    'chat_sessions',
    'integrations',
    'timeline_events',
    'chat_messages',
  ] as const

  it.each(withId)(
    'should give a new row of %s an id of the database’s choosing, whatever the client sends',
    async (table) => {
      const forged = randomUUID()
      const row = await insertAsUser<{ id: string }>(table, 'id', forged, 'id::text as id')
      expect(row?.id).toMatch(/^[0-9a-f-]{36}$/)
      expect(row?.id).not.toBe(forged)
    },
  )

  it('should keep the id the service role inserts a customer with (imports keep their ids)', async () => {
    const id = randomUUID()
    const [row] = await w.as('service_role', (tx) =>
      tx.query<{ id: string }>(
        `insert into public.customers (id, org_id, name) values ($1, $2, 'Imported') returning id::text as id`,
        [id, w.f.orgA],
      ),
    )
    expect(row).toEqual({ id })
  })

  it.each(['customers', 'contacts', 'teams', 'processes', 'services'] as const)(
    'should refuse to change the id of a row of %s, whoever asks',
    async (table) => {
      const key = table === 'customers' ? 'id' : 'customer_id'
      const change = (actor: 'manager' | 'service_role') =>
        w.as(actor, (tx) =>
          tx.query(`update public.${table} set id = $2 where ${key} = $1`, [
            w.f.customers.repOwned,
            randomUUID(),
          ]),
        )
      // Signed-in users may update named columns only; the trigger holds for everyone else.
      await expectDbError(change('manager'), permissionDenied(table))
      await expectDbError(change('service_role'), { code: '42501', message: 'id cannot be changed' })
    },
  )
})

describe('document storage paths', () => {
  // A client sends no path at all now (column grants); the database builds it and holds its shape
  // (tests/rls/documents.test.ts).
  it('should refuse a document whose path is not under its customer’s folder', async () => {
    await expect(
      w.as('manager', (tx) =>
        tx.query(
          `insert into public.documents (org_id, customer_id, name, storage_path)
           values ($1::uuid, $2, 'Elsewhere.pdf', 'org/' || $1::uuid::text || '/customers/' || $3::uuid::text || '/x/Elsewhere.pdf')`,
          [w.f.orgA, w.f.customers.repOwned, w.f.customers.rep2Owned],
        ),
      ),
    ).rejects.toMatchObject({ code: '42501', message: 'permission denied for table documents' })
  })
})

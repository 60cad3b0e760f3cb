import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { withUser } from '../../functions/db/with-user.ts'
import { createFixture, type Fixture } from '../support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

/**
 * What the database broadcasts (migration 20261125140000_realtime_broadcast):
 * one message per changed row in realtime.messages, on the row's org or chat
 * topic, with only the published columns. Read straight from the table.
 */
let t: TestDatabase
let f: Fixture

beforeAll(async () => {
  t = await createTestDatabase()
  f = await createFixture(t.db)
})
beforeEach(() => t.db.query('delete from realtime.messages'))
afterAll(() => t?.close())

interface Sent {
  topic: string
  event: string
  private: boolean
  payload: Record<string, unknown>
}

const sent = () =>
  t.db.query<Sent>(
    `select topic, event, private, payload from realtime.messages
     order by payload ->> 'table', payload ->> 'op', payload ->> 'id'`,
  )
const asRep = <T>(sql: string, params: unknown[]) =>
  withUser(t.db, { sub: f.users.rep.id }, (tx) => tx.query<T & object>(sql, params))

describe('org topics', () => {
  it("should broadcast a rep's customer update on the org topic with only the changed columns", async () => {
    const [row] = await asRep<{ updated_at: Date }>(
      `update public.customers set name = 'Acme 2', phase = phase where id = $1 returning updated_at`,
      [f.customers.repOwned],
    )
    expect(await sent()).toEqual([
      {
        topic: `org:${f.orgA}`,
        event: 'customers',
        private: true,
        payload: {
          table: 'customers',
          op: 'UPDATE',
          id: f.customers.repOwned,
          owner_id: f.users.rep.id,
          updated_at: expect.any(String),
          record: { name: 'Acme 2' },
        },
      },
    ])
    const [message] = await sent()
    expect(new Date(message?.payload.updated_at as string).getTime()).toBe(row?.updated_at.getTime())
  })

  it('should send nothing for an update that changes no published column', async () => {
    await t.db.query('update public.customers set name = name where id = $1', [f.customers.repOwned])
    expect(await sent()).toEqual([])
  })

  it('should publish every published column of a new customer, and its timeline event', async () => {
    const [customer] = await asRep<{ id: string }>(
      `insert into public.customers (org_id, owner_id, name) values ($1, $2, 'Fresh') returning id`,
      [f.orgA, f.users.rep.id],
    )
    const messages = await sent()
    expect(messages.map((m) => [m.topic, m.event, m.payload.op])).toEqual([
      [`org:${f.orgA}`, 'customers', 'INSERT'],
      [`org:${f.orgA}`, 'timeline_events', 'INSERT'],
    ])
    expect(messages[0]?.payload).toEqual({
      table: 'customers',
      op: 'INSERT',
      id: customer?.id,
      owner_id: f.users.rep.id,
      updated_at: expect.any(String),
      record: {
        name: 'Fresh',
        phase: 'lead',
        owner_id: f.users.rep.id,
        created_at: expect.any(String),
        deal_value: null,
        expected_close_date: null,
        next_step: null,
        phase_entered_at: expect.any(String),
      },
    })
    expect(messages[1]?.payload).toMatchObject({
      table: 'timeline_events',
      customer_id: customer?.id,
      record: {
        type: 'customer_created',
        actor_id: f.users.rep.id,
        payload: { name: 'Fresh', phase: 'lead' },
      },
    })
  })

  it.each([
    [
      'contacts',
      `update public.contacts set phone = '+1 555 0100' where customer_id = $1`,
      { phone: '+1 555 0100' },
    ],
    [
      'teams',
      `update public.teams set finance_code = 'FC-NEW' where customer_id = $1`,
      { finance_code: 'FC-NEW' },
    ],
    ['processes', `update public.processes set status = 'done' where customer_id = $1`, { status: 'done' }],
    [
      'services',
      `update public.services set monthly_hours = 12.5 where customer_id = $1`,
      { monthly_hours: 12.5 },
    ],
    [
      'services',
      `update public.services set hourly_rate = 110.50 where customer_id = $1`,
      { hourly_rate: 110.5 },
    ],
    [
      'documents',
      `update public.documents set category = 'contract' where customer_id = $1`,
      { category: 'contract' },
    ],
  ])('should broadcast a %s update with its customer id', async (table, sql, record) => {
    await asRep(`${sql} returning 1`, [f.customers.repOwned])
    const messages = (await sent()).filter((m) => m.event === table)
    expect(messages).toEqual([
      {
        topic: `org:${f.orgA}`,
        event: table,
        private: true,
        payload: {
          table,
          op: 'UPDATE',
          id: expect.any(String),
          customer_id: f.customers.repOwned,
          updated_at: expect.any(String),
          record,
        },
      },
    ])
  })

  it('should publish a customer’s value, close date, next step, and a phase change with when it happened', async () => {
    await asRep(
      `update public.customers set deal_value = 12000.50, expected_close_date = '2027-01-15',
         next_step = 'Send the contract' where id = $1 returning 1`,
      [f.customers.repOwned],
    )
    await asRep(`update public.customers set phase = 'proposal' where id = $1 returning 1`, [
      f.customers.repOwned,
    ])
    const records = (await sent()).filter((m) => m.event === 'customers').map((m) => m.payload.record)
    expect(records).toEqual([
      { deal_value: 12000.5, expected_close_date: '2027-01-15', next_step: 'Send the contract' },
      { phase: 'proposal', phase_entered_at: expect.any(String) },
    ])
  })

  it('should publish tasks and logged activities on the org topic, and no notification there', async () => {
    const [task] = await asRep<{ id: string }>(
      `insert into public.tasks (org_id, customer_id, assignee_id, title, due_at)
       values ($1, $2, $3, 'Call back', '2027-01-10 09:00+00') returning id`,
      [f.orgA, f.customers.repOwned, f.users.rep.id],
    )
    await asRep('update public.tasks set done_at = now() where id = $1 returning 1', [task?.id])
    await asRep(
      `insert into public.activities (org_id, customer_id, kind, outcome, summary)
       values ($1, $2, 'email', 'follow_up', 'Sent the pricing') returning 1`,
      [f.orgA, f.customers.repOwned],
    )
    await t.db.query(
      `insert into public.notifications (org_id, user_id, kind, task_id, title)
       values ($1, $2, 'task_overdue', $3, 'Task overdue: Call back')`,
      [f.orgA, f.users.rep.id, task?.id],
    )
    const messages = (await sent()).filter((m) => m.topic.startsWith('org:'))
    expect(messages.map((m) => [m.topic, m.event, m.payload.op]).sort()).toEqual(
      [
        [`org:${f.orgA}`, 'activities', 'INSERT'],
        [`org:${f.orgA}`, 'tasks', 'INSERT'],
        [`org:${f.orgA}`, 'tasks', 'UPDATE'],
        [`org:${f.orgA}`, 'timeline_events', 'INSERT'],
        [`org:${f.orgA}`, 'timeline_events', 'INSERT'],
      ].sort(),
    )
    const tasks = messages.filter((m) => m.event === 'tasks').map((m) => m.payload)
    expect(tasks).toEqual([
      {
        table: 'tasks',
        op: 'INSERT',
        id: task?.id,
        customer_id: f.customers.repOwned,
        updated_at: expect.any(String),
        record: {
          assignee_id: f.users.rep.id,
          title: 'Call back',
          due_at: '2027-01-10T09:00:00+00:00',
          done_at: null,
          created_by: f.users.rep.id,
          created_at: expect.any(String),
        },
      },
      {
        table: 'tasks',
        op: 'UPDATE',
        id: task?.id,
        customer_id: f.customers.repOwned,
        updated_at: expect.any(String),
        record: { done_at: expect.any(String) },
      },
    ])
    expect(messages.find((m) => m.event === 'activities')?.payload).toMatchObject({
      customer_id: f.customers.repOwned,
      record: { kind: 'email', outcome: 'follow_up', summary: 'Sent the pricing', actor_id: f.users.rep.id },
    })
  })

  it('should send a notification and its read state on its recipient’s topic only', async () => {
    const [task] = await t.db.query<{ id: string }>(
      `insert into public.tasks (org_id, customer_id, assignee_id, title, due_at)
       values ($1, $2, $3, 'Call back', now() - interval '1 hour') returning id`,
      [f.orgA, f.customers.repOwned, f.users.rep.id],
    )
    await t.db.query('delete from realtime.messages')
    await t.db.query('select private.notify_overdue_tasks()')
    await asRep('update public.notifications set read_at = now() where task_id = $1 returning 1', [task?.id])
    const messages = await sent()
    expect(messages.map((m) => [m.topic, m.event, m.payload.op])).toEqual([
      [`user:${f.users.rep.id}`, 'notifications', 'INSERT'],
      [`user:${f.users.rep.id}`, 'notifications', 'UPDATE'],
    ])
    expect(messages[0]?.payload.record).toEqual({
      org_id: f.orgA,
      kind: 'task_overdue',
      task_id: task?.id,
      title: 'Task overdue: Call back',
      created_at: expect.any(String),
      read_at: null,
    })
    expect(messages[1]?.payload.record).toEqual({ read_at: expect.any(String) })
  })

  it("should never publish a document's storage path", async () => {
    await t.db.query(
      `insert into public.documents (org_id, customer_id, name, storage_path) values ($1, $2, 'x.pdf', $3)`,
      [f.orgA, f.customers.repOwned, `org/${f.orgA}/customers/${f.customers.repOwned}/new/x.pdf`],
    )
    const [document] = (await sent()).filter((m) => m.event === 'documents')
    expect(Object.keys(document?.payload.record as object).sort()).toEqual([
      'category',
      'content_type',
      'created_at',
      'name',
      'size_bytes',
      'status',
      'uploaded_at',
      'uploaded_by',
    ])
  })

  it('should send one message for a deleted customer, not one per cascaded child', async () => {
    await t.db.query('delete from public.customers where id = $1', [f.customers.rep2Owned])
    expect((await sent()).map((m) => [m.event, m.payload.op, m.payload.record])).toEqual([
      ['customers', 'DELETE', {}],
      ['timeline_events', 'INSERT', expect.objectContaining({ type: 'customer_deleted' })],
    ])
  })

  it('should send nothing when a whole organization is deleted', async () => {
    const [org] = await t.db.query<{ id: string }>(
      `insert into public.organizations (name) values ('Doomed') returning id`,
    )
    await t.db.query(`insert into public.customers (org_id, name) values ($1, 'Gone')`, [org?.id])
    await t.db.query('delete from realtime.messages')
    await t.db.query('delete from public.organizations where id = $1', [org?.id])
    expect(await sent()).toEqual([])
  })
})

describe('chat topics', () => {
  const repSession = async () => {
    const [row] = await t.db.query<{ id: string }>('select id from public.chat_sessions where user_id = $1', [
      f.users.rep.id,
    ])
    return (row as { id: string }).id
  }

  it('should broadcast a chat message on its chat topic only, and not the session bump it causes', async () => {
    const session = await repSession()
    await asRep(
      `insert into public.chat_messages (org_id, session_id, content) values ($1, $2, 'Hi') returning 1`,
      [f.orgA, session],
    )
    expect(await sent()).toEqual([
      {
        topic: `chat:${session}`,
        event: 'chat_messages',
        private: true,
        payload: {
          table: 'chat_messages',
          op: 'INSERT',
          id: expect.any(String),
          record: { session_id: session, role: 'user', content: 'Hi', created_at: expect.any(String) },
        },
      },
    ])
  })

  it('should broadcast a chat rename on its chat topic', async () => {
    const session = await repSession()
    await asRep(`update public.chat_sessions set title = 'Pipeline' where id = $1 returning 1`, [session])
    expect(await sent()).toEqual([
      {
        topic: `chat:${session}`,
        event: 'chat_sessions',
        private: true,
        payload: {
          table: 'chat_sessions',
          op: 'UPDATE',
          id: session,
          updated_at: expect.any(String),
          record: { title: 'Pipeline' },
        },
      },
    ])
  })
})

describe('the platform shim', () => {
  it("should give realtime.broadcast_changes Supabase's payload", async () => {
    await t.db.query(
      `select realtime.broadcast_changes('org:x', 'INSERT', 'INSERT', 'customers', 'public',
         row(1, 'a')::record, null::record)`,
    )
    expect(await sent()).toEqual([
      {
        topic: 'org:x',
        event: 'INSERT',
        private: true,
        payload: {
          id: expect.any(String),
          operation: 'INSERT',
          table: 'customers',
          schema: 'public',
          record: { f1: 1, f2: 'a' },
          old_record: null,
        },
      },
    ])
  })

  it('should add a generated id to a payload without one, as realtime.send does', async () => {
    await t.db.query(`select realtime.send('{"a": 1}', 'e', 'topic-a', false)`)
    const [message] = await sent()
    expect(message).toEqual({
      topic: 'topic-a',
      event: 'e',
      private: false,
      payload: { a: 1, id: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    })
  })
})

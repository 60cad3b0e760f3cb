import { beforeAll, describe, expect, it } from 'vitest'
import { failingFields, useApiFixture } from '../../../tests/support/use-api-fixture.ts'

type TaskJson = { id: string; title: string; due_at: string | null; done_at: string | null; version: string }

describe('tasks API', () => {
  const api = useApiFixture()
  // Set once the fixture's beforeAll has run (hooks run in the order they are registered).
  let { t, f, request, tokens } = api
  beforeAll(() => {
    ;({ t, f, request, tokens } = api)
  })

  const create = (token: string, body: Record<string, unknown>, customerId = f.customers.repOwned) =>
    request('POST', `/customers/${customerId}/tasks`, { token, body })
  const titles = (res: { json: { data: TaskJson[] } }) => res.json.data.map((task) => task.title)

  it('should create a task assigned to the rep who creates it, in the customer’s organization', async () => {
    const res = await create(tokens.rep, { title: 'Send the proposal', due_at: '2030-01-10T09:00:00+01:00' })
    expect(res.status).toBe(201)
    expect(res.json).toMatchObject({
      org_id: f.orgA,
      customer_id: f.customers.repOwned,
      assignee_id: f.users.rep.id,
      created_by: f.users.rep.id,
      title: 'Send the proposal',
      due_at: '2030-01-10T08:00:00.000Z',
      done_at: null,
    })
    expect(res.headers.get('location')).toBe(`/api/tasks/${res.json.id}`)
    expect(res.headers.get('etag')).toBe(`"${res.json.version}"`)
    const read = await request('GET', `/tasks/${res.json.id}`, { token: tokens.viewer })
    expect(read.json).toEqual(res.json)
  })

  it('should let a manager assign anyone of the organization, or nobody, and refuse a rep doing so', async () => {
    const forRep2 = await create(tokens.manager, { title: 'Call back', assignee_id: f.users.rep2.id })
    expect(forRep2.status).toBe(201)
    expect(forRep2.json.assignee_id).toBe(f.users.rep2.id)
    const unassigned = await create(tokens.manager, { title: 'Someone should', assignee_id: null })
    expect(unassigned.json.assignee_id).toBeNull()
    const byRep = await create(tokens.rep, { title: 'Your turn', assignee_id: f.users.rep2.id })
    expect(byRep.status).toBe(403)
    expect((await create(tokens.rep, { title: 'Nobody', assignee_id: null })).status).toBe(403)
    expect((await create(tokens.viewer, { title: 'Mine' })).status).toBe(403)
    // A task is one of the customer's children: a rep adds none to a colleague's customer.
    const onRepsCustomer = await create(tokens.rep2, { title: 'Help out' })
    expect(onRepsCustomer.status).toBe(403)
    expect(onRepsCustomer.headers.get('content-type')).toContain('application/problem+json')
  })

  it('should refuse an assignee who is not a member of the customer’s organization (422)', async () => {
    const res = await create(tokens.manager, { title: 'Across', assignee_id: f.users.outsider.id })
    expect(res.status).toBe(422)
    expect(res.json.code).toBe('invalid_reference')
  })

  it('should answer 404 for a customer of another tenant, and never create a task there', async () => {
    const res = await create(tokens.manager, { title: 'Sneak in' }, f.customers.orgB)
    expect(res.status).toBe(404)
    const [row] = await t.db.query<{ n: number }>(
      `select count(*)::int as n from public.tasks where customer_id = $1`,
      [f.customers.orgB],
    )
    expect(row?.n).toBe(0)
  })

  it('should name each bad field: blank or long title, a due time without offset, a server-owned field', async () => {
    const res = await create(tokens.rep, {
      title: '   ',
      due_at: '2030-01-10 09:00',
      done_at: '2020-01-01T00:00:00Z',
      org_id: f.orgB,
    })
    expect(res.status).toBe(400)
    expect(failingFields(res)).toEqual(['body.done_at', 'body.due_at', 'body.org_id', 'body.title'])
    const long = await create(tokens.rep, { title: 'x'.repeat(201) })
    expect(failingFields(long)).toEqual(['body.title'])
    const empty = await request('PATCH', `/tasks/${(await create(tokens.rep, { title: 'P' })).json.id}`, {
      token: tokens.rep,
      body: {},
    })
    expect(empty.status).toBe(400)
  })

  it('should complete a task at the database’s clock, write the timeline, and reopen it', async () => {
    const before = Date.now()
    const task = (await create(tokens.rep, { title: 'Book the demo' })).json as TaskJson
    const done = await request('PATCH', `/tasks/${task.id}`, {
      token: tokens.rep,
      headers: { 'If-Match': `"${task.version}"` },
      body: { done: true },
    })
    expect(done.status).toBe(200)
    const doneAt = Date.parse(done.json.done_at)
    expect(doneAt).toBeGreaterThanOrEqual(before - 1000)
    expect(doneAt).toBeLessThanOrEqual(Date.now() + 1000)
    expect(done.headers.get('etag')).toBe(`"${done.json.version}"`)
    const events = await t.db.query<{ type: string; payload: { task_id: string } }>(
      `select type, payload from public.timeline_events where customer_id = $1 and type = 'task_completed'`,
      [f.customers.repOwned],
    )
    expect(events.filter((e) => e.payload.task_id === task.id)).toHaveLength(1)
    // Done again: the moment it was first done stays, and the timeline is not written twice.
    const again = await request('PATCH', `/tasks/${task.id}`, { token: tokens.rep, body: { done: true } })
    expect(again.json.done_at).toBe(done.json.done_at)
    const reopened = await request('PATCH', `/tasks/${task.id}`, { token: tokens.rep, body: { done: false } })
    expect(reopened.json.done_at).toBeNull()
    const after = await t.db.query(
      `select 1 from public.timeline_events where type = 'task_completed' and payload->>'task_id' = $1`,
      [task.id],
    )
    expect(after).toHaveLength(1)
  })

  it('should let the assignee and managers change a task, answer 403 to another rep and 404 to another tenant', async () => {
    const task = (await create(tokens.rep, { title: 'Mine to change' })).json as TaskJson
    const path = `/tasks/${task.id}`
    expect((await request('PATCH', path, { token: tokens.rep2, body: { title: 'Taken' } })).status).toBe(403)
    expect((await request('PATCH', path, { token: tokens.viewer, body: { title: 'Taken' } })).status).toBe(
      403,
    )
    expect((await request('PATCH', path, { token: tokens.outsider, body: { title: 'Taken' } })).status).toBe(
      404,
    )
    expect((await request('GET', path, { token: tokens.outsider })).status).toBe(404)
    // Handing it on is a manager's decision, even for its assignee.
    const handOn = await request('PATCH', path, { token: tokens.rep, body: { assignee_id: f.users.rep2.id } })
    expect(handOn.status).toBe(403)
    const byManager = await request('PATCH', path, {
      token: tokens.manager,
      body: { assignee_id: f.users.rep2.id, due_at: null, title: 'Now rep2’s' },
    })
    expect(byManager.status).toBe(200)
    expect(byManager.json).toMatchObject({ assignee_id: f.users.rep2.id, due_at: null, title: 'Now rep2’s' })
    expect((await request('PATCH', path, { token: tokens.rep2, body: { done: true } })).status).toBe(200)
  })

  it('should answer 412 to a change or delete made against an older version, 304 to a matching read', async () => {
    const task = (await create(tokens.rep, { title: 'Versioned' })).json as TaskJson
    const path = `/tasks/${task.id}`
    const notModified = await request('GET', path, {
      token: tokens.viewer,
      headers: { 'If-None-Match': `"${task.version}"` },
    })
    expect(notModified.status).toBe(304)
    await request('PATCH', path, { token: tokens.rep, body: { title: 'Versioned, changed' } })
    const stale = { 'If-Match': `"${task.version}"` }
    expect(
      (await request('PATCH', path, { token: tokens.rep, headers: stale, body: { done: true } })).status,
    ).toBe(412)
    expect((await request('DELETE', path, { token: tokens.rep, headers: stale })).status).toBe(412)
    expect((await request('DELETE', path, { token: tokens.rep2 })).status).toBe(403)
    expect((await request('DELETE', path, { token: tokens.rep })).status).toBe(204)
    expect((await request('GET', path, { token: tokens.rep })).status).toBe(404)
    expect((await request('DELETE', path, { token: tokens.rep })).status).toBe(404)
  })

  it('should replay a create sent twice with the same Idempotency-Key', async () => {
    const headers = { 'Idempotency-Key': `task-${Date.now()}` }
    const path = `/customers/${f.customers.repOwned}/tasks`
    const first = await request('POST', path, { token: tokens.rep, headers, body: { title: 'Once' } })
    const second = await request('POST', path, { token: tokens.rep, headers, body: { title: 'Once' } })
    expect(second.status).toBe(201)
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    expect(second.json.id).toBe(first.json.id)
  })

  describe('lists', () => {
    let rep2Customer: string
    beforeAll(async () => {
      rep2Customer = f.customers.rep2Owned
      // A list of their own: rep2's customer, tasks written as the superuser with known times.
      await t.db.query(
        `insert into public.tasks (org_id, customer_id, assignee_id, title, due_at, done_at, created_by)
         values ($1, $2, $3, 'L overdue', now() - interval '2 days', null, $3),
                ($1, $2, $3, 'L today', now() + interval '1 hour', null, $3),
                ($1, $2, $3, 'L undated', null, null, $3),
                ($1, $2, $3, 'L done', now() - interval '3 days', now() - interval '1 day', $3),
                ($1, $2, $4, 'L manager''s', now() + interval '2 days', null, $4),
                ($1, $2, null, 'L nobody''s', now() + interval '3 days', null, $4)`,
        [f.orgA, rep2Customer, f.users.rep2.id, f.users.manager.id],
      )
    })
    const listPath = (query: string) => `/orgs/${f.orgA}/tasks?customer_id=${rep2Customer}&${query}`

    it('should list open tasks first due first, undated last, with their customer’s name', async () => {
      const res = await request('GET', listPath(''), { token: tokens.viewer })
      expect(res.status).toBe(200)
      expect(titles(res)).toEqual(['L overdue', 'L today', "L manager's", "L nobody's", 'L undated'])
      expect(res.json.data[0].customer_name).toMatch(/^Rep2's customer/)
      const descending = await request('GET', listPath('sort=-due_at'), { token: tokens.viewer })
      expect(titles(descending)).toEqual(['L undated', "L nobody's", "L manager's", 'L today', 'L overdue'])
    })

    it('should narrow to my tasks, done ones, all, and what is overdue', async () => {
      const mine = await request('GET', listPath('assignee_id=me'), { token: tokens.rep2 })
      expect(titles(mine)).toEqual(['L overdue', 'L today', 'L undated'])
      const byId = await request('GET', listPath(`assignee_id=${f.users.manager.id}`), { token: tokens.rep2 })
      expect(titles(byId)).toEqual(["L manager's"])
      expect(titles(await request('GET', listPath('status=done'), { token: tokens.rep2 }))).toEqual([
        'L done',
      ])
      expect(
        titles(await request('GET', listPath('status=all&assignee_id=me'), { token: tokens.rep2 })),
      ).toEqual(['L done', 'L overdue', 'L today', 'L undated'])
      const overdue = await request('GET', listPath(`due_before=${new Date().toISOString()}`), {
        token: tokens.rep2,
      })
      expect(titles(overdue)).toEqual(['L overdue'])
    })

    it('should walk every page by due time, undated ones included, without repeating a row', async () => {
      const { rows, pages } = await api.walk<TaskJson>(listPath('status=all&limit=2'), tokens.viewer)
      expect(pages).toBe(3)
      expect(rows.map((r) => r.title)).toEqual([
        'L done',
        'L overdue',
        'L today',
        "L manager's",
        "L nobody's",
        'L undated',
      ])
    })

    it('should answer 404 to another tenant and 400 to an unknown filter, status or a foreign cursor', async () => {
      expect((await request('GET', `/orgs/${f.orgA}/tasks`, { token: tokens.outsider })).status).toBe(404)
      const outsiderOwn = await request('GET', `/orgs/${f.orgB}/tasks?customer_id=${rep2Customer}`, {
        token: tokens.outsider,
      })
      expect(outsiderOwn.json.data).toEqual([])
      const bad = await request('GET', `/orgs/${f.orgA}/tasks?status=late&assignee_id=you&sort=title&x=1`, {
        token: tokens.viewer,
      })
      expect(bad.status).toBe(400)
      expect(failingFields(bad)).toEqual(['query.assignee_id', 'query.sort', 'query.status', 'query.x'])
      const first = await request('GET', listPath('status=all&limit=1'), { token: tokens.viewer })
      const foreign = await request('GET', listPath(`sort=created_at&cursor=${first.json.next_cursor}`), {
        token: tokens.viewer,
      })
      expect(foreign.status).toBe(400)
    })
  })
})

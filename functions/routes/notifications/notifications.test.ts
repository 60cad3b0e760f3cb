import { beforeAll, describe, expect, it } from 'vitest'
import { failingFields, useApiFixture } from '../../../tests/support/use-api-fixture.ts'

type NotificationJson = {
  id: string
  task_id: string
  title: string
  created_at: string
  read_at: string | null
}

describe('notifications API', () => {
  const api = useApiFixture()
  // Set once the fixture's beforeAll has run (hooks run in the order they are registered).
  let { t, f, request, tokens } = api
  beforeAll(() => {
    ;({ t, f, request, tokens } = api)
  })

  /** Tasks of rep2's, overdue by 1..n hours, notified the way the scheduled job does it. */
  async function overdueTasksOfRep2(titles: string[]): Promise<void> {
    for (const [i, title] of titles.entries())
      await t.db.query(
        `insert into public.tasks (org_id, customer_id, assignee_id, title, due_at)
         values ($1, $2, $3, $4, now() - make_interval(hours => $5))`,
        [f.orgA, f.customers.rep2Owned, f.users.rep2.id, title, titles.length - i],
      )
    // One run notifies them all at the same moment: the pages below walk across equal times.
    await t.db.query('select private.notify_overdue_tasks()')
  }

  const list = (token: string, query = '') =>
    request('GET', `/orgs/${f.orgA}/notifications${query}`, { token })

  it('should list only the caller’s own notifications, with the unread count', async () => {
    await overdueTasksOfRep2(['N first', 'N second', 'N third'])
    const mine = await list(tokens.rep2)
    expect(mine.status).toBe(200)
    expect(mine.json.data.map((n: NotificationJson) => n.title).sort()).toEqual([
      'Task overdue: N first',
      'Task overdue: N second',
      'Task overdue: N third',
    ])
    expect(mine.json.unread_count).toBe(3)
    expect(mine.json.data[0]).toMatchObject({ kind: 'task_overdue', org_id: f.orgA, read_at: null })
    // Each names the customer its task is about, as the tables say.
    const [customer] = await t.db.query<{ id: string; name: string }>(
      'select id, name from public.customers where id = $1',
      [f.customers.rep2Owned],
    )
    for (const n of mine.json.data)
      expect(n).toMatchObject({ customer_id: customer?.id, customer_name: customer?.name })
    expect(customer?.name).toEqual(expect.any(String))
    // Nobody else sees them: not the rep, not the organization's owner.
    for (const token of [tokens.rep, tokens.owner]) {
      const other = await list(token)
      expect(other.json).toEqual({ data: [], next_cursor: null, unread_count: 0 })
    }
    expect((await list(tokens.outsider)).status).toBe(404)
  })

  it('should mark one read and unread again, and answer 404 for anyone else’s', async () => {
    const [first] = (await list(tokens.rep2)).json.data as NotificationJson[]
    const path = `/notifications/${first?.id}`
    for (const token of [tokens.rep, tokens.owner, tokens.outsider]) {
      const res = await request('PATCH', path, { token, body: { read: true } })
      expect(res.status).toBe(404)
    }
    const read = await request('PATCH', path, { token: tokens.rep2, body: { read: true } })
    expect(read.status).toBe(200)
    expect(read.json.read_at).not.toBeNull()
    // Read again: when it was first read stays.
    const again = await request('PATCH', path, { token: tokens.rep2, body: { read: true } })
    expect(again.json.read_at).toBe(read.json.read_at)
    expect((await list(tokens.rep2, '?unread=true')).json.data).toHaveLength(2)
    expect((await list(tokens.rep2)).json.unread_count).toBe(2)
    const unread = await request('PATCH', path, { token: tokens.rep2, body: { read: false } })
    expect(unread.json.read_at).toBeNull()
    expect((await list(tokens.rep2)).json.unread_count).toBe(3)
  })

  it('should refuse a body that is not just `read`, and an unread filter that is not true or false', async () => {
    const [first] = (await list(tokens.rep2)).json.data as NotificationJson[]
    const res = await request('PATCH', `/notifications/${first?.id}`, {
      token: tokens.rep2,
      body: { read: 'yes', title: 'Mine now' },
    })
    expect(res.status).toBe(400)
    expect(failingFields(res)).toEqual(['body.read', 'body.title'])
    expect(failingFields(await list(tokens.rep2, '?unread=1'))).toEqual(['query.unread'])
  })

  it('should page newest first across equal times without repeating one', async () => {
    // The three share one time; the one with the lowest id is made a second newer, so the order
    // tells created_at (descending) from the id that breaks ties (descending too).
    const shared = (await list(tokens.rep2)).json.data as NotificationJson[]
    expect(new Set(shared.map((n) => n.created_at)).size).toBe(1)
    const byId = shared.map((n) => n.id).sort()
    const [lowest, ...rest] = byId
    await t.db.query(
      `update public.notifications set created_at = created_at + interval '1 second' where id = $1`,
      [lowest],
    )
    const { rows, pages } = await api.walk<NotificationJson>(
      `/orgs/${f.orgA}/notifications?limit=2`,
      tokens.rep2,
    )
    expect(pages).toBe(2)
    expect(rows.map((n) => n.id)).toEqual([lowest, ...rest.reverse()])
    const [newest, ...tied] = rows
    expect(Date.parse(newest?.created_at as string) - Date.parse(tied[0]?.created_at as string)).toBe(1000)
    expect(tied[0]?.created_at).toBe(tied[1]?.created_at)
  })

  it('should mark all read at once, only the caller’s, in that organization', async () => {
    await t.db.query(
      `insert into public.tasks (org_id, customer_id, assignee_id, title, due_at)
       values ($1, $2, $3, 'N rep''s', now() - interval '1 day')`,
      [f.orgA, f.customers.repOwned, f.users.rep.id],
    )
    await t.db.query('select private.notify_overdue_tasks()')
    const marked = await request('POST', `/orgs/${f.orgA}/notifications/read`, { token: tokens.rep2 })
    expect(marked.status).toBe(200)
    expect(marked.json).toEqual({ marked: 3 })
    expect((await list(tokens.rep2)).json.unread_count).toBe(0)
    expect((await list(tokens.rep)).json.unread_count).toBe(1)
    const outsider = await request('POST', `/orgs/${f.orgA}/notifications/read`, { token: tokens.outsider })
    expect(outsider.status).toBe(404)
  })
})

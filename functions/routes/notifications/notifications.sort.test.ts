import { Buffer } from 'node:buffer'
import { beforeAll, describe, expect, it } from 'vitest'
import { useApiFixture } from '../../../tests/support/use-api-fixture.ts'
import { notificationSort } from '../../queries/notifications.ts'

/** The list's cursor carries the sort key of the query that read the page: one definition, in the query module. */
describe('notifications list sort', () => {
  const api = useApiFixture()
  let { t, f, request, tokens } = api
  beforeAll(() => {
    ;({ t, f, request, tokens } = api)
  })

  it('should put the query’s own sort key in the cursor and take that cursor back', async () => {
    for (const title of ['S one', 'S two', 'S three'])
      await t.db.query(
        `insert into public.tasks (org_id, customer_id, assignee_id, title, due_at)
         values ($1, $2, $3, $4, now() - interval '1 hour')`,
        [f.orgA, f.customers.repOwned, f.users.rep.id, title],
      )
    await t.db.query('select private.notify_overdue_tasks()')
    const path = `/orgs/${f.orgA}/notifications?limit=2`
    const first = await request('GET', path, { token: tokens.rep })
    expect(first.status).toBe(200)
    const [sort] = JSON.parse(Buffer.from(first.json.next_cursor, 'base64url').toString('utf8'))
    expect(sort).toBe(notificationSort.name)
    const next = await request('GET', `${path}&cursor=${first.json.next_cursor}`, { token: tokens.rep })
    expect(next.status).toBe(200)
    expect(next.json.data).toHaveLength(1)
  })
})

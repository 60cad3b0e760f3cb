import { describe, expect, it } from 'vitest'
import { expectDbError } from './rls/expect-db-error.ts'
import { useWorld } from './rls/matrix.ts'

/**
 * Times a client writes straight through PostgREST must be ones every client
 * can show (finite, 1900 to 2999), or one bad row breaks a list for every
 * member; times that record when something happened are the database's clock.
 */
const w = useWorld()
// Sent as text and cast by the server, as PostgREST does: postgres.js would turn a timestamp
// parameter into a JavaScript Date first, which cannot hold these values.

const outOfReason = ['infinity', '-infinity', '0044-03-15 BC', '1899-12-31', '3000-01-01']
const checkViolation = (table: string, constraint: string) => ({
  code: '23514',
  message: `new row for relation "${table}" violates check constraint "${constraint}"`,
})

describe('times within reason', () => {
  it.each(outOfReason)("should refuse a task due at '%s' from its rep", async (due) => {
    await expectDbError(
      w.as('rep', (tx) =>
        tx.query(
          `insert into public.tasks (org_id, customer_id, assignee_id, title, due_at) values ($1, $2, $3, 'Call', $4::text::timestamptz)`,
          [w.f.orgA, w.f.customers.repOwned, w.f.users.rep.id, due],
        ),
      ),
      checkViolation('tasks', 'tasks_due_at_within_reason'),
    )
  })

  it.each(outOfReason)("should refuse a customer expected to close on '%s'", async (day) => {
    await expectDbError(
      w.as('rep', (tx) =>
        tx.query(`update public.customers set expected_close_date = $2::text::date where id = $1`, [
          w.f.customers.repOwned,
          day,
        ]),
      ),
      checkViolation('customers', 'customers_expected_close_date_within_reason'),
    )
  })

  it.each(outOfReason.filter((t) => t !== 'infinity' && t !== '3000-01-01'))(
    "should refuse an activity that happened at '%s'",
    async (at) => {
      await expectDbError(
        w.as('rep', (tx) =>
          tx.query(
            `insert into public.activities (org_id, customer_id, kind, outcome, occurred_at)
             values ($1, $2, 'call', 'completed', $3::text::timestamptz)`,
            [w.f.orgA, w.f.customers.repOwned, at],
          ),
        ),
        checkViolation('activities', 'activities_occurred_at_within_reason'),
      )
    },
  )

  it('should keep the edges: 1900 and the last day of 2999 are times like any other', async () => {
    const stored = await w.as('rep', async (tx) => {
      await tx.query(
        `insert into public.tasks (org_id, customer_id, assignee_id, title, due_at)
         values ($1, $2, $3, 'Far', '2999-12-31T23:00:00Z')`,
        [w.f.orgA, w.f.customers.repOwned, w.f.users.rep.id],
      )
      await tx.query(`update public.customers set expected_close_date = '1900-01-01' where id = $1`, [
        w.f.customers.repOwned,
      ])
      return tx.query<{ due: string; close: string }>(
        `select (select to_char(due_at at time zone 'UTC', 'YYYY-MM-DD') from public.tasks where title = 'Far') as due,
                (select expected_close_date::text from public.customers where id = $1) as close`,
        [w.f.customers.repOwned],
      )
    })
    expect(stored).toEqual([{ due: '2999-12-31', close: '1900-01-01' }])
  })
})

describe('when a notification was read', () => {
  it('should be the database’s clock, kept when marked read again, cleared when marked unread', async () => {
    const [row] = await w.t.db.query<{ id: string }>(
      `insert into public.notifications (org_id, user_id, kind, title, read_at)
       values ($1, $2, 'task_overdue', 'Task overdue: call back', '2026-01-01T00:00:00Z') returning id`,
      [w.f.orgA, w.f.users.rep.id],
    )
    const readAt = `select read_at = now() as now, to_char(read_at at time zone 'UTC', 'YYYY-MM-DD') as utc from public.notifications where id = $1`
    const steps = await w.as('rep', async (tx) => {
      const step = async (value: string | null) => {
        await tx.query('update public.notifications set read_at = $2 where id = $1', [row?.id, value])
        return (await tx.query<{ now: boolean | null; utc: string | null }>(readAt, [row?.id]))[0]
      }
      return {
        again: await step('2099-01-01'),
        unread: await step(null),
        backdated: await step('2001-02-03'),
      }
    })
    expect(steps.again).toMatchObject({ now: false })
    expect(steps.again?.utc).toBe('2026-01-01')
    expect(steps.unread).toEqual({ now: null, utc: null })
    expect(steps.backdated?.now).toBe(true)
  })
})

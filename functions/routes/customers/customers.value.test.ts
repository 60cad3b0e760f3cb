import { beforeAll, describe, expect, it } from 'vitest'
import { failingFields, useApiFixture } from '../../../tests/support/use-api-fixture.ts'

/** A customer's deal fields and what it is worth, through the API (definitions: docs/metrics.md). */
describe('customers API: value, close date and next step', () => {
  const api = useApiFixture()
  let { t, f, request, tokens } = api
  beforeAll(async () => {
    ;({ t, f, request, tokens } = api)
    await t.db.query('update public.organizations set default_hourly_rate = 100 where id = $1', [f.orgA])
  })

  it('should create a customer with a deal value, close date and next step, and read them back', async () => {
    const res = await request('POST', `/orgs/${f.orgA}/customers`, {
      token: tokens.rep,
      body: {
        name: 'Value Corp',
        phase: 'proposal',
        deal_value: '12500.50',
        expected_close_date: '2027-03-31',
        next_step: '  Send the revised proposal  ',
      },
    })
    expect(res.status).toBe(201)
    expect(res.json).toMatchObject({
      deal_value: '12500.50',
      expected_close_date: '2027-03-31',
      next_step: 'Send the revised proposal',
      monthly_recurring_value: '0.00',
      value: '12500.50',
      weighted_value: '6250.25', // proposal: 50 %
      days_in_phase: 0,
    })
    const read = await request('GET', `/customers/${res.json.id}`, { token: tokens.viewer })
    expect(read.json).toMatchObject({
      deal_value: '12500.50',
      value: '12500.50',
      next_step: 'Send the revised proposal',
    })
    const listed = await request('GET', `/orgs/${f.orgA}/customers?q=Value%20Corp`, { token: tokens.viewer })
    expect(listed.json.data).toEqual([
      expect.objectContaining({ id: res.json.id, weighted_value: '6250.25' }),
    ])
  })

  it('should take a number as an amount and keep it exact', async () => {
    const res = await request('POST', `/orgs/${f.orgA}/customers`, {
      token: tokens.rep,
      body: { name: 'Number Corp', deal_value: 0.1 },
    })
    expect(res.status).toBe(201)
    expect(res.json.deal_value).toBe('0.10')
  })

  it('should value a customer from its services at their rates or the organization’s', async () => {
    const created = await request('POST', `/orgs/${f.orgA}/customers`, {
      token: tokens.rep,
      body: { name: 'Services Corp', phase: 'negotiation', deal_value: '1000' },
    })
    const id = created.json.id
    await t.db.query(
      `insert into public.services (org_id, customer_id, name, monthly_hours, hourly_rate)
       values ($1, $2, 'At the org rate', 10, null), ($1, $2, 'At its own', 2.5, 80)`,
      [f.orgA, id],
    )
    const res = await request('GET', `/customers/${id}`, { token: tokens.viewer })
    // 10 h × 100 + 2.5 h × 80 = 1,200 a month; 1,000 + 12 × 1,200 = 15,400; negotiation 75 %.
    expect(res.json).toMatchObject({
      monthly_recurring_value: '1200.00',
      value: '15400.00',
      weighted_value: '11550.00',
    })
  })

  it('should give a new ETag when the value changes without the customer changing, so no cache keeps the old one', async () => {
    const created = await request('POST', `/orgs/${f.orgA}/customers`, {
      token: tokens.rep,
      body: { name: 'Etag Corp', phase: 'lead' },
    })
    const id = created.json.id
    await t.db.query(
      `insert into public.services (org_id, customer_id, name, monthly_hours) values ($1, $2, 'Support', 4)`,
      [f.orgA, id],
    )
    const first = await request('GET', `/customers/${id}`, { token: tokens.viewer })
    const etag = first.headers.get('etag') as string
    expect(etag).toBeTruthy()
    // Nothing changed yet: the tag just given is current, so a cache may keep its copy.
    const unchanged = await request('GET', `/customers/${id}`, {
      token: tokens.viewer,
      headers: { 'If-None-Match': etag },
    })
    expect(unchanged.status).toBe(304)
    await t.db.query(`update public.services set monthly_hours = 8 where customer_id = $1`, [id])
    const again = await request('GET', `/customers/${id}`, {
      token: tokens.viewer,
      headers: { 'If-None-Match': etag },
    })
    expect(again.status).toBe(200)
    expect(again.json.monthly_recurring_value).toBe('800.00')
    const etagAfterServices = again.headers.get('etag') as string
    expect(etagAfterServices).toBeTruthy()
    expect(etagAfterServices).not.toBe(etag)
    const stillCurrent = await request('GET', `/customers/${id}`, {
      token: tokens.viewer,
      headers: { 'If-None-Match': etagAfterServices },
    })
    expect(stillCurrent.status).toBe(304)
    await t.db.query(
      `update public.phase_settings set probability = 20 where org_id = $1 and phase = 'lead'`,
      [f.orgA],
    )
    const third = await request('GET', `/customers/${id}`, {
      token: tokens.viewer,
      headers: { 'If-None-Match': etagAfterServices },
    })
    expect(third.status).toBe(200)
    expect(third.json.weighted_value).toBe('1920.00')
    const etagAfterSettings = third.headers.get('etag') as string
    expect(etagAfterSettings).toBeTruthy()
    expect(etagAfterSettings).not.toBe(etagAfterServices)
    // The customer itself did not change: the version part of the tags is the same.
    expect(third.json.version).toBe(first.json.version)
    // The ETag still works as If-Match: it names the customer's version.
    const patched = await request('PATCH', `/customers/${id}`, {
      token: tokens.rep,
      body: { next_step: 'Call' },
      headers: { 'If-Match': third.headers.get('etag') as string },
    })
    expect(patched.status).toBe(200)
  })

  it('should change and clear the deal fields, leaving the others as they are', async () => {
    const created = await request('POST', `/orgs/${f.orgA}/customers`, {
      token: tokens.rep,
      body: { name: 'Change Corp', deal_value: '500', expected_close_date: '2027-01-15', next_step: 'Demo' },
    })
    const id = created.json.id
    const moved = await request('PATCH', `/customers/${id}`, {
      token: tokens.rep,
      body: { expected_close_date: '2027-02-01' },
    })
    expect(moved.json).toMatchObject({
      deal_value: '500.00',
      expected_close_date: '2027-02-01',
      next_step: 'Demo',
    })
    const cleared = await request('PATCH', `/customers/${id}`, {
      token: tokens.rep,
      body: { deal_value: null, next_step: null },
    })
    expect(cleared.status).toBe(200)
    expect(cleared.json).toMatchObject({
      deal_value: null,
      expected_close_date: '2027-02-01',
      next_step: null,
      value: '0.00',
    })
  })

  it('should refuse amounts, dates and next steps out of shape with the failing fields, writing nothing', async () => {
    const bad = {
      deal_value: '-5',
      expected_close_date: '2027-02-30',
      next_step: 'x'.repeat(501),
    }
    const res = await request('POST', `/orgs/${f.orgA}/customers`, {
      token: tokens.rep,
      body: { name: 'Bad Corp', ...bad },
    })
    expect(res.status).toBe(400)
    expect(failingFields(res)).toEqual(['body.deal_value', 'body.expected_close_date', 'body.next_step'])
    for (const deal_value of ['12.345', '1e3', 'NaN', '1,000', '', '1000000000000', 12.345, -1]) {
      const one = await request('POST', `/orgs/${f.orgA}/customers`, {
        token: tokens.rep,
        body: { name: 'Bad Corp', deal_value },
      })
      expect(one.status, String(deal_value)).toBe(400)
      expect(failingFields(one)).toEqual(['body.deal_value'])
    }
    const blank = await request('PATCH', `/customers/${f.customers.repOwned}`, {
      token: tokens.rep,
      body: { next_step: '   ' },
    })
    expect(failingFields(blank)).toEqual(['body.next_step'])
    expect(await t.db.query(`select 1 from public.customers where name = 'Bad Corp'`)).toHaveLength(0)
  })

  it('should let only who may write the customer change its deal value', async () => {
    const viewer = await request('PATCH', `/customers/${f.customers.repOwned}`, {
      token: tokens.viewer,
      body: { deal_value: '1' },
    })
    expect(viewer.status).toBe(403)
    const otherRep = await request('PATCH', `/customers/${f.customers.repOwned}`, {
      token: tokens.rep2,
      body: { deal_value: '1' },
    })
    expect(otherRep.status).toBe(403)
    const outsider = await request('PATCH', `/customers/${f.customers.repOwned}`, {
      token: tokens.outsider,
      body: { deal_value: '1' },
    })
    expect(outsider.status).toBe(404)
    const [row] = await t.db.query<{ deal_value: string | null }>(
      'select deal_value::text from public.customers where id = $1',
      [f.customers.repOwned],
    )
    expect(row?.deal_value).toBeNull()
  })
})

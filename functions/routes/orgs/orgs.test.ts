import { beforeAll, describe, expect, it } from 'vitest'
import { failingFields, useApiFixture } from '../../../tests/support/use-api-fixture.ts'

describe('organizations API', () => {
  const api = useApiFixture()
  let { t, f, request, tokens } = api
  beforeAll(() => {
    ;({ t, f, request, tokens } = api)
  })

  it('should let any signed-in user create an organization they own alone', async () => {
    const res = await request('POST', '/orgs', {
      token: tokens.stranger,
      body: { name: '  Stranger Things Inc ', time_zone: 'Europe/Berlin' },
    })
    expect(res.status, res.text).toBe(201)
    expect(res.json).toMatchObject({ name: 'Stranger Things Inc', time_zone: 'Europe/Berlin', role: 'owner' })
    const members = await t.db.query(
      'select user_id, role::text as role from public.memberships where org_id = $1',
      [res.json.id],
    )
    expect(members).toEqual([{ user_id: f.users.stranger.id, role: 'owner' }])
    const [row] = await t.db.query('select created_by from public.organizations where id = $1', [res.json.id])
    expect(row).toEqual({ created_by: f.users.stranger.id })
    const me = await request('GET', '/me', { token: tokens.stranger })
    expect(me.json.memberships).toEqual([
      expect.objectContaining({ org_id: res.json.id, org_name: 'Stranger Things Inc', role: 'owner' }),
    ])
  })

  it('should default to UTC and refuse a time zone the database does not know with 422', async () => {
    const utc = await request('POST', '/orgs', { token: tokens.viewer, body: { name: 'Plain' } })
    expect(utc.json.time_zone).toBe('UTC')
    const bad = await request('POST', '/orgs', {
      token: tokens.viewer,
      body: { name: 'Nowhere', time_zone: 'Mars/Olympus' },
    })
    expect(bad.status).toBe(422)
    expect(bad.json.code).toBe('constraint_violation')
  })

  it('should refuse a blank name and every field the database owns', async () => {
    const res = await request('POST', '/orgs', {
      token: tokens.rep,
      body: { name: ' ', created_by: f.users.owner.id, id: f.orgA },
    })
    expect(res.status).toBe(400)
    expect(failingFields(res)).toEqual(['body.created_by', 'body.id', 'body.name'])
    expect((await request('POST', '/orgs', { body: { name: 'Anonymous' } })).status).toBe(401)
  })
})

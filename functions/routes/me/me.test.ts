import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { tokenFor } from '../../../tests/support/api.ts'
import { addMember, createAuthUser, createOrganization } from '../../../tests/support/fixtures.ts'
import { useApiFixture } from '../../../tests/support/use-api-fixture.ts'

const fields = (res: { json: { errors: { field: string }[] } }) => res.json.errors.map((e) => e.field).sort()

describe('me API', () => {
  const api = useApiFixture()
  // Set once the fixture's beforeAll has run (hooks run in the order they are registered).
  let { t, f, request, tokens } = api
  beforeAll(() => {
    ;({ t, f, request, tokens } = api)
  })

  it('should answer the caller’s profile and only the caller’s own memberships', async () => {
    const res = await request('GET', '/me', { token: tokens.rep })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('private, no-cache')
    const [org] = await t.db.query<{ name: string }>('select name from public.organizations where id = $1', [
      f.orgA,
    ])
    const [profile] = await t.db.query(
      'select id, email, username, display_name from public.users where id = $1',
      [f.users.rep.id],
    )
    expect(res.json).toEqual({
      ...profile,
      memberships: [{ org_id: f.orgA, org_name: org?.name, role: 'rep', live_topic: `org:${f.orgA}` }],
    })
    expect(res.json.email).toBe(f.users.rep.email)
  })

  it('should order memberships by organization name', async () => {
    const user = await createAuthUser(t.db, `multi-${randomUUID().slice(0, 8)}@example.com`)
    const zeta = await createOrganization(t.db, 'Zeta Widgets')
    const alpha = await createOrganization(t.db, 'Alpha Gadgets')
    const mid = await createOrganization(t.db, 'Mid Tools')
    await addMember(t.db, zeta, user.id, 'owner')
    await addMember(t.db, alpha, user.id, 'viewer')
    await addMember(t.db, mid, user.id, 'manager')
    const res = await request('GET', '/me', { token: await tokenFor(user.id) })
    expect(res.json.memberships).toEqual([
      { org_id: alpha, org_name: 'Alpha Gadgets', role: 'viewer', live_topic: `org:${alpha}` },
      { org_id: mid, org_name: 'Mid Tools', role: 'manager', live_topic: `org:${mid}` },
      { org_id: zeta, org_name: 'Zeta Widgets', role: 'owner', live_topic: `org:${zeta}` },
    ])
  })

  it('should answer a user in no organization with empty memberships', async () => {
    const res = await request('GET', '/me', { token: tokens.stranger })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({
      id: f.users.stranger.id,
      email: f.users.stranger.email,
      memberships: [],
    })
  })

  it('should answer 404 to a valid token for a user without a profile', async () => {
    const ghost = await tokenFor(randomUUID())
    const res = await request('GET', '/me', { token: ghost })
    expect(res.status).toBe(404)
    expect(res.json.code).toBe('not_found')
    expect((await request('PATCH', '/me', { token: ghost, body: { display_name: 'Ghost' } })).status).toBe(
      404,
    )
  })

  it('should return 401 without a token', async () => {
    expect((await request('GET', '/me')).status).toBe(401)
    expect((await request('PATCH', '/me', { body: { display_name: 'Nobody' } })).status).toBe(401)
  })

  it('should change the caller’s display name and username', async () => {
    const res = await request('PATCH', '/me', {
      token: tokens.viewer,
      body: { display_name: '  Vera Viewer ', username: 'vera.v' },
    })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ id: f.users.viewer.id, display_name: 'Vera Viewer', username: 'vera.v' })
    expect(res.json.memberships).toEqual([
      { org_id: f.orgA, org_name: expect.any(String), role: 'viewer', live_topic: `org:${f.orgA}` },
    ])
    const [row] = await t.db.query('select display_name, username from public.users where id = $1', [
      f.users.viewer.id,
    ])
    expect(row).toEqual({ display_name: 'Vera Viewer', username: 'vera.v' })
  })

  it('should answer 409 when the username is taken by someone else', async () => {
    const [taken] = await t.db.query<{ username: string }>(
      'select username from public.users where id = $1',
      [f.users.manager.id],
    )
    const res = await request('PATCH', '/me', { token: tokens.rep, body: { username: taken?.username } })
    expect(res.status).toBe(409)
    expect(res.json.code).toBe('conflict')
  })

  it('should reject a malformed username, a blank display name and fields that are not the caller’s', async () => {
    const res = await request('PATCH', '/me', {
      token: tokens.rep,
      body: {
        username: 'Not Valid!',
        display_name: '   ',
        email: 'me@evil.example.com',
        id: f.users.owner.id,
      },
    })
    expect(res.status).toBe(400)
    expect(res.json.code).toBe('validation_failed')
    expect(fields(res)).toEqual(['body.display_name', 'body.email', 'body.id', 'body.username'])
    for (const username of ['ab', 'x'.repeat(41), '-leading', 'trailing.', 'UPPER']) {
      const bad = await request('PATCH', '/me', { token: tokens.rep, body: { username } })
      expect(fields(bad)).toEqual(['body.username'])
    }
    const empty = await request('PATCH', '/me', { token: tokens.rep, body: {} })
    expect(fields(empty)).toEqual(['body'])
  })
})

import { beforeAll, describe, expect, it } from 'vitest'
import { useApiFixture } from '../../../tests/support/use-api-fixture.ts'

type MemberJson = { user_id: string; display_name: string; username: string; role: string }

describe('members API', () => {
  const api = useApiFixture()
  let { t, f, request, tokens } = api
  beforeAll(() => {
    ;({ t, f, request, tokens } = api)
  })

  it('should list every member of the organization with their role, by display name, to any member', async () => {
    const expected = await t.db.query<MemberJson>(
      `select u.id as user_id, u.display_name, u.username, m.role::text as role
       from public.memberships m join public.users u on u.id = m.user_id
       where m.org_id = $1 order by u.display_name, u.id`,
      [f.orgA],
    )
    expect(expected.length).toBeGreaterThan(4)
    const res = await request('GET', `/orgs/${f.orgA}/members`, { token: tokens.viewer })
    expect(res.status).toBe(200)
    expect(res.json).toEqual({ data: expected, next_cursor: null })
    expect(JSON.stringify(res.json)).not.toContain('@')
  })

  it('should page by cursor without repeating or skipping anyone', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2'
      const res = await request('GET', `/orgs/${f.orgA}/members${query}`, { token: tokens.rep })
      expect(res.status).toBe(200)
      expect(res.json.data.length).toBeLessThanOrEqual(2)
      seen.push(...res.json.data.map((m: MemberJson) => m.user_id))
      cursor = res.json.next_cursor
    } while (cursor)
    const all = await t.db.query<{ user_id: string }>(
      'select user_id from public.memberships where org_id = $1',
      [f.orgA],
    )
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.sort()).toEqual(all.map((m) => m.user_id).sort())
  })

  it('should answer 404 to a member of another organization and to a user in none', async () => {
    for (const who of ['outsider', 'stranger'] as const) {
      const res = await request('GET', `/orgs/${f.orgA}/members`, { token: tokens[who] })
      expect(res.status).toBe(404)
      expect(res.json.code).toBe('not_found')
    }
  })

  it('should refuse unknown query parameters and a malformed cursor with 400', async () => {
    const unknown = await request('GET', `/orgs/${f.orgA}/members?role=owner`, { token: tokens.rep })
    expect(unknown.status).toBe(400)
    const bad = await request('GET', `/orgs/${f.orgA}/members?cursor=nope`, { token: tokens.rep })
    expect(bad.status).toBe(400)
    expect(bad.json.code).toBe('validation_failed')
  })
})

import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { tokenFor } from '../../../tests/support/api.ts'
import { addMember, createAuthUser, createOrganization } from '../../../tests/support/fixtures.ts'
import { failingFields, useApiFixture } from '../../../tests/support/use-api-fixture.ts'
import type { MembershipRole } from '../../domain/vocabulary.ts'

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

  type Person = { id: string; role: MembershipRole; token: string }

  /** A fresh organization with one user per role asked for, and their tokens: each test changes its own. */
  async function team(...roles: MembershipRole[]) {
    const org = await createOrganization(t.db, `Team ${randomUUID().slice(0, 8)}`)
    const people: Person[] = []
    for (const role of roles) {
      const user = await createAuthUser(t.db, `${role}-${randomUUID().slice(0, 8)}@team.example`)
      await addMember(t.db, org, user.id, role)
      people.push({ id: user.id, role, token: await tokenFor(user.id) })
    }
    const roleOf = async (userId: string) =>
      (
        await t.db.query<{ role: string }>(
          'select role::text as role from public.memberships where org_id = $1 and user_id = $2',
          [org, userId],
        )
      )[0]?.role
    return { org, people, roleOf }
  }

  describe('changing a role', () => {
    it('should let an admin change a member below owner up to admin, answering the member', async () => {
      const { org, people, roleOf } = await team('owner', 'admin', 'viewer')
      const [, admin, viewer] = people
      const res = await request('PATCH', `/orgs/${org}/members/${viewer?.id}`, {
        token: admin?.token,
        body: { role: 'admin' },
      })
      expect(res.status, res.text).toBe(200)
      expect(res.json).toMatchObject({ user_id: viewer?.id, role: 'admin' })
      expect(await roleOf(viewer?.id as string)).toBe('admin')
    })

    it('should refuse making an owner by a role change: ownership moves by transfer only', async () => {
      const { org, people } = await team('owner', 'viewer')
      const res = await request('PATCH', `/orgs/${org}/members/${people[1]?.id}`, {
        token: people[0]?.token,
        body: { role: 'owner' },
      })
      expect(res.status).toBe(400)
      expect(failingFields(res)).toEqual(['body.role'])
    })

    it('should let only owners change an owner, and keep the last owner', async () => {
      const { org, people, roleOf } = await team('owner', 'owner', 'admin', 'manager')
      const [first, second, admin, manager] = people
      const byAdmin = await request('PATCH', `/orgs/${org}/members/${first?.id}`, {
        token: admin?.token,
        body: { role: 'viewer' },
      })
      expect(byAdmin.status).toBe(403)
      const byManager = await request('PATCH', `/orgs/${org}/members/${admin?.id}`, {
        token: manager?.token,
        body: { role: 'viewer' },
      })
      expect(byManager.status).toBe(403)
      const stepDown = await request('PATCH', `/orgs/${org}/members/${first?.id}`, {
        token: second?.token,
        body: { role: 'admin' },
      })
      expect(stepDown.status).toBe(200)
      const last = await request('PATCH', `/orgs/${org}/members/${second?.id}`, {
        token: second?.token,
        body: { role: 'admin' },
      })
      expect(last.status).toBe(422)
      expect(last.json.detail).toBe('An organization must keep at least one owner.')
      expect(await roleOf(second?.id as string)).toBe('owner')
    })

    it('should answer 404 for another organization’s member and for someone who is not a member', async () => {
      const res = await request('PATCH', `/orgs/${f.orgA}/members/${f.users.viewer.id}`, {
        token: tokens.outsider,
        body: { role: 'rep' },
      })
      expect(res.status).toBe(404)
      const nobody = await request('PATCH', `/orgs/${f.orgA}/members/${f.users.stranger.id}`, {
        token: tokens.owner,
        body: { role: 'rep' },
      })
      expect(nobody.status).toBe(404)
      expect(nobody.json.detail).toBe('No such member.')
    })
  })

  describe('transferring ownership', () => {
    it('should make the member owner and the caller admin, in one step', async () => {
      const { org, people, roleOf } = await team('owner', 'manager')
      const [owner, manager] = people
      const res = await request('POST', `/orgs/${org}/members/${manager?.id}/transfer-ownership`, {
        token: owner?.token,
      })
      expect(res.status, res.text).toBe(200)
      expect(res.json.new_owner).toMatchObject({ user_id: manager?.id, role: 'owner' })
      expect(res.json.previous_owner).toMatchObject({ user_id: owner?.id, role: 'admin' })
      expect([await roleOf(owner?.id as string), await roleOf(manager?.id as string)]).toEqual([
        'admin',
        'owner',
      ])
    })

    it('should refuse an admin, the caller themselves and a non-member', async () => {
      const { org, people, roleOf } = await team('owner', 'admin', 'viewer')
      const [owner, admin, viewer] = people
      const byAdmin = await request('POST', `/orgs/${org}/members/${viewer?.id}/transfer-ownership`, {
        token: admin?.token,
      })
      expect(byAdmin.status).toBe(403)
      const self = await request('POST', `/orgs/${org}/members/${owner?.id}/transfer-ownership`, {
        token: owner?.token,
      })
      expect(self.status).toBe(422)
      expect(self.json.code).toBe('transfer_to_self')
      const stranger = await request(
        'POST',
        `/orgs/${org}/members/${f.users.stranger.id}/transfer-ownership`,
        {
          token: owner?.token,
        },
      )
      expect(stranger.status).toBe(404)
      expect(await roleOf(owner?.id as string)).toBe('owner')
      expect(await roleOf(viewer?.id as string)).toBe('viewer')
    })
  })

  describe('removing and leaving', () => {
    it('should let an admin remove members below owner but not an owner', async () => {
      const { org, people, roleOf } = await team('owner', 'admin', 'admin', 'rep')
      const [owner, admin, otherAdmin, rep] = people
      for (const member of [rep, otherAdmin]) {
        const res = await request('DELETE', `/orgs/${org}/members/${member?.id}`, { token: admin?.token })
        expect(res.status, res.text).toBe(204)
        expect(await roleOf(member?.id as string)).toBeUndefined()
      }
      const ownerRes = await request('DELETE', `/orgs/${org}/members/${owner?.id}`, { token: admin?.token })
      expect(ownerRes.status).toBe(403)
      expect(await roleOf(owner?.id as string)).toBe('owner')
    })

    it('should let anyone leave, except the last owner', async () => {
      const { org, people, roleOf } = await team('owner', 'viewer')
      const [owner, viewer] = people
      const refused = await request('DELETE', `/orgs/${org}/members/${owner?.id}`, { token: viewer?.token })
      expect(refused.status).toBe(403)
      expect(
        (await request('DELETE', `/orgs/${org}/members/${viewer?.id}`, { token: viewer?.token })).status,
      ).toBe(204)
      const lastOwner = await request('DELETE', `/orgs/${org}/members/${owner?.id}`, { token: owner?.token })
      expect(lastOwner.status).toBe(422)
      expect(await roleOf(owner?.id as string)).toBe('owner')
      // Gone is gone: the former viewer now sees nothing of the organization.
      expect((await request('GET', `/orgs/${org}/members`, { token: viewer?.token })).status).toBe(404)
    })

    it('should answer 404 to another organization', async () => {
      const res = await request('DELETE', `/orgs/${f.orgA}/members/${f.users.viewer.id}`, {
        token: tokens.outsider,
      })
      expect(res.status).toBe(404)
    })
  })
})

import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { tokenFor } from '../../../tests/support/api.ts'
import { addMember, createAuthUser, createOrganization } from '../../../tests/support/fixtures.ts'
import { failingFields, useApiFixture } from '../../../tests/support/use-api-fixture.ts'

const unique = () => randomUUID().slice(0, 8)

describe('invitations API', () => {
  const api = useApiFixture()
  let { t, f, request, tokens } = api
  beforeAll(() => {
    ;({ t, f, request, tokens } = api)
  })

  /** A fresh signed-in user with a verified address, and their token. */
  async function newcomer(verified = true) {
    const user = await createAuthUser(t.db, `new-${unique()}@example.com`, 'New Person')
    if (!verified)
      await t.db.query('update auth.users set email_confirmed_at = null where id = $1', [user.id])
    return { ...user, token: await tokenFor(user.id) }
  }

  const invite = (email: string, role = 'viewer', token = tokens.admin, org = f.orgA) =>
    request('POST', `/orgs/${org}/invitations`, { token, body: { email, role } })

  const stored = async (id: string) => {
    const [row] = await t.db.query<Record<string, unknown>>(
      `select status::text as status, role::text as role, invited_by, ended_by, email,
              expires_at - created_at = interval '7 days' as week
       from public.invitations where id = $1`,
      [id],
    )
    return row
  }

  describe('inviting', () => {
    it('should let an admin invite an address, stamped by the database: open for 7 days, in their name', async () => {
      const email = `Mixed.Case-${unique()}@Example.com`
      const res = await invite(email, 'rep')
      expect(res.status, res.text).toBe(201)
      expect(res.json).toMatchObject({
        org_id: f.orgA,
        email: email.toLowerCase(),
        role: 'rep',
        status: 'open',
        invited_by: f.users.admin.id,
        ended_at: null,
        ended_by: null,
      })
      expect(new Date(res.json.expires_at).getTime() - new Date(res.json.created_at).getTime()).toBe(
        7 * 86_400_000,
      )
      expect(await stored(res.json.id)).toMatchObject({
        status: 'open',
        invited_by: f.users.admin.id,
        week: true,
      })
    })

    it('should refuse an admin inviting above their own role, and let an owner invite an owner', async () => {
      const email = `boss-${unique()}@example.com`
      const refused = await invite(email, 'owner')
      expect(refused.status).toBe(403)
      expect(refused.json.code).toBe('forbidden')
      expect(refused.json.detail).toBe('You can invite at most as admin, your own role.')
      expect((await t.db.query('select 1 from public.invitations where email = $1', [email])).length).toBe(0)
      const owner = await invite(email, 'owner', tokens.owner)
      expect(owner.status, owner.text).toBe(201)
      expect(owner.json.role).toBe('owner')
    })

    it('should refuse members below admin with 403 and others with 404', async () => {
      for (const who of ['manager', 'rep', 'viewer'] as const) {
        const res = await invite(`x-${unique()}@example.com`, 'viewer', tokens[who])
        expect(res.status, who).toBe(403)
        expect(res.json.detail).toBe('Only admins and owners invite.')
      }
      for (const who of ['outsider', 'stranger'] as const) {
        const res = await invite(`x-${unique()}@example.com`, 'viewer', tokens[who])
        expect(res.status, who).toBe(404)
        expect(res.json.code).toBe('not_found')
      }
    })

    it('should answer 409 to a second open invitation to the same address, in any case', async () => {
      const email = `twice-${unique()}@example.com`
      expect((await invite(email)).status).toBe(201)
      const again = await invite(email.toUpperCase(), 'rep', tokens.owner)
      expect(again.status).toBe(409)
      expect(again.json.code).toBe('invitation_open')
    })

    it('should refuse a malformed address and every field the server owns', async () => {
      const bad = await request('POST', `/orgs/${f.orgA}/invitations`, {
        token: tokens.admin,
        body: { email: 'not an address', role: 'boss' },
      })
      expect(bad.status).toBe(400)
      expect(failingFields(bad)).toEqual(['body.email', 'body.role'])
      const forged = await request('POST', `/orgs/${f.orgA}/invitations`, {
        token: tokens.admin,
        body: {
          email: 'a@example.com',
          invited_by: f.users.owner.id,
          expires_at: '2100-01-01T00:00:00Z',
          status: 'accepted',
        },
      })
      expect(failingFields(forged)).toEqual(['body.expires_at', 'body.invited_by', 'body.status'])
    })

    it('should default to viewer', async () => {
      const res = await request('POST', `/orgs/${f.orgA}/invitations`, {
        token: tokens.admin,
        body: { email: `plain-${unique()}@example.com` },
      })
      expect(res.status).toBe(201)
      expect(res.json.role).toBe('viewer')
    })
  })

  describe('listing and revoking', () => {
    it('should list the organization’s invitations newest first to admins, page by page, with a status filter', async () => {
      const emails = [
        `l1-${unique()}@example.com`,
        `l2-${unique()}@example.com`,
        `l3-${unique()}@example.com`,
      ]
      const ids: string[] = []
      for (const email of emails) ids.push((await invite(email)).json.id)
      await t.db.query(`update public.invitations set status = 'declined' where id = $1`, [ids[0]])
      const { rows } = await api.walk<{ id: string; status: string }>(
        `/orgs/${f.orgA}/invitations?limit=2`,
        tokens.owner,
      )
      const expected = await t.db.query<{ id: string }>(
        'select id from public.invitations where org_id = $1 order by created_at desc, id desc',
        [f.orgA],
      )
      expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id))
      const open = await request('GET', `/orgs/${f.orgA}/invitations?status=declined`, {
        token: tokens.admin,
      })
      expect(open.json.data.map((r: { id: string }) => r.id)).toContain(ids[0])
      expect(open.json.data.every((r: { status: string }) => r.status === 'declined')).toBe(true)
    })

    it('should show an open invitation past its expiry as expired', async () => {
      // Written in the past as the superuser (nobody signed in can move an invitation's clock).
      const [row] = await t.db.query<{ id: string }>(
        `insert into public.invitations (org_id, email, invited_by, created_at, expires_at)
         values ($1, $2, $3, now() - interval '8 days', now() - interval '1 day') returning id`,
        [f.orgA, `late-${unique()}@example.com`, f.users.admin.id],
      )
      const res = await request('GET', `/orgs/${f.orgA}/invitations?status=expired`, { token: tokens.admin })
      expect(res.json.data.map((r: { id: string }) => r.id)).toContain(row?.id)
      const open = await request('GET', `/orgs/${f.orgA}/invitations?status=open`, { token: tokens.admin })
      expect(open.json.data.map((r: { id: string }) => r.id)).not.toContain(row?.id)
    })

    it('should show other members an empty list and other organizations 404', async () => {
      for (const who of ['manager', 'rep', 'viewer'] as const) {
        const res = await request('GET', `/orgs/${f.orgA}/invitations`, { token: tokens[who] })
        expect(res.status).toBe(200)
        expect(res.json).toEqual({ data: [], next_cursor: null })
      }
      expect((await request('GET', `/orgs/${f.orgA}/invitations`, { token: tokens.outsider })).status).toBe(
        404,
      )
    })

    it('should revoke once, stamping who ended it; then answer 409', async () => {
      const { id } = (await invite(`revoke-${unique()}@example.com`)).json
      const res = await request('POST', `/invitations/${id}/revoke`, { token: tokens.admin })
      expect(res.status, res.text).toBe(200)
      expect(res.json).toMatchObject({ id, status: 'revoked', ended_by: f.users.admin.id })
      const again = await request('POST', `/invitations/${id}/revoke`, { token: tokens.owner })
      expect(again.status).toBe(409)
      expect(again.json.code).toBe('invitation_revoked')
    })

    it('should let only owners revoke an owner invitation, and hide invitations from everyone else', async () => {
      const { id } = (await invite(`own-${unique()}@example.com`, 'owner', tokens.owner)).json
      const admin = await request('POST', `/invitations/${id}/revoke`, { token: tokens.admin })
      expect(admin.status).toBe(403)
      for (const who of ['viewer', 'outsider', 'stranger'] as const) {
        expect((await request('POST', `/invitations/${id}/revoke`, { token: tokens[who] })).status, who).toBe(
          404,
        )
      }
      expect((await request('POST', `/invitations/${id}/revoke`, { token: tokens.owner })).status).toBe(200)
    })
  })

  describe('answering', () => {
    it('should list an invitee’s open invitations with the organization and inviter, and make them a member on accept', async () => {
      const person = await newcomer()
      const { id } = (await invite(person.email.toUpperCase(), 'rep')).json
      const mine = await request('GET', '/me/invitations', { token: person.token })
      expect(mine.status).toBe(200)
      const [org] = await t.db.query<{ name: string }>(
        'select name from public.organizations where id = $1',
        [f.orgA],
      )
      const [inviter] = await t.db.query<{ display_name: string }>(
        'select display_name from public.users where id = $1',
        [f.users.admin.id],
      )
      expect(mine.json.data).toEqual([
        {
          id,
          org_id: f.orgA,
          org_name: org?.name,
          role: 'rep',
          invited_by_name: inviter?.display_name,
          created_at: expect.any(String),
          expires_at: expect.any(String),
        },
      ])
      // Before accepting, nothing of the organization is theirs to see.
      expect((await request('GET', `/orgs/${f.orgA}/members`, { token: person.token })).status).toBe(404)

      const accepted = await request('POST', `/invitations/${id}/accept`, { token: person.token })
      expect(accepted.status, accepted.text).toBe(200)
      expect(accepted.json).toEqual({
        org_id: f.orgA,
        org_name: org?.name,
        role: 'rep',
        already_member: false,
      })
      const me = await request('GET', '/me', { token: person.token })
      expect(me.json.memberships).toEqual([
        expect.objectContaining({ org_id: f.orgA, org_name: org?.name, role: 'rep' }),
      ])
      expect((await request('GET', `/orgs/${f.orgA}/members`, { token: person.token })).status).toBe(200)
      expect(await stored(id)).toMatchObject({ status: 'accepted', ended_by: person.id })
      expect((await request('GET', '/me/invitations', { token: person.token })).json.data).toEqual([])

      const again = await request('POST', `/invitations/${id}/accept`, { token: person.token })
      expect(again.status).toBe(409)
      expect(again.json.code).toBe('invitation_accepted')
    })

    it('should answer 404 to anyone but the invitee, whatever their role, and to an unverified address', async () => {
      const person = await newcomer(false)
      const { id } = (await invite(person.email)).json
      for (const token of [tokens.admin, tokens.owner, tokens.stranger, person.token]) {
        const res = await request('POST', `/invitations/${id}/accept`, { token })
        expect(res.status).toBe(404)
        expect(res.json.code).toBe('not_found')
        expect((await request('POST', `/invitations/${id}/decline`, { token })).status).toBe(404)
      }
      expect((await request('GET', '/me/invitations', { token: person.token })).json.data).toEqual([])
      expect(await stored(id)).toMatchObject({ status: 'open' })
    })

    it('should record a decline and refuse accepting afterwards', async () => {
      const person = await newcomer()
      const { id } = (await invite(person.email)).json
      const declined = await request('POST', `/invitations/${id}/decline`, { token: person.token })
      expect(declined.status).toBe(204)
      expect(await stored(id)).toMatchObject({ status: 'declined', ended_by: person.id })
      const accept = await request('POST', `/invitations/${id}/accept`, { token: person.token })
      expect(accept.status).toBe(409)
      expect(accept.json.code).toBe('invitation_declined')
      expect((await request('GET', '/me', { token: person.token })).json.memberships).toEqual([])
    })

    it('should refuse a revoked and an expired invitation with their own codes', async () => {
      const person = await newcomer()
      const revoked = (await invite(person.email)).json.id
      await request('POST', `/invitations/${revoked}/revoke`, { token: tokens.admin })
      const res = await request('POST', `/invitations/${revoked}/accept`, { token: person.token })
      expect(res.status).toBe(409)
      expect(res.json.code).toBe('invitation_revoked')

      const [expired] = await t.db.query<{ id: string }>(
        `insert into public.invitations (org_id, email, invited_by, created_at, expires_at)
         values ($1, $2, $3, now() - interval '8 days', now() - interval '1 day') returning id`,
        [f.orgA, person.email, f.users.admin.id],
      )
      const late = await request('POST', `/invitations/${expired?.id}/accept`, { token: person.token })
      expect(late.status).toBe(409)
      expect(late.json.code).toBe('invitation_expired')
      expect((await request('GET', '/me', { token: person.token })).json.memberships).toEqual([])
    })

    it('should refuse an invitation whose inviter has since been removed', async () => {
      const org = await createOrganization(t.db, `Short-lived ${unique()}`)
      const owner = await createAuthUser(t.db, `o-${unique()}@example.com`)
      const admin = await createAuthUser(t.db, `a-${unique()}@example.com`)
      await addMember(t.db, org, owner.id, 'owner')
      await addMember(t.db, org, admin.id, 'admin')
      const person = await newcomer()
      const { id } = (await invite(person.email, 'viewer', await tokenFor(admin.id), org)).json
      const removed = await request('DELETE', `/orgs/${org}/members/${admin.id}`, {
        token: await tokenFor(owner.id),
      })
      expect(removed.status).toBe(204)
      const res = await request('POST', `/invitations/${id}/accept`, { token: person.token })
      expect(res.status).toBe(409)
      expect(res.json.code).toBe('invitation_inviter_lacks_rights')
    })

    it('should keep the higher role of someone who is a member already', async () => {
      const { id } = (await invite(f.users.manager.email, 'rep')).json
      const res = await request('POST', `/invitations/${id}/accept`, { token: tokens.manager })
      expect(res.status).toBe(200)
      expect(res.json).toMatchObject({ role: 'manager', already_member: true })
    })

    it('should answer 404 to an unknown invitation and 401 without a token', async () => {
      const res = await request('POST', `/invitations/${randomUUID()}/accept`, { token: tokens.stranger })
      expect(res.status).toBe(404)
      expect((await request('POST', `/invitations/${randomUUID()}/accept`)).status).toBe(401)
      expect((await request('GET', '/me/invitations')).status).toBe(401)
    })
  })
})

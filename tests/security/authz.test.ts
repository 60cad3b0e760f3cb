import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TableChecksum, tableChecksums } from '../../scripts/db/backup/checksums.ts'
import { apiClient, createTestApp, expectAnswersDeclared, tokenFor } from '../support/api.ts'
import { addMember, createAuthUser, createFixture, type Fixture } from '../support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { failingFields } from '../support/use-api-fixture.ts'
import {
  describeOperation,
  fillPath,
  loadOperations,
  type Operation,
  requiredQuery,
} from './support/operations.ts'
import { type OrgARecords, orgAParams, recordsOfOrgA } from './support/org-a-records.ts'
import { validBodyFor } from './support/valid-bodies.ts'

/**
 * OWASP API Security Top 10 (2023), enumerated from the app's own OpenAPI
 * document so every route is tried, including routes added after this file:
 * API1 broken object level authorization, API3 broken object property level
 * authorization (mass assignment), API4 unrestricted resource consumption
 * (list and body limits), API5 broken function level authorization.
 */

const { operations } = await loadOperations()
const userOperations = operations.filter((op) => !op.public)
const withPathIds = userOperations.filter((op) => op.pathParams.length > 0)
const writes = userOperations.filter((op) => op.method !== 'GET')
const adminOnly = userOperations.filter(
  (op) =>
    /^\/(orgs\/\{orgId\}\/)?(integrations|webhook-events|invitations)\b/.test(op.path) &&
    // Answering an invitation is its invitee's, whatever their role.
    !/\/(accept|decline)$/.test(op.path),
)
const named = (ops: Operation[]) => ops.map((op) => [describeOperation(op), op] as const)

/** Fields a client must never set: the server, the database or an admin decides them. */
const serverOwned: Record<string, unknown> = {
  id: '00000000-0000-4000-8000-000000000001',
  org_id: '00000000-0000-4000-8000-000000000002',
  owner_id: '00000000-0000-4000-8000-000000000003',
  user_id: '00000000-0000-4000-8000-000000000004',
  customer_id: '00000000-0000-4000-8000-000000000005',
  actor_id: '00000000-0000-4000-8000-000000000006',
  created_by: '00000000-0000-4000-8000-000000000007',
  uploaded_by: '00000000-0000-4000-8000-000000000008',
  created_at: '2020-01-01T00:00:00Z',
  updated_at: '2020-01-01T00:00:00Z',
  role: 'owner',
  status: 'ready',
  storage_path: 'org/other/customers/x/y/evil.pdf',
  secret_hash: 'x',
}

describe('OWASP API security, over every route of the OpenAPI document', () => {
  let t: TestDatabase
  let f: Fixture
  let records: OrgARecords
  let request: ReturnType<typeof apiClient>
  const tokens = {} as Record<keyof Fixture['users'], string>
  let before: TableChecksum[]
  /** A member of org A who was removed from it (the fixture's stranger was never invited anywhere). */
  let removedToken: string
  let testApp: ReturnType<typeof createTestApp> | undefined

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    records = await recordsOfOrgA(t.db, f)
    // Storage configured (at a closed port) so document routes reach their authorization, not a 503.
    testApp = createTestApp(t.db, { SUPABASE_URL: 'http://127.0.0.1:9' })
    request = apiClient(testApp.app)
    for (const [name, user] of Object.entries(f.users))
      tokens[name as keyof Fixture['users']] = await tokenFor(user.id)
    const removed = await createAuthUser(t.db, `removed-${Date.now()}@a.example.com`)
    await addMember(t.db, f.orgA, removed.id, 'manager')
    await t.db.query('delete from public.memberships where org_id = $1 and user_id = $2', [
      f.orgA,
      removed.id,
    ])
    removedToken = await tokenFor(removed.id)
    before = await tableChecksums(t.db)
  })
  afterAll(async () => {
    await t?.close()
    // Every operation, every role: the broadest set of answers any suite sees.
    if (testApp) await expectAnswersDeclared(testApp)
  })

  const bodyOf = (op: Operation) => (op.bodyName ? validBodyFor(op.bodyName) : undefined)
  const send = (
    op: Operation,
    token: string,
    options: { body?: unknown; query?: Record<string, string> } = {},
  ) =>
    request(op.method, `${fillPath(op.path, orgAParams(op, records))}${requiredQuery(op, options.query)}`, {
      token,
      body: options.body ?? bodyOf(op),
    })

  /** Chat sessions are their user's alone; org A's owner sees every other record. */
  const readerOf = (op: Operation) => (op.path.startsWith('/chat/') ? 'rep' : 'owner')

  function expectProblem(res: Awaited<ReturnType<typeof request>>, status: number, code: string) {
    expect(res.status, res.text).toBe(status)
    expect(res.headers.get('Content-Type')).toBe('application/problem+json')
    expect(res.json.code).toBe(code)
  }

  it('should find the routes to try in the document', () => {
    expect(withPathIds.length).toBeGreaterThanOrEqual(40)
    expect(adminOnly.map(describeOperation)).toEqual(
      expect.arrayContaining(['GET /orgs/{orgId}/integrations', 'POST /webhook-events/{id}/replay']),
    )
  })

  describe('API1 BOLA: another organization’s owner', () => {
    it.each(named(withPathIds))('should get 404 from %s on org A’s record', async (_, op) => {
      expectProblem(await send(op, tokens.outsider), 404, 'not_found')
    })

    it.each(named(withPathIds.filter((op) => op.method === 'GET')))(
      'should be a real record: org A’s owner reads %s',
      async (_, op) => {
        const res = await send(op, tokens[readerOf(op)])
        // The download URL is signed by Storage, which is not running here: 503, after the row was found.
        if (op.path === '/documents/{id}/download') expectProblem(res, 503, 'unavailable')
        else expect(res.status, res.text).toBe(200)
      },
    )
  })

  describe('API1 BOLA: a member removed from org A, and a user never invited anywhere', () => {
    it.each(named(withPathIds))(
      'should get 404 from %s on org A’s record, as the removed member',
      async (_, op) => {
        expectProblem(await send(op, removedToken), 404, 'not_found')
      },
    )

    it.each(named(withPathIds))(
      'should get 404 from %s on org A’s record, as the stranger',
      async (_, op) => {
        expectProblem(await send(op, tokens.stranger), 404, 'not_found')
      },
    )
  })

  describe('API3 mass assignment: server-owned fields in bodies', () => {
    const bodies = userOperations.filter((op) => op.body)

    it.each(named(bodies))('should declare a strict body for %s', (_, op) => {
      expect(op.body?.additionalProperties).toBe(false)
    })

    it.each(named(bodies))(
      'should refuse every server-owned field it does not declare: %s',
      async (_, op) => {
        const declared = Object.keys(op.body?.properties ?? {})
        const refused = Object.keys(serverOwned).filter((field) => !declared.includes(field))
        expect(refused.length).toBeGreaterThan(5)
        for (const field of refused) {
          const res = await send(op, tokens.owner, { body: { ...bodyOf(op), [field]: serverOwned[field] } })
          expectProblem(res, 400, 'validation_failed')
          // Exactly this field: the rest of the body was valid, so the field alone was the reason.
          expect(failingFields(res), field).toEqual([`body.${field}`])
          expect(res.json.errors[0].message).toBe('is not a field you can set')
        }
      },
    )

    it('should refuse a rep giving a customer to another member, on create and on update', async () => {
      const orgCustomers = `/orgs/${f.orgA}/customers`
      const create = await request('POST', orgCustomers, {
        token: tokens.rep,
        body: { name: 'Not mine to give', owner_id: f.users.rep2.id },
      })
      expectProblem(create, 403, 'forbidden')
      const patch = await request('PATCH', `/customers/${f.customers.repOwned}`, {
        token: tokens.rep,
        body: { owner_id: f.users.rep2.id },
      })
      expectProblem(patch, 403, 'forbidden')
      // A manager may: the field is refused for the rep's role, not for everyone.
      const manager = await request('POST', orgCustomers, {
        token: tokens.manager,
        body: { name: 'Given by a manager', owner_id: f.users.rep2.id },
      })
      expect(manager.status, manager.text).toBe(201)
      expect(manager.json.owner_id).toBe(f.users.rep2.id)
      await t.db.query('delete from public.customers where id = $1', [manager.json.id])
      // The control wrote (its customer and the timeline's record of it): start the comparison here.
      before = await tableChecksums(t.db)
    })
  })

  describe('forbidden writes by a viewer and by a rep who does not own the record', () => {
    /** Writes any member may make for themselves. */
    const anyMember = new Set([
      'POST /orgs/{orgId}/chat/sessions',
      'PATCH /me',
      'POST /orgs',
      'POST /orgs/{orgId}/notifications/read',
    ])
    /** Records these users cannot see at all: someone else's chat and notifications, the admins' integrations and invitations. */
    const hidden = (op: Operation) =>
      op.pathParams.includes('id') &&
      /^\/(chat|integrations|webhook-events|invitations|notifications)\//.test(op.path)

    for (const role of ['viewer', 'rep2'] as const) {
      const refused = writes.filter(
        (op) =>
          !anyMember.has(describeOperation(op)) &&
          !(role === 'rep2' && op.path === '/orgs/{orgId}/customers'),
      )
      it.each(named(refused))(`should refuse the ${role} %s`, async (_, op) => {
        const res = await send(op, tokens[role])
        if (hidden(op)) expectProblem(res, 404, 'not_found')
        else expectProblem(res, 403, 'forbidden')
      })
    }
  })

  it('should refuse a viewer completing a pending upload before Storage is asked (as the service role)', async () => {
    const [pending] = await t.db.query<{ id: string }>(
      `insert into public.documents (org_id, customer_id, name, storage_path, size_bytes, content_type, status)
       values ($1, $2, 'pending.pdf', $3, 10, 'application/pdf', 'pending') returning id`,
      [f.orgA, f.customers.repOwned, `org/${f.orgA}/customers/${f.customers.repOwned}/p/pending.pdf`],
    )
    before = await tableChecksums(t.db)
    // Storage is configured at a closed port: reaching it would be a 503, not this 403.
    expectProblem(
      await request('POST', `/documents/${pending?.id}/complete`, { token: tokens.viewer }),
      403,
      'forbidden',
    )
    expectProblem(
      await request('POST', `/documents/${pending?.id}/complete`, { token: tokens.rep }),
      503,
      'unavailable',
    )
  })

  describe('API5 BFLA: admin-only routes', () => {
    for (const role of ['manager', 'rep', 'viewer'] as const) {
      it.each(named(adminOnly))(`should not serve the ${role} %s`, async (_, op) => {
        const res = await send(op, tokens[role])
        if (op.method === 'GET' && op.pathParams.length === 1 && op.pathParams[0] === 'orgId') {
          // The lists answer, empty: RLS shows non-admins none of the rows.
          expect(res.status, res.text).toBe(200)
          expect(res.json.data).toEqual([])
        } else if (op.method === 'POST' && op.pathParams[0] === 'orgId') expectProblem(res, 403, 'forbidden')
        else expectProblem(res, 404, 'not_found')
      })
    }

    it.each(named(adminOnly.filter((op) => op.method === 'GET' && op.pathParams[0] === 'orgId')))(
      'should serve the admin %s, with the rows the others did not see',
      async (_, op) => {
        const res = await send(op, tokens.admin)
        expect(res.status, res.text).toBe(200)
        expect(res.json.data.length).toBeGreaterThan(0)
      },
    )
  })

  describe('API4 resource consumption', () => {
    const lists = userOperations.filter((op) => op.queryParams.some((p) => p.name === 'limit'))

    it.each(named(lists))('should cap %s at limit=100', async (_, op) => {
      for (const limit of ['101', '0', '-1', '1e9']) {
        const res = await send(op, tokens[readerOf(op)], { query: { limit } })
        expectProblem(res, 400, 'validation_failed')
        expect(failingFields(res)).toEqual(['query.limit'])
      }
      expect((await send(op, tokens[readerOf(op)], { query: { limit: '100' } })).status).toBe(200)
    })

    it.each(named(userOperations.filter((op) => op.body)))(
      'should refuse a body over the limit on %s with 413',
      async (_, op) => {
        // 1 MiB of valid JSON: the size alone is the reason.
        const body = JSON.stringify({ ...bodyOf(op), padding: 'x'.repeat(1_048_576) })
        const res = await request(op.method, fillPath(op.path, orgAParams(op, records)), {
          token: tokens.owner,
          rawBody: body,
          headers: { 'Content-Length': String(Buffer.byteLength(body)) },
        })
        expectProblem(res, 413, 'payload_too_large')
      },
    )
  })

  // Last: nothing above (but the manager's control, deleted again) may have written anything.
  it('should leave the database as it found it', async () => {
    expect(await tableChecksums(t.db)).toEqual(before)
  })
})

import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tableChecksums } from '../../scripts/db/backup/checksums.ts'
import { apiClient, createTestApp, expectAnswersDeclared, tokenFor } from '../support/api.ts'
import { createFixture, type Fixture } from '../support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { describeOperation, loadOperations, type Operation } from './support/operations.ts'
import { type OrgARecords, orgAParams, recordsOfOrgA } from './support/org-a-records.ts'
import { validBodyFor } from './support/valid-bodies.ts'

/**
 * Property-based attacks on every operation of the OpenAPI document, as a
 * signed-in rep of org A: random and adversarial path parameters, query
 * strings, headers and JSON bodies. Whatever arrives, the answer is never a
 * 5xx, every error is problem+json, and a refused request changes nothing.
 */

const { operations } = await loadOperations()
const userOperations = operations.filter((op) => !op.public)
/** Routes that ask Storage (not running here) once the request is valid: their 503 is the honest answer. */
const needsStorage = /^\/(customers\/\{id\}\/documents\/uploads|documents\/\{id\}\/(complete|download))$/

/** Strings that have broken SQL, parsers, paths and templates somewhere. */
const nastyStrings = [
  "'",
  "''",
  "'; drop table public.customers; --",
  '" or "1"="1',
  "1' or '1'='1",
  '\\',
  '%',
  '_',
  '$1',
  '$$',
  '$$; select pg_sleep(10); $$',
  '/* */',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  '\u202e',
  '\u200b',
  '😀',
  'é',
  'e\u0301',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'x'.repeat(5000),
  '../../etc/passwd',
  '%2e%2e%2f',
  '<script>alert(1)</script>',
  '{{7*7}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally
  '${7*7}',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  '9223372036854775808',
  '2026-02-30',
  '0000-00-00T00:00:00Z',
  'infinity',
  ' ',
  '',
  '__proto__',
  'constructor',
  'W10=',
  'eyJzb3J0IjoiaWQifQ',
]

const nasty = fc.constantFrom(...nastyStrings)
const anyString = fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 300 }))
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), anyString)

/** Percent-encodes the UTF-8 of any JS string, lone surrogates included (as U+FFFD). */
const encodeLoose = (text: string) =>
  Array.from(Buffer.from(text, 'utf8'), (byte) =>
    /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
  ).join('')

/** An ASCII header value (Headers refuses anything else before it reaches the app). */
const headerValue = fc.oneof(
  fc.constantFrom('"1"', '*', 'W/"1"', `"${'9'.repeat(400)}"`, 'key-12345678', "'; --", ''),
  fc.string({ unit: fc.constantFrom(...'abcXYZ019"*,;:=/ -_.'.split('')), maxLength: 80 }),
)

interface FuzzRequest {
  path: string
  body?: string
  contentType?: string
  headers: Record<string, string>
}

function requestArbitrary(op: Operation, records: OrgARecords, otherIds: Record<string, string>) {
  const real = orgAParams(op, records)
  const pathValue = (name: string) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(real[name] as string) },
      fc.constant(otherIds[name] ?? otherIds.id),
      fc.uuid(),
      anyString,
    )
  const path = fc
    .tuple(...op.pathParams.map(pathValue))
    .map((values) =>
      op.pathParams.reduce((p, name, i) => p.replace(`{${name}}`, encodeLoose(values[i] as string)), op.path),
    )
  const queryNames = [
    ...op.queryParams.map((p) => p.name),
    'x',
    'limit',
    'cursor',
    'sort',
    'org_id',
    '__proto__',
  ]
  const query = fc.dictionary(fc.constantFrom(...queryNames), anyString, { maxKeys: 4 }).map((q) =>
    Object.entries(q)
      .map(([k, v]) => `${encodeLoose(k)}=${encodeLoose(v)}`)
      .join('&'),
  )
  const fields = Object.keys(op.body?.properties ?? {})
  const valid = op.bodyName ? validBodyFor(op.bodyName) : {}
  const body: fc.Arbitrary<string | undefined> = op.body
    ? fc.oneof(
        {
          weight: 4,
          arbitrary: fc
            .tuple(fc.constantFrom(...fields, 'org_id', 'id', 'owner_id'), anyJson)
            .map(([field, value]) => JSON.stringify({ ...valid, [field]: value })),
        },
        fc.dictionary(fc.constantFrom(...fields), anyJson).map((b) => JSON.stringify(b)),
        anyJson.map((b) => JSON.stringify(b)),
        // A key JSON.parse makes an own property but a spread would turn into a prototype.
        anyJson.map((v) => `{"__proto__":${JSON.stringify(v) ?? 'null'},${JSON.stringify(valid).slice(1)}`),
        // Not JSON at all.
        fc.string({ maxLength: 100 }),
        fc.constant(JSON.stringify(valid)),
      )
    : op.method === 'GET'
      ? fc.constant(undefined) // fetch's Request refuses a GET with a body
      : fc.option(
          anyJson.map((b) => JSON.stringify(b)),
          { nil: undefined },
        )
  return fc
    .record({
      path,
      query: fc.option(query, { nil: undefined }),
      body,
      contentType: fc.option(
        fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=latin1',
          '',
        ),
        { freq: 5, nil: undefined },
      ),
      ifMatch: fc.option(headerValue, { nil: undefined }),
      idempotencyKey: fc.option(headerValue, { nil: undefined }),
    })
    .map(
      (r): FuzzRequest => ({
        path: r.query ? `${r.path}?${r.query}` : r.path,
        ...(r.body === undefined ? {} : { body: r.body }),
        ...(r.contentType === undefined ? {} : { contentType: r.contentType }),
        headers: {
          ...(r.ifMatch === undefined ? {} : { 'If-Match': r.ifMatch }),
          ...(r.idempotencyKey === undefined ? {} : { 'Idempotency-Key': r.idempotencyKey }),
        },
      }),
    )
}

describe('fuzzing every operation as a signed-in rep', () => {
  let t: TestDatabase
  let f: Fixture
  let records: OrgARecords
  let request: ReturnType<typeof apiClient>
  let token: string
  let otherIds: Record<string, string>
  let testApp: ReturnType<typeof createTestApp> | undefined

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    records = await recordsOfOrgA(t.db, f)
    testApp = createTestApp(t.db, { SUPABASE_URL: 'http://127.0.0.1:9' })
    request = apiClient(testApp.app)
    token = await tokenFor(f.users.rep.id)
    otherIds = { orgId: f.orgB, id: f.customers.orgB }
  })
  afterAll(async () => {
    await t?.close()
    // Fuzzed input on every operation must still get a status its operation declares.
    if (testApp) await expectAnswersDeclared(testApp)
  })

  /** Grouped by their first path segment: a few dozen requests per group keeps the suite to seconds. */
  const byGroup = new Map<string, Operation[]>()
  for (const op of userOperations) {
    const group = op.path.split('/')[1] as string
    byGroup.set(group, [...(byGroup.get(group) ?? []), op])
  }
  const groups = [...byGroup]

  it.each(groups)(
    'should answer /%s… with no 5xx, problem+json errors and no change when refused',
    async (_, ops) => {
      let state = await tableChecksums(t.db)
      await fc.assert(
        fc.asyncProperty(
          fc
            .constantFrom(...ops)
            .chain((op) => requestArbitrary(op, records, otherIds).map((r) => [op, r] as const)),
          async ([op, r]) => {
            const headers: Record<string, string> = { ...r.headers }
            if (r.contentType !== undefined) headers['Content-Type'] = r.contentType
            const res = await request(op.method, r.path, {
              token,
              headers,
              ...(r.body === undefined ? {} : { rawBody: r.body }),
            })
            const what = `${describeOperation(op)} ${r.path} ${r.body?.slice(0, 200)} → ${res.status} ${res.text.slice(0, 300)}`
            if (res.status === 503 && needsStorage.test(op.path))
              expect(res.json.code, what).toBe('unavailable')
            else expect(res.status, what).toBeLessThan(500)
            const after = await tableChecksums(t.db)
            // Every answer carries the security headers and a request id (docs/api.md, "Other headers").
            expect(res.headers.get('X-Content-Type-Options'), what).toBe('nosniff')
            expect(res.headers.get('X-Request-Id'), what).toEqual(expect.any(String))
            if (res.status >= 400) {
              expect(res.headers.get('Content-Type'), what).toBe('application/problem+json')
              expect(res.json, what).toMatchObject({
                status: res.status,
                code: expect.any(String),
                request_id: res.headers.get('X-Request-Id'),
              })
              // No SQL, stack frame or driver name leaks into an error.
              expect(res.text, what).not.toMatch(
                /\bselect\b[^"]*\bfrom\b|\.ts:\d+|\bat \S+ \(|PostgresError|SQLSTATE|pg_catalog/i,
              )
              expect(after, `a refused request changed the database: ${what}`).toEqual(state)
            }
            state = after
          },
        ),
        {
          numRuns: Number(process.env.FUZZ_RUNS ?? 60),
          seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31),
          endOnFailure: true,
        },
      )
    },
  )
})

/**
 * The API trims surrounding whitespace from names and notes by design (zod's
 * `.trim()`, the same as JavaScript's); everything else must come back as sent.
 */
describe('SQL metacharacters and unicode round-trip unchanged', () => {
  let t: TestDatabase
  let f: Fixture
  let request: ReturnType<typeof apiClient>
  let token: string

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    request = apiClient(createTestApp(t.db).app)
    token = await tokenFor(f.users.rep.id)
  })
  afterAll(() => t?.close())

  /** Any well-formed text a person could type (no NUL, which Postgres text cannot hold), not blank. */
  const text = (maxLength: number) =>
    fc
      .oneof(
        nasty,
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.tuple(nasty, fc.string({ unit: 'grapheme', maxLength: 20 }), nasty).map((parts) => parts.join('')),
      )
      .filter((s) => s.length <= maxLength && !s.includes('\u0000') && !/\p{Cs}/u.test(s) && s.trim() !== '')

  const runs = {
    numRuns: 50,
    seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31),
    endOnFailure: true,
  }

  it('should store and return a customer’s name exactly, on create and on update', async () => {
    await fc.assert(
      fc.asyncProperty(text(200), text(200), async (name, renamed) => {
        const created = await request('POST', `/orgs/${f.orgA}/customers`, { token, body: { name } })
        expect(created.status, created.text).toBe(201)
        expect(created.json.name).toBe(name.trim())
        const [stored] = await t.db.query<{ name: string }>(
          'select name from public.customers where id = $1',
          [created.json.id],
        )
        expect(stored?.name).toBe(name.trim())
        const patched = await request('PATCH', `/customers/${created.json.id}`, {
          token,
          body: { name: renamed },
        })
        expect(patched.status, patched.text).toBe(200)
        expect((await request('GET', `/customers/${created.json.id}`, { token })).json.name).toBe(
          renamed.trim(),
        )
        // The search takes the text as text, not as a LIKE pattern or SQL: the exact name finds its customer.
        if (renamed.trim().length <= 100) {
          const q = encodeURIComponent(renamed.trim())
          const found = await request('GET', `/orgs/${f.orgA}/customers?q=${q}&limit=100`, { token })
          expect(found.status, found.text).toBe(200)
          expect(found.json.data.map((c: { id: string }) => c.id)).toContain(created.json.id)
        }
      }),
      runs,
    )
  })

  it('should store and return a contact’s name and role exactly', async () => {
    await fc.assert(
      fc.asyncProperty(text(200), text(100), async (name, role) => {
        const created = await request('POST', `/customers/${f.customers.repOwned}/contacts`, {
          token,
          body: { name, role },
        })
        expect(created.status, created.text).toBe(201)
        const read = await request('GET', `/contacts/${created.json.id}`, { token })
        expect(read.json).toMatchObject({ name: name.trim(), role: role.trim() })
      }),
      runs,
    )
  })

  it('should store and return a note exactly', async () => {
    await fc.assert(
      fc.asyncProperty(text(2000), async (description) => {
        const created = await request('POST', `/customers/${f.customers.repOwned}/timeline`, {
          token,
          body: { description },
        })
        expect(created.status, created.text).toBe(201)
        const [stored] = await t.db.query<{ description: string }>(
          'select description from public.timeline_events where id = $1',
          [created.json.id],
        )
        expect(stored?.description).toBe(description.trim())
        expect(created.json.description).toBe(description.trim())
      }),
      runs,
    )
  })
})

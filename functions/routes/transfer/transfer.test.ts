import { describe, expect, it } from 'vitest'
import { apiClient, createTestApp, expectAnswersDeclared } from '../../../tests/support/api.ts'
import { addMember, createCustomer, createOrganization } from '../../../tests/support/fixtures.ts'
import { useApiFixture } from '../../../tests/support/use-api-fixture.ts'
import { withUser } from '../../db/with-user.ts'
import { membershipRoles } from '../../domain/vocabulary.ts'
import { parseCsv, unescapeFormula } from '../../transfer/csv.ts'
import { acceptsCustomerField, importCustomers } from '../../transfer/import-customers.ts'
import { rowsFromCsv } from '../../transfer/source.ts'

/** A CSV text as objects by header, with the export's apostrophes undone. */
function records(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text)
  return rows.map((r) =>
    Object.fromEntries((header?.cells ?? []).map((h, i) => [h, unescapeFormula(r.cells[i] ?? '')])),
  )
}

const csvHeaders = { 'Content-Type': 'text/csv' }

describe('import and export', () => {
  const api = useApiFixture()

  const customersOf = (orgId: string) =>
    api.t.db.query<{ name: string; phase: string; owner_id: string | null; ext: Record<string, string> }>(
      `select c.name, c.phase::text, c.owner_id,
         coalesce((select jsonb_object_agg(e.provider, e.external_id) from public.customer_external_ids e
                   where e.customer_id = c.id), '{}'::jsonb) as ext
       from public.customers c where c.org_id = $1 order by c.name, c.id`,
      [orgId],
    )
  const contactsOf = (orgId: string) =>
    api.t.db.query(
      `select c.name as customer_name, k.name, k.email, k.phone, k.role
       from public.contacts k join public.customers c on c.id = k.customer_id
       where k.org_id = $1 order by c.name, k.name, k.email`,
      [orgId],
    )

  it('should stream the customers any member sees as a CSV download', async () => {
    const { f, tokens, request, t } = api
    const res = await request('GET', `/orgs/${f.orgA}/exports/customers.csv`, { token: tokens.viewer })
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('Content-Disposition')).toMatch(/^attachment; filename="customers-.*\.csv"$/)
    expect(res.headers.get('X-Request-Id')).toBeTruthy()
    const rows = records(res.text)
    const inDb = await t.db.query<{ id: string; name: string; hours: string }>(
      `select c.id, c.name, coalesce(sum(s.monthly_hours), 0)::text as hours
       from public.customers c left join public.services s on s.customer_id = c.id
       where c.org_id = $1 group by c.id`,
      [f.orgA],
    )
    expect(rows.map((r) => r.id).sort()).toEqual(inDb.map((c) => c.id).sort())
    const rep = rows.find((r) => r.id === f.customers.repOwned)
    expect(rep).toMatchObject({ owner_id: f.users.rep.id, owner_email: f.users.rep.email, phase: 'lead' })
    expect(Number(rep?.monthly_hours)).toBe(Number(inDb.find((c) => c.id === f.customers.repOwned)?.hours))
    expect(rep?.['external_id.hubspot']).toMatch(/^hs-a1-/)
  })

  it('should export every row across keyset pages, each once', async () => {
    const { f, t, tokens, request } = api
    const org = await createOrganization(t.db, 'Many customers')
    await addMember(t.db, org, f.users.viewer.id, 'viewer')
    await t.db.query(
      `insert into public.customers (org_id, name) select $1, 'Customer ' || n from generate_series(1, 4500) n`,
      [org],
    )
    await t.db.query(
      `insert into public.contacts (org_id, customer_id, name)
       select c.org_id, c.id, 'Contact of ' || c.name from public.customers c where c.org_id = $1 limit 2001`,
      [org],
    )
    const customers = await request('GET', `/orgs/${org}/exports/customers.csv`, { token: tokens.viewer })
    const contacts = await request('GET', `/orgs/${org}/exports/contacts.csv`, { token: tokens.viewer })
    const ids = (text: string) => records(text).map((r) => r.id)
    const inDb = async (table: string) =>
      (
        await t.db.query<{ id: string }>(`select id from public.${table} where org_id = $1 order by id`, [
          org,
        ])
      ).map((r) => r.id)
    expect(ids(customers.text).sort()).toEqual((await inDb('customers')).sort())
    expect(ids(contacts.text)).toEqual(await inDb('contacts'))
    expect(ids(contacts.text)).toHaveLength(2001)
  })

  it('should answer 404 for another organization’s export', async () => {
    const { f, tokens, request } = api
    for (const path of ['customers.csv', 'contacts.csv']) {
      const res = await request('GET', `/orgs/${f.orgB}/exports/${path}`, { token: tokens.owner })
      expect(res.status).toBe(404)
      expect(res.json.code).toBe('not_found')
    }
  })

  it('should neutralise formulas in exported cells', async () => {
    const { f, tokens, request, t } = api
    const evil = `=HYPERLINK("http://evil.example","x") ${Date.now()}`
    await createCustomer(t.db, f.orgA, f.users.rep.id, evil)
    const res = await request('GET', `/orgs/${f.orgA}/exports/customers.csv`, { token: tokens.rep })
    expect(res.text).not.toMatch(/(^|,)=HYPERLINK/m)
    expect(res.text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"") `)
  })

  it('should refuse an import from a viewer, a rep and a manager, and change nothing', async () => {
    const { f, tokens, request } = api
    const before = await customersOf(f.orgA)
    for (const role of ['viewer', 'rep', 'manager'] as const) {
      const res = await request('POST', `/orgs/${f.orgA}/imports/customers`, {
        token: tokens[role],
        headers: csvHeaders,
        rawBody: 'name\nSneaky Ltd\n',
      })
      expect(res.status).toBe(403)
    }
    const outsider = await request('POST', `/orgs/${f.orgA}/imports/customers`, {
      token: tokens.outsider,
      headers: csvHeaders,
      rawBody: 'name\nSneaky Ltd\n',
    })
    expect(outsider.status).toBe(404)
    expect(await customersOf(f.orgA)).toEqual(before)
  })

  it('should report every bad row of a chunk and import none of it', async () => {
    const { f, tokens, request } = api
    const before = await customersOf(f.orgA)
    const body = [
      'name,phase,owner_email',
      'Good One,lead,',
      ',lead,',
      'Bad Phase,maybe,',
      `Stranger Owned,lead,${f.users.outsider.email}`,
      'Good Two,won,',
    ].join('\r\n')
    const res = await request('POST', `/orgs/${f.orgA}/imports/customers`, {
      token: tokens.admin,
      headers: csvHeaders,
      rawBody: body,
    })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ rows: 5, created: 0, rejected_rows: 5 })
    expect(res.json.chunks).toHaveLength(1)
    expect(res.json.chunks[0].status).toBe('rejected')
    expect(res.json.chunks[0].errors.map((e: { line: number; field: string }) => [e.line, e.field])).toEqual([
      [3, 'name'],
      [4, 'phase'],
      [5, 'owner_email'],
    ])
    expect(await customersOf(f.orgA)).toEqual(before)
  })

  it('should import the good chunks of a file and reject only the chunk with a bad row', async () => {
    const { f, t } = api
    const org = await createOrganization(t.db, 'Chunked import')
    await addMember(t.db, org, f.users.admin.id, 'admin')
    const rows = rowsFromCsv(
      'name,phase\nC1,lead\nC2,won\nC3,nope\nC4,lead\nC5,lost\n',
      acceptsCustomerField,
      new Map(),
    )
    const claims = { sub: f.users.admin.id }
    const report = await importCustomers((fn) => withUser(t.db, claims, fn), org, rows, 2)
    expect(report.chunks.map((c) => c.status)).toEqual(['imported', 'rejected', 'imported'])
    expect(report.chunks[1]?.errors).toEqual([{ line: 4, field: 'phase', message: expect.any(String) }])
    expect((await customersOf(org)).map((c) => c.name)).toEqual(['C1', 'C2', 'C5'])
  })

  it('should map columns by name with overrides, from CSV or JSON, and upsert by external id then name', async () => {
    const { f, t, tokens, request } = api
    const org = await createOrganization(t.db, 'Mapping')
    await addMember(t.db, org, f.users.admin.id, 'admin')
    await addMember(t.db, org, f.users.rep.id, 'rep')
    const first = await request('POST', `/orgs/${org}/imports/customers?map=Company:name,Stage:phase`, {
      token: tokens.admin,
      headers: csvHeaders,
      rawBody: `COMPANY,Stage,Owner_Email,external_id.hubspot\nAcme,won,${f.users.rep.email},hs-1\nGlobex,lead,,\n`,
    })
    expect(first.json).toMatchObject({ created: 2, updated: 0, rejected_rows: 0 })
    const second = await request('POST', `/orgs/${org}/imports/customers`, {
      token: tokens.admin,
      body: [
        { name: 'Acme Corporation', external_id: 'hs-1', provider: 'hubspot' },
        { name: 'Globex', phase: 'active' },
        { name: 'Initech' },
      ],
    })
    expect(second.json).toMatchObject({ created: 1, updated: 2, rejected_rows: 0 })
    expect(await customersOf(org)).toEqual([
      { name: 'Acme Corporation', phase: 'won', owner_id: f.users.rep.id, ext: { hubspot: 'hs-1' } },
      { name: 'Globex', phase: 'active', owner_id: null, ext: {} },
      { name: 'Initech', phase: 'lead', owner_id: f.users.admin.id, ext: {} },
    ])
  })

  it('should carry the deal fields both ways: set, clear with an empty cell, leave alone without the column', async () => {
    const { f, t, tokens, request } = api
    const org = await createOrganization(t.db, 'Deals')
    await addMember(t.db, org, f.users.admin.id, 'admin')
    await addMember(t.db, org, f.users.viewer.id, 'viewer')
    const deals = () =>
      t.db.query<{ name: string; deal_value: string | null; close: string | null; next_step: string | null }>(
        `select name, deal_value::text, to_char(expected_close_date, 'YYYY-MM-DD') as close, next_step
         from public.customers where org_id = $1 order by name`,
        [org],
      )
    const importCsv = (body: string) =>
      request('POST', `/orgs/${org}/imports/customers`, {
        token: tokens.admin,
        headers: csvHeaders,
        rawBody: body,
      })
    const first = await importCsv(
      'name,phase,deal_value,expected_close_date,next_step\nAcme,proposal,12500.50,2027-03-31,Send the offer\nGlobex,lead,,,\n',
    )
    expect(first.json).toMatchObject({ created: 2, rejected_rows: 0 })
    expect(await deals()).toEqual([
      { name: 'Acme', deal_value: '12500.50', close: '2027-03-31', next_step: 'Send the offer' },
      { name: 'Globex', deal_value: null, close: null, next_step: null },
    ])
    // No deal columns: the deal fields stay; an empty cell of a column the file has clears it.
    expect((await importCsv('name,phase\nAcme,negotiation\n')).json).toMatchObject({ updated: 1 })
    expect((await importCsv('name,next_step\nAcme,\n')).json).toMatchObject({ updated: 1 })
    expect(await deals()).toEqual([
      { name: 'Acme', deal_value: '12500.50', close: '2027-03-31', next_step: null },
      { name: 'Globex', deal_value: null, close: null, next_step: null },
    ])
    const bad = await importCsv('name,deal_value,expected_close_date\nAcme,12.345,2027-02-30\n')
    expect(bad.json.chunks[0].errors.map((e: { field: string }) => e.field)).toEqual([
      'deal_value',
      'expected_close_date',
    ])
    expect((await deals())[0]?.deal_value).toBe('12500.50')

    const exported = records(
      (await request('GET', `/orgs/${org}/exports/customers.csv`, { token: tokens.viewer })).text,
    )
    expect(exported.find((r) => r.name === 'Acme')).toMatchObject({
      deal_value: '12500.50',
      expected_close_date: '2027-03-31',
      next_step: '',
      monthly_recurring_value: '0.00',
      value: '12500.50',
    })
  })

  it('should round-trip customers and contacts through export and import into a fresh organization', async () => {
    const { f, t, tokens, request } = api
    const tricky = await createCustomer(t.db, f.orgA, f.users.rep2.id, 'Müller, "Söhne" & Co\n東京', 'won')
    await t.db.query(
      `insert into public.contacts (org_id, customer_id, name, email, phone, role)
       values ($1, $2, 'Zoë, the "boss"', 'ZOE@example.com', '+44 20 7946 0958', '=role'),
              ($1, $2, 'No Mail', null, null, null)`,
      [f.orgA, tricky],
    )
    const fresh = await createOrganization(t.db, 'Fresh')
    for (const role of membershipRoles) await addMember(t.db, fresh, f.users[role].id, role)
    await addMember(t.db, fresh, f.users.rep2.id, 'rep')

    const customersCsv = await request('GET', `/orgs/${f.orgA}/exports/customers.csv`, {
      token: tokens.admin,
    })
    const contactsCsv = await request('GET', `/orgs/${f.orgA}/exports/contacts.csv`, { token: tokens.admin })
    const customers = await request('POST', `/orgs/${fresh}/imports/customers`, {
      token: tokens.owner,
      headers: csvHeaders,
      rawBody: customersCsv.text,
    })
    expect(customers.json.rejected_rows).toBe(0)
    const contacts = await request('POST', `/orgs/${fresh}/imports/contacts`, {
      token: tokens.owner,
      headers: csvHeaders,
      rawBody: contactsCsv.text,
    })
    expect(contacts.json.chunks[0].errors).toEqual([])
    expect(await customersOf(fresh)).toEqual(await customersOf(f.orgA))
    expect(await contactsOf(fresh)).toEqual(await contactsOf(f.orgA))

    // The same files again change nothing: every row finds its record.
    const again = await request('POST', `/orgs/${fresh}/imports/contacts`, {
      token: tokens.owner,
      headers: csvHeaders,
      rawBody: contactsCsv.text,
    })
    expect(again.json).toMatchObject({ created: 0, updated: 0, unchanged: contacts.json.rows })
    const fromFresh = await request('GET', `/orgs/${fresh}/exports/contacts.csv`, { token: tokens.viewer })
    const strip = (rows: Record<string, string>[]) =>
      rows
        .map(({ id, customer_id, created_at, updated_at, ...rest }) => rest)
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
    expect(strip(records(fromFresh.text))).toEqual(strip(records(contactsCsv.text)))
  })

  it('should refuse a file it cannot read with a 400 naming the problem', async () => {
    const { f, tokens, request } = api
    const res = await request('POST', `/orgs/${f.orgA}/imports/contacts`, {
      token: tokens.admin,
      headers: csvHeaders,
      rawBody: 'name,email\n"unclosed,x\n',
    })
    expect(res.status).toBe(400)
    expect(res.json.detail).toMatch(/line 2/)
    const unknownField = await request('POST', `/orgs/${f.orgA}/imports/contacts?map=Nom:surname`, {
      token: tokens.admin,
      headers: csvHeaders,
      rawBody: 'Nom\nx\n',
    })
    expect(unknownField.status).toBe(400)
  })

  describe('body limits', () => {
    const mib = 1_048_576
    /** A CSV of `rows` customers, each with a `notes` column (ignored) padding it to `rowBytes`. */
    const paddedCsv = (prefix: string, rows: number, rowBytes: number) => {
      const lines = ['name,phase,notes']
      for (let i = 1; i <= rows; i++) {
        const start = `${prefix} ${i},lead,`
        lines.push(start + 'n'.repeat(Math.max(0, rowBytes - start.length - 2)))
      }
      return `${lines.join('\r\n')}\r\n`
    }

    it('should import a 2 MiB CSV, over the app-wide 1 MiB limit, for an admin', async () => {
      const { f, t, tokens, request } = api
      const org = await createOrganization(t.db, 'Large import')
      await addMember(t.db, org, f.users.admin.id, 'admin')
      const body = paddedCsv('Large', 2000, 1100)
      expect(Buffer.byteLength(body)).toBeGreaterThan(2 * mib)
      const res = await request('POST', `/orgs/${org}/imports/customers`, {
        token: tokens.admin,
        headers: { ...csvHeaders, 'Content-Length': String(Buffer.byteLength(body)) },
        rawBody: body,
      })
      expect(res.status).toBe(200)
      expect(res.json).toMatchObject({ rows: 2000, created: 2000, rejected_rows: 0 })
      const [count] = await t.db.query<{ n: number }>(
        'select count(*)::int as n from public.customers where org_id = $1',
        [org],
      )
      expect(count?.n).toBe(2000)
    })

    it('should refuse an import over IMPORT_BODY_LIMIT_BYTES with a 413 naming it, and write nothing', async () => {
      const { f, t, tokens } = api
      const limited = createTestApp(t.db, { IMPORT_BODY_LIMIT_BYTES: '4096' })
      const request = apiClient(limited.app)
      const before = { customers: await customersOf(f.orgA), contacts: await contactsOf(f.orgA) }
      const body = paddedCsv('Too big', 40, 200)
      const withLength = await request('POST', `/orgs/${f.orgA}/imports/customers`, {
        token: tokens.admin,
        headers: { ...csvHeaders, 'Content-Length': String(Buffer.byteLength(body)) },
        rawBody: body,
      })
      expect(withLength.status).toBe(413)
      expect(withLength.headers.get('Content-Type')).toBe('application/problem+json')
      expect(withLength.json).toMatchObject({
        status: 413,
        code: 'payload_too_large',
        detail: expect.stringMatching(/^The limit for an import is 4096 bytes \(IMPORT_BODY_LIMIT_BYTES\)/),
        request_id: withLength.headers.get('X-Request-Id'),
      })

      // Streamed without Content-Length, as `Transfer-Encoding: chunked` arrives: counted as it comes.
      const streamedApp = createTestApp(t.db, { IMPORT_BODY_LIMIT_BYTES: '4096' })
      const { app } = streamedApp
      const streamed = await app.request(`/api/orgs/${f.orgA}/imports/contacts`, {
        method: 'POST',
        headers: { ...csvHeaders, Authorization: `Bearer ${tokens.admin}` },
        body: new Blob([body]).stream(),
        duplex: 'half',
      } as RequestInit)
      expect(streamed.status).toBe(413)
      expect((await streamed.json()).detail).toMatch(/import is 4096 bytes/)
      expect({ customers: await customersOf(f.orgA), contacts: await contactsOf(f.orgA) }).toEqual(before)

      // At the limit the handler reads it (and here refuses its mapping, so nothing is written).
      const atLimit = paddedCsv('Fits', 1, 4096 - 'name,phase,notes\r\n'.length)
      expect(Buffer.byteLength(atLimit)).toBe(4096)
      const fits = await request('POST', `/orgs/${f.orgA}/imports/customers?map=Nom:surname`, {
        token: tokens.admin,
        headers: csvHeaders,
        rawBody: atLimit,
      })
      expect(fits.status).toBe(400)
      expect(fits.json.detail).toMatch(/surname/)
      await expectAnswersDeclared(limited)
      await expectAnswersDeclared(streamedApp)
    })

    it('should keep the app-wide limit on every other route: 2 MiB to create a customer is a 413', async () => {
      const { f, tokens, request } = api
      const body = JSON.stringify({ name: 'Padded', padding: 'x'.repeat(2 * mib) })
      const res = await request('POST', `/orgs/${f.orgA}/customers`, {
        token: tokens.admin,
        headers: { 'Content-Length': String(Buffer.byteLength(body)) },
        rawBody: body,
      })
      expect(res.status).toBe(413)
      expect(res.json).toMatchObject({ code: 'payload_too_large', detail: `The limit is ${mib} bytes.` })
    })
  })
})

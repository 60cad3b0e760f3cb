import { describe, expect, it } from 'vitest'
import { failingFields, useApiFixture } from '../../../tests/support/use-api-fixture.ts'

/**
 * The document rows' own routes (list, read, rename, delete). Files and the
 * upload flow that creates documents are in documents-upload.test.ts.
 */
describe('documents API', () => {
  const api = useApiFixture()

  /** The fixture's document of rep's customer. */
  async function repDocument() {
    const { f, tokens, request } = api
    const list = await request('GET', `/customers/${f.customers.repOwned}/documents`, {
      token: tokens.viewer,
    })
    expect(list.status).toBe(200)
    return list.json.data[0] as { id: string; storage_path: string; version: string }
  }

  it('should create documents only by uploading their file: the metadata-only create is gone', async () => {
    const { f, tokens, request } = api
    const before = await api.t.db.query('select id from public.documents')
    const res = await request('POST', `/customers/${f.customers.repOwned}/documents`, {
      token: tokens.rep,
      body: { name: 'no-file.pdf', category: 'report' },
    })
    expect(res.status).toBe(404)
    expect(res.json.code).toBe('not_found')
    expect(await api.t.db.query('select id from public.documents')).toEqual(before)
  })

  it('should show the path the database built, under the document’s own tenant, customer and id', async () => {
    const { f } = api
    const document = await repDocument()
    // The fixture's `Document a1-<suffix>.pdf`, made safe.
    expect(document.storage_path).toMatch(
      new RegExp(
        `^org/${f.orgA}/customers/${f.customers.repOwned}/${document.id}/Document-a1-[0-9a-f]{8}\\.pdf$`,
      ),
    )
  })

  it('should refuse a storage path, an uploader or file facts the client tries to set', async () => {
    const { tokens, request } = api
    const document = await repDocument()
    const patch = await request('PATCH', `/documents/${document.id}`, {
      token: tokens.rep,
      body: {
        name: 'renamed.pdf',
        storage_path: 'x',
        size_bytes: 1,
        status: 'ready',
        content_type: 'application/pdf',
        uploaded_by: api.f.users.outsider.id,
      },
    })
    expect(patch.status).toBe(400)
    expect(failingFields(patch)).toEqual([
      'body.content_type',
      'body.size_bytes',
      'body.status',
      'body.storage_path',
      'body.uploaded_by',
    ])
  })

  it('should keep the file where it is when a document is renamed or recategorized', async () => {
    const { tokens, request } = api
    const document = await repDocument()
    const renamed = await request('PATCH', `/documents/${document.id}`, {
      token: tokens.manager,
      body: { name: '../../signed contract.docx', category: 'contract' },
    })
    expect(renamed.status).toBe(200)
    expect(renamed.json).toMatchObject({
      name: '../../signed contract.docx',
      category: 'contract',
      storage_path: document.storage_path,
      status: 'ready',
    })
    // A viewer may read it, not change it.
    const refused = await request('PATCH', `/documents/${document.id}`, {
      token: tokens.viewer,
      body: { name: 'viewer.pdf' },
    })
    expect(refused.status).toBe(403)
    expect((await request('GET', `/documents/${document.id}`, { token: tokens.outsider })).status).toBe(404)
  })

  it('should change and delete a document only at the version the client has (If-Match)', async () => {
    const { f, tokens, request } = api
    const [row] = await api.t.db.query<{ id: string }>(
      `insert into public.documents (org_id, customer_id, name) values ($1, $2, 'versioned.pdf') returning id`,
      [f.orgA, f.customers.repOwned],
    )
    const read = await request('GET', `/documents/${row?.id}`, { token: tokens.rep })
    const etag = read.headers.get('etag') as string
    const stale = await request('PATCH', `/documents/${row?.id}`, {
      token: tokens.rep,
      headers: { 'If-Match': '"1"' },
      body: { name: 'stale.pdf' },
    })
    expect(stale.status).toBe(412)
    const changed = await request('PATCH', `/documents/${row?.id}`, {
      token: tokens.rep,
      headers: { 'If-Match': etag },
      body: { name: 'current.pdf' },
    })
    expect(changed.status).toBe(200)
    expect(
      (await request('DELETE', `/documents/${row?.id}`, { token: tokens.rep, headers: { 'If-Match': etag } }))
        .status,
    ).toBe(412)
    const deleted = await request('DELETE', `/documents/${row?.id}`, {
      token: tokens.rep,
      headers: { 'If-Match': changed.headers.get('etag') as string },
    })
    expect(deleted.status).toBe(204)
  })

  it('should list documents newest first by default', async () => {
    const { f, tokens, request, t } = api
    // A second document, as a seed writes one (with its file facts).
    await t.db.query(
      `insert into public.documents (org_id, customer_id, name, size_bytes, content_type)
       values ($1, $2, 'Offer.pdf', 10, 'application/pdf')`,
      [f.orgA, f.customers.repOwned],
    )
    const res = await request('GET', `/customers/${f.customers.repOwned}/documents`, { token: tokens.viewer })
    const times = res.json.data.map((d: { created_at: string }) => d.created_at)
    expect(res.json.data).toHaveLength(2)
    expect(times).toEqual([...times].sort().reverse())
    expect(res.json.data[0].name).toBe('Offer.pdf')
  })
})

import { describe, expect, it } from 'vitest'
import { failingFields, useApiFixture } from '../../../tests/support/use-api-fixture.ts'
import { storageFileName } from './storage-path.ts'

describe('documents API', () => {
  const api = useApiFixture()

  it('should derive the storage path from the tenant, the customer and the document', async () => {
    const { f, tokens, request } = api
    const res = await request('POST', `/customers/${f.customers.repOwned}/documents`, {
      token: tokens.rep,
      body: {
        name: 'Q3 report (final).pdf',
        category: 'report',
        size_bytes: 1234,
        content_type: 'application/pdf',
      },
    })
    expect(res.status).toBe(201)
    expect(res.json).toMatchObject({
      name: 'Q3 report (final).pdf',
      storage_path: `org/${f.orgA}/customers/${f.customers.repOwned}/${res.json.id}/Q3-report-final.pdf`,
      size_bytes: 1234,
      uploaded_by: f.users.rep.id,
    })
  })

  it('should refuse a storage path, uploader or file facts the client tries to set', async () => {
    const { f, tokens, request } = api
    const create = await request('POST', `/customers/${f.customers.repOwned}/documents`, {
      token: tokens.rep,
      body: { name: 'x.pdf', storage_path: `${f.orgB}/steal.pdf`, uploaded_by: f.users.outsider.id },
    })
    expect(create.status).toBe(400)
    expect(failingFields(create)).toEqual(['body.storage_path', 'body.uploaded_by'])
    const [doc] = await api.t.db.query<{ id: string }>(
      'select id from public.documents where customer_id = $1 limit 1',
      [f.customers.repOwned],
    )
    const patch = await request('PATCH', `/documents/${doc?.id}`, {
      token: tokens.rep,
      body: { name: 'renamed.pdf', storage_path: 'x', size_bytes: 1 },
    })
    expect(patch.status).toBe(400)
    expect(failingFields(patch)).toEqual(['body.size_bytes', 'body.storage_path'])
  })

  it('should keep the file where it is when a document is renamed', async () => {
    const { f, tokens, request } = api
    const created = await request('POST', `/customers/${f.customers.repOwned}/documents`, {
      token: tokens.rep,
      body: { name: 'draft.docx' },
    })
    expect(created.json).toMatchObject({
      category: 'other',
      size_bytes: 0,
      content_type: 'application/octet-stream',
    })
    const renamed = await request('PATCH', `/documents/${created.json.id}`, {
      token: tokens.manager,
      body: { name: 'signed.docx', category: 'contract' },
    })
    expect(renamed.json).toMatchObject({
      name: 'signed.docx',
      category: 'contract',
      storage_path: created.json.storage_path,
      uploaded_by: f.users.rep.id,
    })
  })

  it('should record a new document on the customer’s timeline', async () => {
    const { f, tokens, request } = api
    const created = await request('POST', `/customers/${f.customers.repOwned}/documents`, {
      token: tokens.rep,
      body: { name: 'Offer.pdf', category: 'proposal' },
    })
    const timeline = await request('GET', `/customers/${f.customers.repOwned}/timeline?limit=1`, {
      token: tokens.viewer,
    })
    expect(timeline.json.data[0]).toMatchObject({
      type: 'document_added',
      actor_id: f.users.rep.id,
      payload: { document_id: created.json.id, name: 'Offer.pdf', category: 'proposal' },
    })
  })

  it('should list documents newest first by default', async () => {
    const { f, tokens, request } = api
    const res = await request('GET', `/customers/${f.customers.repOwned}/documents`, { token: tokens.viewer })
    const times = res.json.data.map((d: { created_at: string }) => d.created_at)
    expect(times).toEqual([...times].sort().reverse())
    expect(res.json.data[0].name).toBe('Offer.pdf')
  })
})

describe('storageFileName', () => {
  it('should keep letters, digits, dots, dashes and underscores, and the extension', () => {
    expect(storageFileName('Q3 report (final).pdf')).toBe('Q3-report-final.pdf')
    expect(storageFileName('Crème brûlée_v2.tar.gz')).toBe('Creme-brulee_v2.tar.gz')
    expect(storageFileName('../../etc/passwd')).toBe('etc-passwd')
    expect(storageFileName('报告.pdf')).toBe('file.pdf')
    expect(storageFileName('   ')).toBe('file')
  })

  it('should cut a long name to 100 characters without losing the extension', () => {
    const name = storageFileName(`${'a'.repeat(300)}.xlsx`)
    expect(name).toHaveLength(100)
    expect(name.endsWith('a.xlsx')).toBe(true)
  })
})

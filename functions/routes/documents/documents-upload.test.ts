import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ServerType, serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveApiKey } from '../../../scripts/local/keys.ts'
import { createLocalStorage } from '../../../scripts/local/storage/index.ts'
import { createTestApp, expectAnswersDeclared, testJwtSecret, tokenFor } from '../../../tests/support/api.ts'
import { createFixture, type Fixture } from '../../../tests/support/fixtures.ts'
import { localSupabaseClient } from '../../../tests/support/supabase-client.ts'
import { createTestDatabase, type TestDatabase } from '../../../tests/support/test-database.ts'
import { withUser } from '../../db/with-user.ts'
import { cleanUpAbandonedUploadsAsServiceRole } from '../../storage/abandoned-uploads.ts'
import { documentStorageFor } from '../../storage/document-storage.ts'

const maxBytes = 1_000_000

/**
 * The upload flow over HTTP, as a browser runs it: the API and the local
 * Storage stand-in on one origin, the real storage-js for the file transfers.
 */
describe('document uploads, end to end with @supabase/storage-js', () => {
  let t: TestDatabase
  let f: Fixture
  let server: ServerType
  let url: string
  let anonKey: string
  let dataDir: string
  let config: ReturnType<typeof createTestApp>['config']
  let built: ReturnType<typeof createTestApp> | undefined
  const tokens = {} as Record<keyof Fixture['users'], string>
  /** Milliseconds Storage's clock runs ahead of the real one. */
  let storageAhead = 0

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    dataDir = await mkdtemp(join(tmpdir(), 'document-uploads-'))
    const root = new Hono()
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: root.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
    })
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    root.route(
      '/storage/v1',
      createLocalStorage({
        db: t.db,
        jwtSecret: testJwtSecret,
        dataDir,
        clock: () => new Date(Date.now() + storageAhead),
      }),
    )
    built = createTestApp(t.db, {
      SUPABASE_URL: url,
      DOCUMENT_MAX_BYTES: String(maxBytes),
      LOG_LEVEL: 'silent',
    })
    config = built.config
    root.route('/', built.app)
    anonKey = await deriveApiKey(testJwtSecret, 'anon')
    for (const [name, user] of Object.entries(f.users))
      tokens[name as keyof Fixture['users']] = await tokenFor(user.id)
  })

  afterAll(async () => {
    await new Promise<void>((done) => {
      server?.close(() => done())
      if (server && 'closeAllConnections' in server) server.closeAllConnections()
    })
    await t?.close()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
    if (built) await expectAnswersDeclared(built)
  })

  async function api(method: string, path: string, token: string, body?: unknown) {
    const res = await fetch(`${url}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    const text = await res.text()
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the API answered
    return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : undefined) as any }
  }

  const bucketFor = (token: string) => localSupabaseClient(url, anonKey, token).storage.from('documents')

  /** Every file in the bucket folder, relative. */
  async function storedFiles(): Promise<string[]> {
    // Only a folder not made yet reads as empty: any other failure must not pass as "no files".
    const files = await readdir(join(dataDir, 'documents'), { recursive: true, withFileTypes: true }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return []
        throw error
      },
    )
    return files.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
  }

  async function startUpload(bytes: Uint8Array, name = 'contract.pdf', token = tokens.rep) {
    return api('POST', `/customers/${f.customers.repOwned}/documents/uploads`, token, {
      name,
      category: 'contract',
      content_type: 'application/pdf',
      size_bytes: bytes.byteLength,
    })
  }

  async function uploadedDocument(bytes: Uint8Array, name = 'contract.pdf') {
    const started = await startUpload(bytes, name)
    expect(started.status).toBe(201)
    const { path, token } = started.json.upload
    const sent = await bucketFor(tokens.rep).uploadToSignedUrl(path, token, bytes, {
      contentType: 'application/pdf',
    })
    expect(sent.error).toBeNull()
    const completed = await api('POST', `/documents/${started.json.document.id}/complete`, tokens.rep)
    expect(completed.status).toBe(200)
    return completed.json
  }

  it('should round-trip a file byte for byte: upload URL, upload, complete, download URL', async () => {
    const bytes = new Uint8Array(randomBytes(300 * 1024))
    const started = await startUpload(bytes, 'Signed contract (v2).pdf')
    expect(started.status).toBe(201)
    expect(started.json.document).toMatchObject({
      status: 'pending',
      uploaded_at: null,
      name: 'Signed contract (v2).pdf',
      storage_path: `org/${f.orgA}/customers/${f.customers.repOwned}/${started.json.document.id}/Signed-contract-v2.pdf`,
    })
    expect(started.json.upload.path).toBe(started.json.document.storage_path)
    expect(started.json.upload.signed_url).toMatch(
      new RegExp(`^${url}/storage/v1/object/upload/sign/documents/org/`),
    )

    const early = await api('POST', `/documents/${started.json.document.id}/complete`, tokens.rep)
    expect(early.status).toBe(409)
    const pendingDownload = await api('GET', `/documents/${started.json.document.id}/download`, tokens.viewer)
    expect(pendingDownload.status).toBe(409)

    const { path, token } = started.json.upload
    const sent = await bucketFor(tokens.rep).uploadToSignedUrl(path, token, bytes, {
      contentType: 'application/pdf',
    })
    expect(sent.error).toBeNull()
    const completed = await api('POST', `/documents/${started.json.document.id}/complete`, tokens.rep)
    expect(completed.status).toBe(200)
    expect(completed.json).toMatchObject({ status: 'ready', size_bytes: bytes.byteLength })
    expect(completed.json.uploaded_at).toEqual(expect.any(String))
    const again = await api('POST', `/documents/${started.json.document.id}/complete`, tokens.rep)
    expect(again.json).toEqual(completed.json)
    // Like every record, its version is the ETag: a client can rename it with If-Match straight away.
    const read = await api('GET', `/documents/${started.json.document.id}`, tokens.rep)
    expect(`"${completed.json.version}"`).toBe(read.headers.get('etag'))
    expect(started.json.document.version).toMatch(/^\d+$/)

    // Any member may download, a viewer included.
    const link = await api('GET', `/documents/${started.json.document.id}/download`, tokens.viewer)
    expect(link.status).toBe(200)
    expect(link.json.expires_in).toBe(60)
    const file = await fetch(link.json.signed_url)
    expect(file.status).toBe(200)
    expect(file.headers.get('content-disposition')).toContain('Signed%20contract%20(v2).pdf')
    expect(Buffer.from(await file.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true)
  })

  it('should record document_added when the upload completes, not when it starts', async () => {
    const bytes = new Uint8Array(randomBytes(1000))
    const started = await startUpload(bytes, 'timeline.pdf')
    const events = async () =>
      (
        await t.db.query<{ type: string }>(
          `select type from public.timeline_events where payload ->> 'document_id' = $1 order by occurred_at`,
          [started.json.document.id],
        )
      ).map((e) => e.type)
    expect(await events()).toEqual([])
    const { path, token } = started.json.upload
    await bucketFor(tokens.rep).uploadToSignedUrl(path, token, bytes, { contentType: 'application/pdf' })
    await api('POST', `/documents/${started.json.document.id}/complete`, tokens.rep)
    expect(await events()).toEqual(['document_added'])
    const timeline = await api('GET', `/customers/${f.customers.repOwned}/timeline?limit=1`, tokens.viewer)
    expect(timeline.json.data[0]).toMatchObject({
      type: 'document_added',
      actor_id: f.users.rep.id,
      payload: { document_id: started.json.document.id, name: 'timeline.pdf', category: 'contract' },
    })
  })

  it('should answer 404 to another organization’s member asking for a download URL', async () => {
    const document = await uploadedDocument(new Uint8Array(randomBytes(2048)))
    const res = await api('GET', `/documents/${document.id}/download`, tokens.outsider)
    expect(res.status).toBe(404)
    expect(res.json.code).toBe('not_found')
    expect((await api('POST', `/documents/${document.id}/complete`, tokens.outsider)).status).toBe(404)
    // Nor may they ask Storage directly, with their own token.
    const direct = await bucketFor(tokens.outsider).createSignedUrl(document.storage_path, 60)
    expect(direct.error).not.toBeNull()
  })

  it('should never hand out another tenant’s file, whatever path a member writes into a document', async () => {
    // Org B's file, uploaded the ordinary way by its owner.
    const secret = new Uint8Array(randomBytes(3000))
    const started = await api('POST', `/customers/${f.customers.orgB}/documents/uploads`, tokens.outsider, {
      name: 'secret.pdf',
      content_type: 'application/pdf',
      size_bytes: secret.byteLength,
    })
    expect(started.status).toBe(201)
    const { path: victimPath, token } = started.json.upload
    await bucketFor(tokens.outsider).uploadToSignedUrl(victimPath, token, secret, {
      contentType: 'application/pdf',
    })
    expect(
      (await api('POST', `/documents/${started.json.document.id}/complete`, tokens.outsider)).status,
    ).toBe(200)
    // Rep's own document, whose path rep then tries to point through its own folder at B's file.
    const mine = new Uint8Array(randomBytes(1000))
    const own = await uploadedDocument(mine, 'mine.pdf')
    const tail = victimPath.split('/').slice(1).join('/')
    for (const dots of ['..', '%2e%2e', '%2E.', '.%2e']) {
      const forged = `org/${f.orgA}/customers/${f.customers.repOwned}/x/${dots}/${dots}/${dots}/${dots}/${tail}`
      const written = await withUser(t.db, { sub: f.users.rep.id }, (tx) =>
        tx.query('update public.documents set storage_path = $2 where id = $1 returning id', [
          own.id,
          forged,
        ]),
      ).catch((error: { code?: string }) => error)
      const link = await api('GET', `/documents/${own.id}/download`, tokens.rep)
      if (link.status === 200) {
        const served = Buffer.from(await (await fetch(link.json.signed_url)).arrayBuffer())
        expect(served.equals(Buffer.from(secret)), `${dots}: org B's file served to rep`).toBe(false)
        expect(served.equals(Buffer.from(mine))).toBe(true)
      }
      expect(written, dots).toMatchObject({ code: '42501' })
    }
  })

  it('should refuse an upload to a path the signed URL was not made for', async () => {
    const bytes = new Uint8Array(randomBytes(1000))
    const started = await startUpload(bytes, 'forged.pdf')
    const forged = `org/${f.orgB}/customers/${f.customers.orgB}/${started.json.document.id}/forged.pdf`
    const sent = await bucketFor(tokens.rep).uploadToSignedUrl(forged, started.json.upload.token, bytes, {
      contentType: 'application/pdf',
    })
    expect(sent.error).not.toBeNull()
    expect((sent.error as { status?: number }).status).toBe(400)
    expect((await storedFiles()).some((file) => file.endsWith(forged))).toBe(false)
  })

  it('should refuse an expired signed download URL', async () => {
    const document = await uploadedDocument(new Uint8Array(randomBytes(1000)))
    const link = await api('GET', `/documents/${document.id}/download`, tokens.rep)
    storageAhead = 61_000
    try {
      const res = await fetch(link.json.signed_url)
      expect(res.status).toBe(400)
      // jose's expiry message, as storage passes it on: `"exp" claim timestamp check failed`.
      expect(await res.json()).toMatchObject({ statusCode: '400', message: expect.stringContaining('exp') })
    } finally {
      storageAhead = 0
    }
  })

  it('should refuse an oversized or disallowed file before a row, a URL or a byte exists', async () => {
    const before = await t.db.query('select id from public.documents')
    const files = await storedFiles()
    const path = `/customers/${f.customers.repOwned}/documents/uploads`
    const big = await api('POST', path, tokens.rep, {
      name: 'huge.pdf',
      content_type: 'application/pdf',
      size_bytes: maxBytes + 1,
    })
    expect(big.status).toBe(413)
    expect(big.headers.get('content-type')).toContain('application/problem+json')
    expect(big.json.code).toBe('document_too_large')
    const exe = await api('POST', path, tokens.rep, {
      name: 'tool.exe',
      content_type: 'application/x-msdownload',
      size_bytes: 10,
    })
    expect(exe.status).toBe(415)
    expect(exe.json.code).toBe('document_type_not_allowed')
    const bad = await api('POST', path, tokens.rep, { name: 'x.pdf', content_type: 'pdf', size_bytes: -1 })
    expect(bad.status).toBe(400)
    expect(await t.db.query('select id from public.documents')).toHaveLength(before.length)
    expect(await storedFiles()).toEqual(files)
  })

  it('should refuse a viewer and another rep’s customer an upload URL', async () => {
    const body = { name: 'x.pdf', content_type: 'application/pdf', size_bytes: 10 }
    expect(
      (await api('POST', `/customers/${f.customers.repOwned}/documents/uploads`, tokens.viewer, body)).status,
    ).toBe(403)
    expect(
      (await api('POST', `/customers/${f.customers.rep2Owned}/documents/uploads`, tokens.rep, body)).status,
    ).toBe(403)
    expect(
      (await api('POST', `/customers/${f.customers.repOwned}/documents/uploads`, tokens.outsider, body))
        .status,
    ).toBe(404)
  })

  it('should refuse to complete a file that is not the one declared, and remove it', async () => {
    const started = await startUpload(new Uint8Array(500), 'liar.pdf')
    const { path, token } = started.json.upload
    await bucketFor(tokens.rep).uploadToSignedUrl(path, token, new Uint8Array(400), {
      contentType: 'application/pdf',
    })
    const res = await api('POST', `/documents/${started.json.document.id}/complete`, tokens.rep)
    expect(res.status).toBe(422)
    expect(res.json.code).toBe('upload_mismatch')
    expect((await storedFiles()).some((file) => file.includes(started.json.document.id))).toBe(false)
  })

  it('should delete the file with the document, and record document_deleted', async () => {
    const document = await uploadedDocument(new Uint8Array(randomBytes(4096)), 'gone.pdf')
    expect((await storedFiles()).some((file) => file.includes(document.id))).toBe(true)
    expect((await api('DELETE', `/documents/${document.id}`, tokens.viewer)).status).toBe(403)
    expect((await storedFiles()).some((file) => file.includes(document.id))).toBe(true)
    expect((await api('DELETE', `/documents/${document.id}`, tokens.rep)).status).toBe(204)
    expect((await storedFiles()).some((file) => file.includes(document.id))).toBe(false)
    const [event] = await t.db.query<{ type: string; actor_id: string }>(
      `select type, actor_id from public.timeline_events
       where payload ->> 'document_id' = $1 order by occurred_at desc limit 1`,
      [document.id],
    )
    expect(event).toEqual({ type: 'document_deleted', actor_id: f.users.rep.id })
  })

  it('should clean up uploads still pending after a day, file and row', async () => {
    const bytes = new Uint8Array(randomBytes(1000))
    const abandoned = await startUpload(bytes, 'abandoned.pdf')
    // Uploaded but never completed: the file is there, the row pending.
    const { path, token } = abandoned.json.upload
    await bucketFor(tokens.rep).uploadToSignedUrl(path, token, bytes, { contentType: 'application/pdf' })
    const recent = await startUpload(bytes, 'recent.pdf')
    // A day ago (created_at is server-stamped: triggers off to backdate it).
    await t.db.transaction(async (tx) => {
      await tx.execScript('set local session_replication_role = replica')
      await tx.query(`update public.documents set created_at = now() - interval '25 hours' where id = $1`, [
        abandoned.json.document.id,
      ])
    })
    const storage = documentStorageFor(config)
    if (!storage) throw new Error('storage is configured in this suite')
    const run = await cleanUpAbandonedUploadsAsServiceRole(t.db, storage, new Date())
    expect(run).toMatchObject({ status: 'succeeded', rows: 1 })
    const left = await t.db.query<{ id: string }>(
      'select id from public.documents where id = any ($1::uuid[])',
      [`{${abandoned.json.document.id},${recent.json.document.id}}`],
    )
    expect(left.map((d) => d.id)).toEqual([recent.json.document.id])
    expect((await storedFiles()).some((file) => file.includes(abandoned.json.document.id))).toBe(false)
  })

  // Last: it deletes the fixture's customer the other tests upload to.
  it('should delete a customer’s document files with the customer', async () => {
    const document = await uploadedDocument(new Uint8Array(randomBytes(2048)), 'with-customer.pdf')
    expect((await storedFiles()).some((file) => file.includes(document.id))).toBe(true)
    expect((await api('DELETE', `/customers/${f.customers.repOwned}`, tokens.rep)).status).toBe(204)
    expect((await storedFiles()).some((file) => file.includes(document.id))).toBe(false)
  })
})

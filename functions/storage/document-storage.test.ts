import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ServerType, serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveApiKey } from '../../scripts/local/keys.ts'
import { createLocalStorage } from '../../scripts/local/storage/index.ts'
import { testJwtSecret } from '../../tests/support/api.ts'
import { createFixture, type Fixture } from '../../tests/support/fixtures.ts'
import { localSupabaseClient } from '../../tests/support/supabase-client.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import {
  createRestDocumentStorage,
  type DocumentStorage,
  isDocumentObjectName,
  storageUrl,
  UnsafeStorageRequestError,
} from './document-storage.ts'

/**
 * The service-role Storage client, against the local Storage stand-in. Every
 * request it sends passes every Storage policy, so what matters most here is
 * what it refuses to send.
 */
describe('document storage client', () => {
  let t: TestDatabase
  let f: Fixture
  let server: ServerType
  let url: string
  let storage: DocumentStorage
  /** Every URL the client handed to fetch, and how often it asked for the service key. */
  const sent: string[] = []
  let keyRequests = 0

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    const dataDir = await mkdtemp(join(tmpdir(), 'document-storage-'))
    const root = new Hono()
    root.route('/storage/v1', createLocalStorage({ db: t.db, jwtSecret: testJwtSecret, dataDir }))
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: root.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
    })
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const key = await deriveApiKey(testJwtSecret, 'service_role')
    storage = createRestDocumentStorage({
      url,
      serviceKey: async () => {
        keyRequests++
        return key
      },
      // The real fetch, watched: a request refused by the client must never get here.
      fetch: (input, init) => {
        sent.push(String(input instanceof Request ? input.url : input))
        return fetch(input, init)
      },
    })
    return async () => {
      await rm(dataDir, { recursive: true, force: true })
    }
  })

  afterAll(async () => {
    await new Promise<void>((done) => {
      server?.close(() => done())
      if (server && 'closeAllConnections' in server) server.closeAllConnections()
    })
    await t?.close()
  })

  /** A pending document's path, built by the database. */
  async function pendingPath(name = 'contract.pdf'): Promise<string> {
    const [row] = await t.db.query<{ storage_path: string }>(
      `insert into public.documents (org_id, customer_id, name, status) values ($1, $2, $3, 'pending')
       returning storage_path`,
      [f.orgA, f.customers.repOwned, name],
    )
    if (!row) throw new Error('no document inserted')
    return row.storage_path
  }

  it('should upload, describe, sign, list and remove a document’s file', async () => {
    const path = await pendingPath('Q3 report.pdf')
    const bytes = randomBytes(500)
    const upload = await storage.createUploadUrl(path)
    expect(upload.signed_url).toBe(
      `${url}/storage/v1/object/upload/sign/documents/${path}?token=${upload.token}`,
    )
    const uploaded = await localSupabaseClient(url, await deriveApiKey(testJwtSecret, 'anon'))
      .storage.from('documents')
      .uploadToSignedUrl(path, upload.token, bytes, { contentType: 'application/pdf' })
    expect(uploaded.error).toBeNull()
    expect(await storage.info(path)).toEqual({ size: 500, content_type: 'application/pdf' })
    // The download name is the document's, whatever it holds: it travels in the query, encoded.
    const link = await storage.createDownloadUrl(path, 60, 'Q3 report & notes?#/../x.pdf')
    const file = await fetch(link as string)
    expect(file.status).toBe(200)
    expect(file.headers.get('content-disposition')).toBe(
      `attachment; filename=${encodeURIComponent('Q3 report & notes?#/../x.pdf')};`,
    )
    expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true)
    const folder = path.slice(0, path.lastIndexOf('/') + 1)
    expect(await storage.list(folder, { limit: 10, offset: 0 })).toEqual([
      {
        name: path.slice(folder.length),
        id: expect.any(String),
        created_at: expect.any(String),
        updated_at: expect.any(String),
      },
    ])
    await storage.remove([path])
    expect(await storage.info(path)).toBeNull()
    expect(await storage.createDownloadUrl(path, 60)).toBeNull()
  })

  it('should refuse every name but a document’s, before fetching the key or sending anything', async () => {
    const ok = await pendingPath()
    const [org, orgId, customers, customerId, documentId, file] = ok.split('/')
    const folder = `${org}/${orgId}/${customers}/${customerId}`
    const other = `org/${f.orgB}/customers/${f.customers.orgB}/${randomUUID()}/secret.pdf`
    const names = [
      '',
      ok.toUpperCase(),
      `/${ok}`,
      `${ok}/`,
      `${folder}//${documentId}/${file}`,
      `${folder}/${documentId}/../../../../${other}`,
      `${folder}/${documentId}/%2e%2e/${file}`,
      `${folder}/${documentId}/%2E./${file}`,
      `${folder}/${documentId}/.%2e/${file}`,
      `${folder}/${documentId}/%252e%252e/${file}`,
      `${folder}/${documentId}/..`,
      `${folder}/${documentId}/.`,
      `${folder}/${documentId}/.hidden`,
      `${folder}/${documentId}/a\\..\\..\\b.pdf`,
      `${folder}/${documentId}/a%5c..%5cb.pdf`,
      `${folder}/${documentId}/a%2fb.pdf`,
      `${folder}/${documentId}/a?x=1.pdf`,
      `${folder}/${documentId}/a#b.pdf`,
      `${folder}/${documentId}/a\u0000.pdf`,
      `${folder}/${documentId}/naïve.pdf`,
      `${folder}/not-a-uuid/${file}`,
      `${folder}/${documentId}/x/${file}`,
      `org/${orgId}/customers/${customerId}`,
      `//evil.example/${ok}`,
    ]
    const before = { sent: sent.length, keys: keyRequests }
    for (const name of names) {
      expect(isDocumentObjectName(name), name).toBe(false)
      for (const attempt of [
        () => storage.createUploadUrl(name),
        () => storage.info(name),
        () => storage.createDownloadUrl(name, 60, 'x.pdf'),
        () => storage.remove([ok, name]),
      ]) {
        await expect(attempt(), name).rejects.toBeInstanceOf(UnsafeStorageRequestError)
      }
    }
    expect({ sent: sent.length, keys: keyRequests }).toEqual(before)
    expect(isDocumentObjectName(ok)).toBe(true)
  })

  it('should send a URL only if parsing leaves it exactly as intended', () => {
    const origin = 'https://project.supabase.co'
    expect(storageUrl(origin, '/storage/v1/object/info/documents/org/a/b.pdf').href).toBe(
      `${origin}/storage/v1/object/info/documents/org/a/b.pdf`,
    )
    for (const intended of [
      '/storage/v1/object/info/documents/org/a/../../../bucket/list',
      '/storage/v1/object/info/documents/org/%2e%2e/%2E%2E/x',
      '/storage/v1/object/info/documents/org/.%2e/x',
      '/storage/v1/object/info/documents/org\\..\\x',
      '//evil.example/storage/v1/object/info/documents/x',
      '/storage/v1/object/info/documents/x?download=1',
      '/storage/v1/object/info/documents/x#y',
      '/storage/v1/object/info/documents/./x',
    ]) {
      expect(() => storageUrl(origin, intended), intended).toThrow(UnsafeStorageRequestError)
    }
  })

  it('should not start on a project URL that is not a plain http(s) origin and path', () => {
    for (const project of ['ftp://x.example', 'https://user:pw@x.example', 'https://x.example/?q=1']) {
      expect(() => createRestDocumentStorage({ url: project, serviceKey: async () => 'k' }), project).toThrow(
        /SUPABASE_URL/,
      )
    }
  })
})

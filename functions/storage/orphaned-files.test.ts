import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ServerType, serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveApiKey } from '../../scripts/local/keys.ts'
import { createLocalStorage } from '../../scripts/local/storage/index.ts'
import { createTestApp, testJwtSecret, tokenFor } from '../../tests/support/api.ts'
import { createFixture, type Fixture } from '../../tests/support/fixtures.ts'
import { localSupabaseClient } from '../../tests/support/supabase-client.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import { withUser } from '../db/with-user.ts'
import { abandonedAfterHours } from './abandoned-uploads.ts'
import { documentStorageFor, signedUploadUrlSeconds } from './document-storage.ts'
import { orphanedFilesJob, orphanGraceHours, removeOrphanedFilesAsServiceRole } from './orphaned-files.ts'

const hour = 3_600_000

/**
 * The nightly sweep of files no document names, against the local Storage
 * stand-in with real objects on disk, uploaded through the API's flow and
 * storage-js as a browser uploads them.
 */
describe('orphaned document files', () => {
  let t: TestDatabase
  let f: Fixture
  let server: ServerType
  let url: string
  let anonKey: string
  let dataDir: string
  let config: ReturnType<typeof createTestApp>['config']
  let repToken: string
  /** Milliseconds Storage's clock runs ahead of the real one. */
  let storageAhead = 0

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    dataDir = await mkdtemp(join(tmpdir(), 'orphaned-files-'))
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
    const built = createTestApp(t.db, { SUPABASE_URL: url, LOG_LEVEL: 'silent' })
    config = built.config
    root.route('/', built.app)
    anonKey = await deriveApiKey(testJwtSecret, 'anon')
    repToken = await tokenFor(f.users.rep.id)
  })

  afterAll(async () => {
    await new Promise<void>((done) => {
      server?.close(() => done())
      if (server && 'closeAllConnections' in server) server.closeAllConnections()
    })
    await t?.close()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  })

  async function api(method: string, path: string, body?: unknown) {
    const res = await fetch(`${url}/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${repToken}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    const text = await res.text()
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the API answered
    return { status: res.status, json: (text ? JSON.parse(text) : undefined) as any }
  }

  /** A started upload: the pending document and its signed URL (nothing uploaded yet). */
  async function startUpload(name: string, bytes: Uint8Array) {
    const started = await api('POST', `/customers/${f.customers.repOwned}/documents/uploads`, {
      name,
      content_type: 'application/pdf',
      size_bytes: bytes.byteLength,
    })
    expect(started.status).toBe(201)
    return started.json as {
      document: { id: string; storage_path: string }
      upload: { path: string; token: string }
    }
  }

  async function upload(started: Awaited<ReturnType<typeof startUpload>>, bytes: Uint8Array) {
    const sent = await localSupabaseClient(url, anonKey, repToken)
      .storage.from('documents')
      .uploadToSignedUrl(started.upload.path, started.upload.token, bytes, { contentType: 'application/pdf' })
    expect(sent.error).toBeNull()
  }

  /** Runs `fn` with Storage's clock moved by `offset` milliseconds. */
  async function byStorageClock<T>(offset: number, fn: () => Promise<T>): Promise<T> {
    storageAhead = offset
    try {
      return await fn()
    } finally {
      storageAhead = 0
    }
  }

  /** Every object name in the bucket, from the disk itself (not from the API under test). */
  async function objectsOnDisk(): Promise<string[]> {
    const root = join(dataDir, 'documents')
    const files = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => [])
    return files
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
      .sort()
  }

  it('should remove files no row names once past the grace period, and keep every other', async () => {
    const bytes = () => new Uint8Array(randomBytes(1200))
    // Everything but `fresh` happens a day and an hour ago, by Storage's clock (it stamps the objects).
    const { live, liveBytes, pending, rowDeleted, late } = await byStorageClock(
      -(orphanGraceHours + 1) * hour,
      async () => {
        // A live document, uploaded and completed: kept.
        const live = await startUpload('live.pdf', bytes())
        const liveBytes = bytes()
        await upload(live, liveBytes)
        expect((await api('POST', `/documents/${live.document.id}/complete`)).status).toBe(200)

        // Uploaded, not completed: its pending row names it, so it is kept (abandoned uploads are another job's).
        const pending = await startUpload('pending.pdf', bytes())
        await upload(pending, bytes())

        // A document deleted straight through the table (as PostgREST would): its file stays behind.
        const rowDeleted = await startUpload('row-deleted.pdf', bytes())
        await upload(rowDeleted, bytes())
        await withUser(t.db, { sub: f.users.rep.id }, (tx) =>
          tx.query('delete from public.documents where id = $1', [rowDeleted.document.id]),
        )

        // The signed URL still works after its document was deleted through the API: the file lands anyway.
        const late = await startUpload('late.pdf', bytes())
        expect((await api('DELETE', `/documents/${late.document.id}`)).status).toBe(204)
        await upload(late, bytes())
        return { live, liveBytes, pending, rowDeleted, late }
      },
    )

    // The same, just now: within the grace period, kept.
    const fresh = await startUpload('fresh.pdf', bytes())
    expect((await api('DELETE', `/documents/${fresh.document.id}`)).status).toBe(204)
    await upload(fresh, bytes())

    const paths = [live, pending, rowDeleted, late, fresh].map((s) => s.document.storage_path)
    expect(await objectsOnDisk()).toEqual([...paths].sort())

    const storage = documentStorageFor(config)
    if (!storage) throw new Error('storage is configured in this suite')
    const run = await removeOrphanedFilesAsServiceRole(t.db, storage, new Date())
    expect(run).toMatchObject({ job: orphanedFilesJob, status: 'succeeded', rows: 2, error: null })
    expect(await objectsOnDisk()).toEqual(
      [live.document.storage_path, pending.document.storage_path, fresh.document.storage_path].sort(),
    )
    // The live document still downloads, byte for byte.
    const link = await api('GET', `/documents/${live.document.id}/download`)
    const served = Buffer.from(await (await fetch(link.json.signed_url)).arrayBuffer())
    expect(served.equals(Buffer.from(liveBytes))).toBe(true)

    // A second run finds nothing more until the fresh one ages.
    const again = await removeOrphanedFilesAsServiceRole(t.db, storage, new Date())
    expect(again).toMatchObject({ status: 'succeeded', rows: 0 })
    const later = await removeOrphanedFilesAsServiceRole(
      t.db,
      storage,
      new Date(Date.now() + (orphanGraceHours + 1) * hour),
    )
    expect(later).toMatchObject({ status: 'succeeded', rows: 1 })
    expect(await objectsOnDisk()).toEqual([live.document.storage_path, pending.document.storage_path].sort())
  })

  it('should wait longer than any upload URL lives, as abandoned uploads do', () => {
    expect(orphanGraceHours * 3600).toBeGreaterThan(signedUploadUrlSeconds)
    expect(abandonedAfterHours * 3600).toBeGreaterThan(signedUploadUrlSeconds)
  })

  it('should walk folders larger than one page of the listing', async () => {
    // 41 objects in one folder, put there as the service role, listed 20 at a time: three pages,
    // the last one short (the real page size, 1,000, is only a default of the same walk).
    const storage = documentStorageFor(config)
    if (!storage) throw new Error('storage is configured in this suite')
    const service = localSupabaseClient(url, await deriveApiKey(testJwtSecret, 'service_role'))
    const folder = `org/${f.orgA}/customers/${f.customers.rep2Owned}`
    const documentFolder = `${folder}/${crypto.randomUUID()}`
    const names = Array.from({ length: 41 }, (_, i) => `${documentFolder}/f${i}.pdf`)
    for (const name of names) {
      const signed = await service.storage.from('documents').createSignedUploadUrl(name)
      if (signed.error) throw signed.error
      const sent = await service.storage
        .from('documents')
        .uploadToSignedUrl(name, signed.data.token, new Uint8Array([1]), { contentType: 'application/pdf' })
      if (sent.error) throw sent.error
    }
    const run = await removeOrphanedFilesAsServiceRole(
      t.db,
      storage,
      new Date(Date.now() + 2 * orphanGraceHours * hour),
      20,
    )
    expect(run).toMatchObject({ status: 'succeeded', rows: 41 })
    expect((await objectsOnDisk()).filter((name) => name.startsWith(folder))).toEqual([])
  }, 120_000)
})

import { randomBytes, randomUUID } from 'node:crypto'
import { access, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ServerType, serve } from '@hono/node-server'
import { createClient } from '@supabase/supabase-js'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedUploadUrlSeconds } from '../../../functions/storage/document-storage.ts'
import { testJwtSecret, tokenFor } from '../../../tests/support/api.ts'
import { createFixture, type Fixture } from '../../../tests/support/fixtures.ts'
import { NoRealtime } from '../../../tests/support/supabase-client.ts'
import { createTestDatabase, type TestDatabase } from '../../../tests/support/test-database.ts'
import { deriveApiKey } from '../keys.ts'
import { createLocalStorage } from './index.ts'

const maxBytes = 1_000_000

describe('local storage, driven by @supabase/storage-js', () => {
  let t: TestDatabase
  let f: Fixture
  let server: ServerType
  let url: string
  let anonKey: string
  let dataDir: string
  /** Milliseconds the stand-in's clock runs ahead of the real one. */
  let clockAhead = 0

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    dataDir = await mkdtemp(join(tmpdir(), 'local-storage-'))
    const app = new Hono()
    app.route(
      '/storage/v1',
      createLocalStorage({
        db: t.db,
        jwtSecret: testJwtSecret,
        dataDir,
        maxBytes,
        clock: () => new Date(Date.now() + clockAhead),
      }),
    )
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
    })
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    anonKey = await deriveApiKey(testJwtSecret, 'anon')
  })

  afterAll(async () => {
    await new Promise<void>((done) => {
      server?.close(() => done())
      if (server && 'closeAllConnections' in server) server.closeAllConnections()
    })
    await t?.close()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  })

  type Who = keyof Fixture['users']

  /** supabase-js with the anon key, and a user's access token when given. */
  const client = (accessToken?: string) =>
    createClient(url, anonKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: NoRealtime as never },
      ...(accessToken ? { global: { headers: { Authorization: `Bearer ${accessToken}` } } } : {}),
    })

  /** The documents bucket as a signed-in user's supabase-js sees it. */
  async function bucketAs(who: Who) {
    return client(await tokenFor(f.users[who].id)).storage.from('documents')
  }

  const pathIn = (orgId: string, customerId: string, file = 'contract.pdf') =>
    `org/${orgId}/customers/${customerId}/${randomUUID()}/${file}`
  /**
   * The path of a new pending document of rep's customer, as the API's upload start leaves one:
   * the only kind of object a signed-in writer may put into the bucket.
   */
  async function repPath(file = 'contract.pdf'): Promise<string> {
    const [row] = await t.db.query<{ storage_path: string }>(
      `insert into public.documents (org_id, customer_id, name, status) values ($1, $2, $3, 'pending')
       returning storage_path`,
      [f.orgA, f.customers.repOwned, file],
    )
    if (!row) throw new Error('no document inserted')
    return row.storage_path
  }
  const onDisk = (path: string) => join(dataDir, 'documents', path)
  const exists = (file: string) =>
    access(file).then(
      () => true,
      () => false,
    )

  async function upload(who: Who, path: string, body: Buffer | Blob, contentType = 'application/pdf') {
    const bucket = await bucketAs(who)
    const signed = await bucket.createSignedUploadUrl(path)
    if (signed.error) throw signed.error
    return bucket.uploadToSignedUrl(path, signed.data.token, body, { contentType })
  }

  it('should give back exactly the bytes uploaded through a signed URL', async () => {
    const path = await repPath()
    const content = randomBytes(300 * 1024)
    const bucket = await bucketAs('rep')
    const signed = await bucket.createSignedUploadUrl(path)
    expect(signed.error).toBeNull()
    expect(signed.data).toMatchObject({ path, token: expect.any(String) })
    expect(signed.data?.signedUrl).toBe(
      `${url}/storage/v1/object/upload/sign/documents/${path}?token=${signed.data?.token}`,
    )
    const uploaded = await bucket.uploadToSignedUrl(path, signed.data?.token as string, content, {
      contentType: 'application/pdf',
    })
    expect(uploaded).toEqual({ data: { path, fullPath: `documents/${path}` }, error: null })
    expect(Buffer.compare(await readFile(onDisk(path)), content)).toBe(0)

    const viewer = await bucketAs('viewer')
    const download = await viewer.createSignedUrl(path, 60)
    expect(download.error).toBeNull()
    const res = await fetch(download.data?.signedUrl as string)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), content)).toBe(0)

    const direct = await viewer.download(path)
    expect(direct.error).toBeNull()
    expect(Buffer.compare(Buffer.from(await (direct.data as Blob).arrayBuffer()), content)).toBe(0)
  })

  it('should take a Blob, which storage-js sends as a multipart form', async () => {
    const path = await repPath('photo.png')
    const content = randomBytes(200 * 1024)
    const { error } = await upload('manager', path, new Blob([content], { type: 'image/png' }), 'image/png')
    expect(error).toBeNull()
    const { data } = await (await bucketAs('rep')).createSignedUrl(path, 60)
    const res = await fetch(data?.signedUrl as string)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), content)).toBe(0)
  })

  it("should refuse another organization's member a download URL as storage hides the object", async () => {
    const path = await repPath()
    expect((await upload('rep', path, randomBytes(1024))).error).toBeNull()
    for (const who of ['outsider', 'stranger'] as const) {
      const { data, error } = await (await bucketAs(who)).createSignedUrl(path, 60)
      expect(data).toBeNull()
      expect(error).toMatchObject({ status: 400, statusCode: '404', message: 'Object not found' })
      expect((await (await bucketAs(who)).download(path)).error).toMatchObject({ statusCode: '404' })
    }
  })

  it('should refuse an upload URL to anyone who may not write the customer', async () => {
    const cases: [Who, string][] = [
      ['viewer', await repPath()],
      ['rep2', await repPath()],
      ['outsider', await repPath()],
      // The outsider may write their own customer, but not filed under another organization.
      ['outsider', pathIn(f.orgA, f.customers.orgB)],
      ['rep', `org/${f.orgA}/customers/not-a-uuid/x/contract.pdf`],
      ['rep', 'contract.pdf'],
    ]
    for (const [who, path] of cases) {
      const { error } = await (await bucketAs(who)).createSignedUploadUrl(path)
      expect(error, `${who} ${path}`).toMatchObject({
        status: 400,
        statusCode: '403',
        message: 'new row violates row-level security policy',
      })
    }
  })

  it('should refuse a forged path, whether the client normalizes it or not', async () => {
    const rep = await bucketAs('rep')
    // fetch resolves the dot segments: the request lands on org B's customer, which rep may not write.
    const forged = `org/${f.orgA}/customers/${f.customers.repOwned}/x/../../../../${f.orgB}/customers/${f.customers.orgB}/d/a.pdf`
    expect((await rep.createSignedUploadUrl(forged)).error).toMatchObject({ statusCode: '403' })
    // `%2E%2E` is a dot segment to the URL parser too; with an encoded slash it is not, and reaches
    // the server, which refuses it (and NUL) before any policy or disk.
    const token = await tokenFor(f.users.rep.id)
    for (const encoded of [
      `org/${f.orgA}/customers/${f.customers.repOwned}/a/%2e%2e%2f%2e%2e%2fx.pdf`,
      `org/${f.orgA}/customers/${f.customers.repOwned}/a/b%00.pdf`,
    ]) {
      const res = await fetch(`${url}/storage/v1/object/upload/sign/documents/${encoded}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, apikey: anonKey },
      })
      expect(res.status, encoded).toBe(400)
      expect(await res.json()).toMatchObject({ statusCode: '400', code: 'InvalidKey', error: 'InvalidKey' })
    }
  })

  it('should keep every spelling of a path inside the bucket folder and the caller’s tenant', async () => {
    // Org B's file, a file beside the bucket folder, and a pending document of rep's to aim from.
    const victim = `org/${f.orgB}/customers/${f.customers.orgB}/${randomUUID()}/victim.pdf`
    const victimBytes = randomBytes(64)
    const service = client(await deriveApiKey(testJwtSecret, 'service_role')).storage.from('documents')
    const signed = await service.createSignedUploadUrl(victim)
    if (signed.error) throw signed.error
    expect(
      (
        await service.uploadToSignedUrl(victim, signed.data.token, victimBytes, {
          contentType: 'application/pdf',
        })
      ).error,
    ).toBeNull()
    const sentinel = join(dataDir, 'sentinel.pdf')
    await writeFile(sentinel, 'outside the bucket')
    const own = await repPath()
    const ownFolder = own.split('/').slice(0, 5).join('/')
    const upToRoot = '../'.repeat(5)
    const toVictim = `${upToRoot}${victim}`
    const toSentinel = `${upToRoot}../sentinel.pdf`
    const spellings = [
      toVictim,
      toVictim.replaceAll('..', '%2e%2e'),
      toVictim.replaceAll('..', '%2E.'),
      toVictim.replaceAll('../', '%2e%2e%2f'),
      toVictim.replaceAll('../', '%252e%252e%252f'),
      toVictim.replaceAll('../', '..%5c'),
      toVictim.replaceAll('../', '..\\'),
      toSentinel,
      toSentinel.replaceAll('../', '%2e%2e%2f'),
      toSentinel.replaceAll('../', '%252e%252e%252f'),
      toSentinel.replaceAll('../', '..%5c'),
      `x%00/${toVictim}`,
      `%2f${victim}`,
      `%2F..%2F..%2Fsentinel.pdf`,
    ]
    const token = await tokenFor(f.users.rep.id)
    const headers = { authorization: `Bearer ${token}`, apikey: anonKey }
    const attempts: [method: string, route: string, body?: unknown][] = [
      ['POST', '/object/upload/sign/documents/'],
      ['POST', '/object/sign/documents/', { expiresIn: 60 }],
      ['GET', '/object/authenticated/documents/'],
      ['GET', '/object/documents/'],
      ['GET', '/object/info/documents/'],
    ]
    for (const spelling of spellings) {
      const name = `${ownFolder}/${spelling}`
      for (const [method, route, body] of attempts) {
        const res = await fetch(`${url}/storage/v1${route}${name}`, {
          method,
          headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body: JSON.stringify(body) } : {}),
        })
        const text = await res.text()
        const answer = `${method} ${route}${spelling}: ${res.status} ${text}`
        if (res.status === 404) {
          // Dot segments the client resolved past Storage's routes: nothing answers there.
          expect(text, answer).not.toContain('outside the bucket')
        } else {
          // Storage answers every refusal with HTTP 400 and the error's own status inside.
          expect(res.status, answer).toBe(400)
          expect(JSON.parse(text).code, answer).toMatch(/^(InvalidKey|AccessDenied|NoSuchKey|NoSuchBucket)$/)
        }
      }
      // A genuine upload token for rep's own object, sent to the forged name.
      const upload = await (await bucketAs('rep')).createSignedUploadUrl(await repPath())
      const put = await fetch(
        `${url}/storage/v1/object/upload/sign/documents/${name}?token=${upload.data?.token}`,
        {
          method: 'PUT',
          headers: { 'content-type': 'application/pdf' },
          body: 'overwritten',
        },
      )
      expect([400, 404], `PUT ${spelling}`).toContain(put.status)
      const removed = await fetch(`${url}/storage/v1/object/documents`, {
        method: 'DELETE',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ prefixes: [name, decodeURIComponent(name.replaceAll('%25', '%'))] }),
      })
      expect(await removed.json(), `DELETE ${spelling}`).toEqual([])
      expect((await (await bucketAs('rep')).list(name)).data, `list ${spelling}`).toEqual([])
    }
    // Nothing moved: org B's file and the file beside the bucket are as they were, nothing new outside.
    expect(Buffer.compare(await readFile(onDisk(victim)), victimBytes)).toBe(0)
    expect(await readFile(sentinel, 'utf8')).toBe('outside the bucket')
    const everything = (await readdir(dataDir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(dataDir.length + 1))
    for (const file of everything) {
      expect(file).toMatch(/^(documents\/org\/|\.metadata\/documents\/org\/|sentinel\.pdf$)/)
    }
    expect(everything.filter((file) => file.includes(f.orgB)).sort()).toEqual([
      `.metadata/documents/${victim}.json`,
      `documents/${victim}`,
    ])
  })

  it('should let a writer put only a pending document’s own file, and touch no other', async () => {
    const rep = await bucketAs('rep')
    const pending = await repPath()
    // A ready document's file (completed by the service role), a name no document has, another tenant's.
    const ready = await repPath('ready.pdf')
    expect((await upload('rep', ready, randomBytes(10))).error).toBeNull()
    await t.db.query(`update public.documents set status = 'ready' where storage_path = $1`, [ready])
    const stray = `${pending.split('/').slice(0, 5).join('/')}/${randomUUID()}/stray.pdf`
    for (const path of [ready, stray]) {
      expect((await rep.createSignedUploadUrl(path, { upsert: true })).error, path).toMatchObject({
        statusCode: '403',
        message: 'new row violates row-level security policy',
      })
    }
    expect(await rep.remove([ready])).toEqual({ data: [], error: null })
    expect(await exists(onDisk(ready))).toBe(true)
    expect((await upload('rep', pending, randomBytes(10))).error).toBeNull()
  })

  it('should give every upload URL the server’s lifetime (Supabase’s two hours) and refuse it a second later', async () => {
    const path = await repPath()
    const signed = await (await bucketAs('rep')).createSignedUploadUrl(path)
    const token = signed.data?.token as string
    const claims = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString())
    expect(claims.exp - claims.iat).toBe(signedUploadUrlSeconds)
    const send = async () =>
      (await bucketAs('rep')).uploadToSignedUrl(path, token, randomBytes(10), {
        contentType: 'application/pdf',
      })
    clockAhead = (signedUploadUrlSeconds + 1) * 1000
    try {
      expect((await send()).error).toMatchObject({
        statusCode: '400',
        message: expect.stringContaining('exp'),
      })
    } finally {
      clockAhead = 0
    }
    expect((await send()).error).toBeNull()
  })

  it('should refuse an expired signed URL, for download and for upload', async () => {
    const path = await repPath()
    expect((await upload('rep', path, randomBytes(1024))).error).toBeNull()
    const { data } = await (await bucketAs('viewer')).createSignedUrl(path, 60)
    const uploadPath = await repPath()
    const signedUpload = await (await bucketAs('rep')).createSignedUploadUrl(uploadPath)
    clockAhead = 3 * 60 * 60 * 1000
    try {
      const res = await fetch(data?.signedUrl as string)
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({
        statusCode: '400',
        code: 'InvalidJWT',
        error: 'InvalidJWT',
        message: '"exp" claim timestamp check failed',
      })
      const { error } = await (await bucketAs('rep')).uploadToSignedUrl(
        uploadPath,
        signedUpload.data?.token as string,
        randomBytes(10),
        { contentType: 'application/pdf' },
      )
      expect(error).toMatchObject({ status: 400, statusCode: '400', message: expect.stringContaining('exp') })
      expect(await exists(onDisk(uploadPath))).toBe(false)
    } finally {
      clockAhead = 0
    }
  })

  it('should refuse a tampered token or one signed for another object or purpose', async () => {
    const path = await repPath()
    expect((await upload('rep', path, randomBytes(1024))).error).toBeNull()
    const { data } = await (await bucketAs('viewer')).createSignedUrl(path, 60)
    const signedUrl = new URL(data?.signedUrl as string)
    const token = signedUrl.searchParams.get('token') as string
    const [header, payload, signature] = token.split('.')
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString())
    const otherPath = await repPath()
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, url: `documents/${otherPath}` })).toString(
      'base64url',
    )
    const tampered = await fetch(
      `${url}/storage/v1/object/sign/documents/${otherPath}?token=${header}.${forgedPayload}.${signature}`,
    )
    expect(tampered.status).toBe(400)
    expect(await tampered.json()).toMatchObject({
      statusCode: '400',
      code: 'InvalidJWT',
      message: 'signature verification failed',
    })

    const elsewhere = await fetch(`${url}/storage/v1/object/sign/documents/${otherPath}?token=${token}`)
    expect(await elsewhere.json()).toMatchObject({ code: 'InvalidSignature', message: 'Invalid signature' })

    const { error } = await (await bucketAs('rep')).uploadToSignedUrl(path, token, randomBytes(10), {
      contentType: 'application/pdf',
      upsert: true,
    })
    expect(error).toMatchObject({ statusCode: '400', message: 'Token is not scoped for upload' })
  })

  it('should refuse an oversized file before any byte reaches the bucket', async () => {
    const raw = await repPath()
    const blob = await repPath()
    const tooBig = randomBytes(maxBytes + 1)
    expect((await upload('rep', raw, tooBig)).error).toMatchObject({
      status: 400,
      statusCode: '413',
      message: 'The object exceeded the maximum allowed size',
    })
    expect((await upload('rep', blob, new Blob([tooBig], { type: 'application/pdf' }))).error).toMatchObject({
      statusCode: '413',
    })
    expect(await exists(onDisk(raw))).toBe(false)
    expect(await exists(onDisk(blob))).toBe(false)
    // The staging folder exists once any upload has started; an empty listing is the claim.
    expect(await readdir(join(dataDir, '.uploads', 'documents'))).toEqual([])
  })

  it('should refuse a type outside the allow list, including a parameter storage does not strip', async () => {
    for (const contentType of ['application/x-msdownload', 'text/html', 'text/plain;charset=UTF-8']) {
      const path = await repPath('run.exe')
      expect((await upload('rep', path, randomBytes(100), contentType)).error, contentType).toMatchObject({
        status: 400,
        statusCode: '415',
        message: `mime type ${contentType} is not supported`,
      })
      expect(await exists(onDisk(path))).toBe(false)
    }
    expect(
      (await upload('rep', await repPath('notes.txt'), Buffer.from('hello'), 'text/plain')).error,
    ).toBeNull()
  })

  it('should refuse to overwrite an object unless the upload URL was made for upsert', async () => {
    const path = await repPath()
    expect((await upload('rep', path, randomBytes(100))).error).toBeNull()
    const rep = await bucketAs('rep')
    expect((await rep.createSignedUploadUrl(path)).error).toMatchObject({
      statusCode: '409',
      message: 'The resource already exists',
    })
    const upsert = await rep.createSignedUploadUrl(path, { upsert: true })
    const replacement = randomBytes(200)
    const replaced = await rep.uploadToSignedUrl(path, upsert.data?.token as string, replacement, {
      contentType: 'application/pdf',
    })
    expect(replaced.error).toBeNull()
    expect(Buffer.compare(await readFile(onDisk(path)), replacement)).toBe(0)
  })

  it('should let a writer delete an object and skip it for a viewer, as storage does', async () => {
    const path = await repPath()
    expect((await upload('rep', path, randomBytes(100))).error).toBeNull()
    const byViewer = await (await bucketAs('viewer')).remove([path])
    expect(byViewer).toEqual({ data: [], error: null })
    expect(await exists(onDisk(path))).toBe(true)

    const byRep = await (await bucketAs('rep')).remove([path])
    expect(byRep.error).toBeNull()
    expect(byRep.data).toMatchObject([{ name: path, bucket_id: 'documents', owner: f.users.rep.id }])
    expect(await exists(onDisk(path))).toBe(false)
    expect((await (await bucketAs('rep')).createSignedUrl(path, 60)).error).toMatchObject({
      statusCode: '404',
    })
  })

  it('should list one folder level as storage does: folders and objects by name, paged, under RLS', async () => {
    const folder = `org/${f.orgA}/customers/${f.customers.repOwned}/${randomUUID()}`
    // `B.pdf` sorts between `a` and `c` lower-cased; the folder `b` sorts after `b.pdf` (`/` > `.`).
    // Names no document has: only the service role may put them there.
    const service = client(await deriveApiKey(testJwtSecret, 'service_role')).storage.from('documents')
    for (const name of ['c.pdf', 'B.pdf', 'a.pdf', 'b/inner.pdf', 'b/deeper/x.pdf']) {
      const signed = await service.createSignedUploadUrl(`${folder}/${name}`)
      if (signed.error) throw signed.error
      const sent = await service.uploadToSignedUrl(`${folder}/${name}`, signed.data.token, randomBytes(10), {
        contentType: 'application/pdf',
      })
      expect(sent.error, name).toBeNull()
    }
    const viewer = await bucketAs('viewer')
    const listed = await viewer.list(folder)
    expect(listed.error).toBeNull()
    expect(listed.data?.map((e) => [e.name, e.id === null])).toEqual([
      ['a.pdf', false],
      ['B.pdf', false],
      ['b', true],
      ['c.pdf', false],
    ])
    expect(listed.data?.[0]).toMatchObject({
      id: expect.any(String),
      created_at: expect.any(String),
      updated_at: expect.any(String),
      metadata: { size: 10, mimetype: 'application/pdf' },
    })
    expect(listed.data?.[2]).toEqual({
      name: 'b',
      id: null,
      created_at: null,
      updated_at: null,
      last_accessed_at: null,
      metadata: null,
    })
    expect((await viewer.list(`${folder}/`, { limit: 2, offset: 1 })).data?.map((e) => e.name)).toEqual([
      'B.pdf',
      'b',
    ])
    expect((await viewer.list(`${folder}/b`)).data?.map((e) => e.name)).toEqual(['deeper', 'inner.pdf'])
    expect((await viewer.list(folder, { search: 'b' })).data?.map((e) => e.name)).toEqual(['B.pdf', 'b'])
    // The organization's folder shows its customers to members only; anon and strangers see nothing.
    const orgFolder = `org/${f.orgA}/customers`
    expect((await viewer.list(orgFolder)).data?.map((e) => e.name)).toContain(f.customers.repOwned)
    for (const who of ['outsider', 'stranger'] as const) {
      expect((await (await bucketAs(who)).list(orgFolder)).data, who).toEqual([])
    }
    expect((await client().storage.from('documents').list(orgFolder)).data).toEqual([])
    // A prefix no key could start with lists nothing, and reads nothing outside the bucket.
    for (const prefix of ['..', `${folder}/../..`, '/etc', '.metadata', `${folder}\\..`, '%2e%2e']) {
      expect((await viewer.list(prefix)).data, prefix).toEqual([])
    }
    const res = await fetch(`${url}/storage/v1/object/list/documents`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await tokenFor(f.users.rep.id)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ limit: 10 }),
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({
      statusCode: '400',
      message: "body must have required property 'prefix'",
    })
  })

  it('should refuse a caller whose token does not verify, and a bucket that does not exist', async () => {
    const bad = client(await tokenFor(f.users.rep.id, { secret: 'x'.repeat(40) }))
    expect((await bad.storage.from('documents').createSignedUploadUrl(await repPath())).error).toMatchObject({
      status: 400,
      statusCode: '403',
      message: 'signature verification failed',
    })
    const anon = client()
    expect((await anon.storage.from('documents').createSignedUploadUrl(await repPath())).error).toMatchObject(
      {
        statusCode: '403',
      },
    )
    const rep = client(await tokenFor(f.users.rep.id))
    expect((await rep.storage.from('avatars').createSignedUrl('a.png', 60)).error).toMatchObject({
      statusCode: '404',
      message: 'Bucket not found',
    })
  })
})

/**
 * supabase-js 2.109 wants a WebSocket for realtime as soon as a client is
 * created, and Node 20 has none: these tests never connect.
 */

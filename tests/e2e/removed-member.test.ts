import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SupabaseClient } from '@supabase/supabase-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresDatabase } from '../../functions/db/postgres.ts'
import { DEMO_PASSWORD } from '../../scripts/seed/demo-accounts.ts'
import { closeClients, listen, type RealtimeServer, realtimeClient, waitFor } from '../realtime/support.ts'
import { databaseUrlFor, testServerUrl } from '../support/server-url.ts'
import { type StartedStack, startStackProcess, stopStackProcess } from '../support/start-process.ts'
import { localSupabaseClient } from '../support/supabase-client.ts'

/**
 * "A member removed from an organization can read nothing of it by any route":
 * `npm start` with its real Auth, Storage and Realtime stand-ins and the real
 * supabase-js client. A rep reads a customer, downloads a document through the
 * API and straight from Storage, and listens to the organization's live topic;
 * an admin removes them; then every one of those routes is closed. (PostgREST-
 * shaped SQL is attacked for every table by tests/security/postgrest with a
 * removed member among the callers.)
 */
describe('a member removed from an organization', { timeout: 240_000 }, () => {
  let stack: StartedStack
  let dataDir: string
  let serverDatabase: string | undefined
  const serverUrl = testServerUrl()
  const clients: SupabaseClient[] = []

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sales-removed-'))
    const env: Record<string, string> = { DATA_DIR: dataDir, DATABASE_URL: '', SEED_CUSTOMERS: '20' }
    if (serverUrl) {
      serverDatabase = `sales_removed_${process.pid}_${Date.now().toString(36)}`
      const admin = createPostgresDatabase(serverUrl, { max: 1 })
      await admin.query(`create database ${serverDatabase}`)
      await admin.close()
      env.DATABASE_URL = databaseUrlFor(serverUrl, serverDatabase)
    }
    stack = await startStackProcess(env)
  })

  afterAll(async () => {
    await closeClients(clients)
    if (stack) await stopStackProcess(stack.child)
    await rm(dataDir, { recursive: true, force: true })
    if (serverUrl && serverDatabase) {
      const admin = createPostgresDatabase(serverUrl, { max: 1 })
      await admin.query(`drop database if exists ${serverDatabase} with (force)`)
      await admin.close()
    }
  })

  const anonKey = () => /anon key\s+(\S+)/.exec(stack.output())?.[1] as string

  async function signIn(email: string) {
    const { data, error } = await localSupabaseClient(stack.url, anonKey()).auth.signInWithPassword({
      email,
      password: DEMO_PASSWORD,
    })
    expect(error).toBeNull()
    const token = data.session?.access_token as string
    return {
      token,
      userId: data.user?.id as string,
      storage: localSupabaseClient(stack.url, anonKey(), token).storage,
    }
  }

  async function api(token: string, method: string, path: string, body?: unknown) {
    const res = await fetch(`${stack.url}/api${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    return { status: res.status, json: text ? JSON.parse(text) : null }
  }

  it('should read nothing of it through the API, Storage or Realtime afterwards', async () => {
    const admin = await signIn('admin@acme.example')
    const rep = await signIn('rep2@acme.example')
    const me = await api(rep.token, 'GET', '/me')
    const acme = me.json.memberships.find((m: { org_name: string }) => m.org_name === 'Acme Corporation')
    expect(acme).toMatchObject({ role: 'rep', live_topic: expect.stringMatching(/^org:/) })

    // A document with a file, uploaded by the admin the way the dashboard does it.
    const customers = await api(rep.token, 'GET', `/orgs/${acme.org_id}/customers?limit=1`)
    const customer = customers.json.data[0]
    const bytes = new TextEncoder().encode('%PDF-1.4 the contract')
    const started = await api(admin.token, 'POST', `/customers/${customer.id}/documents/uploads`, {
      name: 'Contract.pdf',
      content_type: 'application/pdf',
      size_bytes: bytes.byteLength,
    })
    expect(started.status, JSON.stringify(started.json)).toBe(201)
    const { path, token: uploadToken } = started.json.upload
    const sent = await admin.storage.from('documents').uploadToSignedUrl(path, uploadToken, bytes, {
      contentType: 'application/pdf',
    })
    expect(sent.error).toBeNull()
    const document = (await api(admin.token, 'POST', `/documents/${started.json.document.id}/complete`)).json

    // While a member, every route answers the rep.
    expect((await api(rep.token, 'GET', `/customers/${customer.id}`)).status).toBe(200)
    expect((await api(rep.token, 'GET', `/documents/${document.id}/download`)).status).toBe(200)
    expect((await rep.storage.from('documents').download(document.storage_path)).error).toBeNull()
    const repLive = await listen(
      await realtimeClient({ url: stack.url, anonKey: anonKey() } as RealtimeServer, rep.token).then((c) => {
        clients.push(c)
        return c
      }),
      acme.live_topic,
    )
    expect(repLive.status).toBe('SUBSCRIBED')

    const removal = await api(admin.token, 'DELETE', `/orgs/${acme.org_id}/members/${rep.userId}`)
    expect(removal.status, JSON.stringify(removal.json)).toBe(204)

    // The API: no membership, and every record of the organization is not found.
    const after = await api(rep.token, 'GET', '/me')
    expect(after.json.memberships.map((m: { org_id: string }) => m.org_id)).not.toContain(acme.org_id)
    for (const path of [
      `/orgs/${acme.org_id}/customers`,
      `/customers/${customer.id}`,
      `/customers/${customer.id}/timeline`,
      `/documents/${document.id}/download`,
      `/orgs/${acme.org_id}/metrics/overview`,
      `/orgs/${acme.org_id}/members`,
    ])
      expect((await api(rep.token, 'GET', path)).status, path).toBe(404)

    // Storage with the rep's own token: no file, no signed URL, an empty folder.
    const bucket = rep.storage.from('documents')
    expect((await bucket.download(document.storage_path)).error).not.toBeNull()
    expect((await bucket.createSignedUrl(document.storage_path, 60)).error).not.toBeNull()
    const folder = document.storage_path.split('/').slice(0, -1).join('/')
    expect((await bucket.list(folder)).data ?? []).toEqual([])

    // Realtime: the organization's topic moved; the rep's open channel hears nothing of the next change,
    // which the admin hears on the new topic, and the rep may not join that one.
    await waitFor(() => repLive.broadcasts.some((b) => b.event === 'topic_rotated'), 'the rotation notice')
    const adminMe = await api(admin.token, 'GET', '/me')
    const newTopic = adminMe.json.memberships.find(
      (m: { org_id: string }) => m.org_id === acme.org_id,
    ).live_topic
    expect(newTopic).not.toBe(acme.live_topic)
    const adminClient = await realtimeClient(
      { url: stack.url, anonKey: anonKey() } as RealtimeServer,
      admin.token,
    )
    clients.push(adminClient)
    const adminLive = await listen(adminClient, newTopic)
    expect(adminLive.status).toBe('SUBSCRIBED')
    expect(
      (await api(admin.token, 'PATCH', `/customers/${customer.id}`, { name: 'Renamed after the removal' }))
        .status,
    ).toBe(200)
    await waitFor(
      () => adminLive.broadcasts.some((b) => b.event === 'customers'),
      'the change on the new topic',
    )
    expect(repLive.broadcasts.filter((b) => b.event === 'customers')).toEqual([])
    const repClient = await realtimeClient(
      { url: stack.url, anonKey: anonKey() } as RealtimeServer,
      rep.token,
    )
    clients.push(repClient)
    expect((await listen(repClient, newTopic)).status).toBe('CHANNEL_ERROR')
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient, createTestApp, expectAnswersDeclared, tokenFor } from '../../../tests/support/api.ts'
import { createFixture, type Fixture } from '../../../tests/support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../../tests/support/test-database.ts'

type Item = { id: string }
const ids = (res: { json: { data: Item[] } }) => res.json.data.map((x) => x.id)
const fields = (res: { json: { errors: { field: string }[] } }) => res.json.errors.map((e) => e.field).sort()

describe('chat API', () => {
  let t: TestDatabase
  let f: Fixture
  let request: ReturnType<typeof apiClient>
  const tokens: Record<string, string> = {}
  let repSession: string
  let testApp: ReturnType<typeof createTestApp>

  /** A session of `user` in `org`, written as the superuser (as a seed would). */
  async function sessionOf(user: string, org: string, title = 'Seeded chat'): Promise<string> {
    const [row] = await t.db.query<{ id: string }>(
      'insert into public.chat_sessions (org_id, user_id, title) values ($1, $2, $3) returning id',
      [org, user, title],
    )
    return (row as { id: string }).id
  }

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    testApp = createTestApp(t.db)
    request = apiClient(testApp.app)
    for (const [name, user] of Object.entries(f.users)) tokens[name] = await tokenFor(user.id)
    const [row] = await t.db.query<{ id: string }>('select id from public.chat_sessions where user_id = $1', [
      f.users.rep.id,
    ])
    repSession = (row as { id: string }).id
  })
  afterAll(async () => {
    await t.close()
    await expectAnswersDeclared(testApp)
  })

  it('should list only the caller’s own sessions in the organization', async () => {
    const rep = await request('GET', `/orgs/${f.orgA}/chat/sessions`, { token: tokens.rep })
    expect(rep.status).toBe(200)
    expect(rep.json).toMatchObject({
      data: [{ id: repSession, org_id: f.orgA, title: 'Rep chat' }],
      next_cursor: null,
    })
    const owner = await request('GET', `/orgs/${f.orgA}/chat/sessions`, { token: tokens.owner })
    expect(owner.json.data).toEqual([])
  })

  it('should answer 404 to someone who is not a member of the organization', async () => {
    for (const who of ['outsider', 'stranger']) {
      const res = await request('GET', `/orgs/${f.orgA}/chat/sessions`, { token: tokens[who] })
      expect(res.status).toBe(404)
      expect(res.json.code).toBe('not_found')
    }
    const post = await request('POST', `/orgs/${f.orgA}/chat/sessions`, { token: tokens.outsider, body: {} })
    expect(post.status).toBe(404)
  })

  it('should return 401 without a token', async () => {
    expect((await request('GET', `/orgs/${f.orgA}/chat/sessions`)).status).toBe(401)
    expect((await request('GET', `/chat/sessions/${repSession}/messages`)).status).toBe(401)
    expect(
      (await request('POST', `/chat/sessions/${repSession}/messages`, { body: { content: 'x' } })).status,
    ).toBe(401)
  })

  it('should let a viewer start a session and chat in it, since chat is personal', async () => {
    const created = await request('POST', `/orgs/${f.orgA}/chat/sessions`, {
      token: tokens.viewer,
      body: { title: '  Pipeline questions  ' },
    })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({ org_id: f.orgA, title: 'Pipeline questions' })
    expect(created.headers.get('etag')).toMatch(/^"\d+"$/)
    expect(created.headers.get('location')).toBe(`/api/chat/sessions/${created.json.id}`)
    const message = await request('POST', `/chat/sessions/${created.json.id}/messages`, {
      token: tokens.viewer,
      body: { content: 'How many leads do we have?' },
    })
    expect(message.status).toBe(201)
    expect(message.json).toMatchObject({
      session_id: created.json.id,
      role: 'user',
      content: 'How many leads do we have?',
    })
    const [row] = await t.db.query('select org_id, user_id from public.chat_sessions where id = $1', [
      created.json.id,
    ])
    expect(row).toEqual({ org_id: f.orgA, user_id: f.users.viewer.id })
  })

  it('should start a session titled “New chat” when no body is sent', async () => {
    const res = await request('POST', `/orgs/${f.orgA}/chat/sessions`, { token: tokens.rep2 })
    expect(res.status).toBe(201)
    expect(res.json.title).toBe('New chat')
  })

  it('should reject fields a client may not set and a blank title, listing each', async () => {
    const res = await request('POST', `/orgs/${f.orgA}/chat/sessions`, {
      token: tokens.rep,
      body: { title: '   ', user_id: f.users.owner.id, org_id: f.orgB },
    })
    expect(res.status).toBe(400)
    expect(res.json.code).toBe('validation_failed')
    expect(fields(res)).toEqual(['body.org_id', 'body.title', 'body.user_id'])
  })

  it('should replay a retried session create with the same Idempotency-Key', async () => {
    const headers = { 'Idempotency-Key': 'chat-session-once-1' }
    const body = { title: 'Only once' }
    const first = await request('POST', `/orgs/${f.orgA}/chat/sessions`, {
      token: tokens.manager,
      body,
      headers,
    })
    const again = await request('POST', `/orgs/${f.orgA}/chat/sessions`, {
      token: tokens.manager,
      body,
      headers,
    })
    expect(again.status).toBe(201)
    expect(again.json.id).toBe(first.json.id)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(await t.db.query(`select id from public.chat_sessions where title = 'Only once'`)).toHaveLength(1)
  })

  it('should list sessions by last activity, a new message moving its session first', async () => {
    const older = await request('POST', `/orgs/${f.orgB}/chat/sessions`, {
      token: tokens.outsider,
      body: { title: 'Older' },
    })
    const newer = await request('POST', `/orgs/${f.orgB}/chat/sessions`, {
      token: tokens.outsider,
      body: { title: 'Newer' },
    })
    const before = await request('GET', `/orgs/${f.orgB}/chat/sessions`, { token: tokens.outsider })
    expect(before.json.data.slice(0, 2).map((s: { title: string }) => s.title)).toEqual(['Newer', 'Older'])
    await request('POST', `/chat/sessions/${older.json.id}/messages`, {
      token: tokens.outsider,
      body: { content: 'Bump' },
    })
    const after = await request('GET', `/orgs/${f.orgB}/chat/sessions?limit=1`, { token: tokens.outsider })
    expect(ids(after)).toEqual([older.json.id])
    const next = await request(
      'GET',
      `/orgs/${f.orgB}/chat/sessions?limit=1&cursor=${after.json.next_cursor}`,
      {
        token: tokens.outsider,
      },
    )
    expect(ids(next)).toEqual([newer.json.id])
  })

  it('should answer 404 to the organization’s owner for a rep’s session, whatever the method', async () => {
    const owner = { token: tokens.owner }
    expect((await request('GET', `/chat/sessions/${repSession}`, owner)).status).toBe(404)
    expect((await request('GET', `/chat/sessions/${repSession}/messages`, owner)).status).toBe(404)
    const post = await request('POST', `/chat/sessions/${repSession}/messages`, {
      ...owner,
      body: { content: 'Peek' },
    })
    expect(post.status).toBe(404)
    const rename = await request('PATCH', `/chat/sessions/${repSession}`, {
      ...owner,
      body: { title: 'Mine now' },
    })
    expect(rename.status).toBe(404)
    expect((await request('DELETE', `/chat/sessions/${repSession}`, owner)).status).toBe(404)
    expect(
      (await request('GET', `/chat/sessions/${repSession}/messages`, { token: tokens.outsider })).status,
    ).toBe(404)
    const [row] = await t.db.query<{ title: string; n: number }>(
      `select s.title, (select count(*)::int from public.chat_messages m where m.session_id = s.id) as n
       from public.chat_sessions s where s.id = $1`,
      [repSession],
    )
    expect(row).toEqual({ title: 'Rep chat', n: 1 })
  })

  it('should let the session’s user read its messages', async () => {
    const res = await request('GET', `/chat/sessions/${repSession}/messages`, { token: tokens.rep })
    expect(res.status).toBe(200)
    expect(res.json.data).toMatchObject([{ session_id: repSession, role: 'user', content: 'Hello' }])
    expect(res.json.next_cursor).toBeNull()
  })

  it('should refuse a message with a role, an empty content or one over 20000 characters', async () => {
    const path = `/chat/sessions/${repSession}/messages`
    const assistant = await request('POST', path, {
      token: tokens.rep,
      body: { content: 'I am the bot', role: 'assistant' },
    })
    expect(assistant.status).toBe(400)
    expect(fields(assistant)).toEqual(['body.role'])
    const empty = await request('POST', path, { token: tokens.rep, body: { content: '' } })
    expect(fields(empty)).toEqual(['body.content'])
    const blank = await request('POST', path, { token: tokens.rep, body: { content: ' \n ' } })
    expect(fields(blank)).toEqual(['body.content'])
    const long = await request('POST', path, { token: tokens.rep, body: { content: 'x'.repeat(20001) } })
    expect(fields(long)).toEqual(['body.content'])
    const missing = await request('POST', path, { token: tokens.rep, body: { session_id: repSession } })
    expect(fields(missing)).toEqual(['body.content', 'body.session_id'])
    const longest = await request('POST', path, { token: tokens.rep, body: { content: 'y'.repeat(20000) } })
    expect(longest.status).toBe(201)
    const roles = await t.db.query('select distinct role from public.chat_messages where session_id = $1', [
      repSession,
    ])
    expect(roles).toEqual([{ role: 'user' }])
  })

  it('should take a message’s organization from its session', async () => {
    const res = await request('POST', `/chat/sessions/${repSession}/messages`, {
      token: tokens.rep,
      body: { content: 'Where am I?' },
    })
    const [row] = await t.db.query('select org_id from public.chat_messages where id = $1', [res.json.id])
    expect(row).toEqual({ org_id: f.orgA })
  })

  it('should replay a retried message with the same Idempotency-Key instead of sending it twice', async () => {
    const headers = { 'Idempotency-Key': 'chat-message-once-1' }
    const path = `/chat/sessions/${repSession}/messages`
    const first = await request('POST', path, { token: tokens.rep, body: { content: 'Just once' }, headers })
    const again = await request('POST', path, { token: tokens.rep, body: { content: 'Just once' }, headers })
    expect(again.status).toBe(201)
    expect(again.json).toEqual(first.json)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    const rows = await t.db.query(`select id from public.chat_messages where content = 'Just once'`)
    expect(rows).toHaveLength(1)
  })

  it('should page through messages oldest first without duplicates or gaps, ties broken by id', async () => {
    const session = await sessionOf(f.users.rep2.id, f.orgA)
    // 23 messages over 8 distinct instants: several share a created_at, so the id must order them.
    for (let i = 0; i < 23; i++) {
      await t.db.query(
        `insert into public.chat_messages (org_id, session_id, content, created_at)
         values ($1, $2, $3, timestamptz '2026-01-01T00:00:00Z' + make_interval(secs => $4))`,
        [f.orgA, session, `Message ${i}`, Math.floor(i / 3)],
      )
    }
    const expected = (
      await t.db.query<{ id: string }>(
        'select id from public.chat_messages where session_id = $1 order by created_at, id',
        [session],
      )
    ).map((r) => r.id)
    const seen: string[] = []
    let cursor: string | null = null
    let appended = 0
    do {
      const query: string = `?limit=5${cursor ? `&cursor=${cursor}` : ''}`
      const res = await request('GET', `/chat/sessions/${session}/messages${query}`, { token: tokens.rep2 })
      expect(res.status).toBe(200)
      expect(res.json.data.length).toBeLessThanOrEqual(5)
      seen.push(...ids(res))
      cursor = res.json.next_cursor
      if (appended < 2) {
        // The user keeps chatting while reading back: new turns land at the end.
        const sent = await request('POST', `/chat/sessions/${session}/messages`, {
          token: tokens.rep2,
          body: { content: `Live ${appended++}` },
        })
        expected.push(sent.json.id)
      }
    } while (cursor)
    expect(seen).toEqual(expected)
    expect(new Set(seen).size).toBe(25)
  })

  it('should refuse a page size over 100 and a cursor from another list', async () => {
    const sessions = await request('GET', `/orgs/${f.orgB}/chat/sessions?limit=1`, { token: tokens.outsider })
    const path = `/chat/sessions/${repSession}/messages`
    const bad = await request('GET', `${path}?limit=101&sort=id`, { token: tokens.rep })
    expect(fields(bad)).toEqual(['query.limit', 'query.sort'])
    const foreign = await request('GET', `${path}?cursor=${sessions.json.next_cursor}`, { token: tokens.rep })
    expect(foreign.status).toBe(400)
    expect(fields(foreign)).toEqual(['query.cursor'])
  })

  it('should rename a session, refusing a stale If-Match and fields other than the title', async () => {
    const id = await sessionOf(f.users.rep.id, f.orgA, 'Before')
    const read = await request('GET', `/chat/sessions/${id}`, { token: tokens.rep })
    const etag = read.headers.get('etag') as string
    expect(read.json.title).toBe('Before')
    const strict = await request('PATCH', `/chat/sessions/${id}`, {
      token: tokens.rep,
      body: { title: 'After', org_id: f.orgB },
    })
    expect(fields(strict)).toEqual(['body.org_id'])
    const empty = await request('PATCH', `/chat/sessions/${id}`, { token: tokens.rep, body: {} })
    expect(fields(empty)).toEqual(['body.title'])
    const renamed = await request('PATCH', `/chat/sessions/${id}`, {
      token: tokens.rep,
      body: { title: 'After' },
      headers: { 'If-Match': etag },
    })
    expect(renamed.status).toBe(200)
    expect(renamed.json.title).toBe('After')
    expect(renamed.headers.get('etag')).not.toBe(etag)
    const stale = await request('PATCH', `/chat/sessions/${id}`, {
      token: tokens.rep,
      body: { title: 'Lost update' },
      headers: { 'If-Match': etag },
    })
    expect(stale.status).toBe(412)
    expect((await request('GET', `/chat/sessions/${id}`, { token: tokens.rep })).json.title).toBe('After')
  })

  it('should delete a session with its messages and answer 404 afterwards', async () => {
    const id = await sessionOf(f.users.rep.id, f.orgA)
    await request('POST', `/chat/sessions/${id}/messages`, { token: tokens.rep, body: { content: 'Bye' } })
    const stale = await request('DELETE', `/chat/sessions/${id}`, {
      token: tokens.rep,
      headers: { 'If-Match': '"1"' },
    })
    expect(stale.status).toBe(412)
    expect((await request('DELETE', `/chat/sessions/${id}`, { token: tokens.rep })).status).toBe(204)
    expect((await request('GET', `/chat/sessions/${id}/messages`, { token: tokens.rep })).status).toBe(404)
    expect((await request('DELETE', `/chat/sessions/${id}`, { token: tokens.rep })).status).toBe(404)
    expect(await t.db.query('select id from public.chat_messages where session_id = $1', [id])).toEqual([])
  })
})

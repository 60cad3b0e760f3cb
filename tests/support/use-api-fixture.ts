import { afterAll, beforeAll } from 'vitest'
import { apiClient, createTestApp, expectAnswersDeclared, tokenFor } from './api.ts'
import { createFixture, type Fixture } from './fixtures.ts'
import { createTestDatabase, type TestDatabase } from './test-database.ts'

export interface ApiFixture {
  t: TestDatabase
  f: Fixture
  request: ReturnType<typeof apiClient>
  /** An access token for each fixture user, by name: `tokens.rep`, `tokens.outsider`… */
  tokens: Record<keyof Fixture['users'], string>
  /**
   * Every row of a list, followed page by page through its cursors; `between`
   * runs after each page (to change the data while paging).
   */
  walk<T = Record<string, unknown>>(
    path: string,
    token: string,
    between?: () => Promise<unknown>,
  ): Promise<{ rows: T[]; pages: number }>
}

/**
 * For a route test file: its own database with the two-tenant fixture, the
 * real app over it and a token per user, ready in `beforeAll`. Read the
 * fields inside tests (they are set once the hook has run).
 */
export function useApiFixture(): ApiFixture {
  const api = { tokens: {} } as ApiFixture
  api.walk = async <T>(path: string, token: string, between?: () => Promise<unknown>) => {
    const rows: T[] = []
    let pages = 0
    let cursor: string | null = null
    do {
      const page: string = cursor ? `${path}${path.includes('?') ? '&' : '?'}cursor=${cursor}` : path
      const res = await api.request('GET', page, { token })
      if (res.status !== 200 || ++pages > 100) throw new Error(`GET ${page}: ${res.status} ${res.text}`)
      rows.push(...res.json.data)
      cursor = res.json.next_cursor
      await between?.()
    } while (cursor)
    return { rows, pages }
  }
  let app: ReturnType<typeof createTestApp> | undefined
  beforeAll(async () => {
    api.t = await createTestDatabase()
    api.f = await createFixture(api.t.db)
    app = createTestApp(api.t.db)
    api.request = apiClient(app.app)
    for (const [name, user] of Object.entries(api.f.users))
      api.tokens[name as keyof Fixture['users']] = await tokenFor(user.id)
  })
  afterAll(async () => {
    await api.t?.close()
    // Every answer this file's requests got must be one the OpenAPI document declares.
    if (app) await expectAnswersDeclared(app)
  })
  return api
}

/** The fields a 400 problem names, sorted, for comparing with a list. */
export function failingFields(res: { json?: { errors?: { field: string }[] } }): string[] {
  return (res.json?.errors ?? []).map((e) => e.field).sort()
}

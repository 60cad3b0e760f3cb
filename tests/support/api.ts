import { SignJWT } from 'jose'
import { expect } from 'vitest'
import { createApp } from '../../functions/app.ts'
import { parseApiConfig } from '../../functions/config.ts'
import type { Database } from '../../functions/db/database.ts'
import {
  createStatusRecorder,
  type OpenApiPaths,
  type StatusPair,
  undeclaredStatuses,
} from './observed-statuses.ts'

export const testJwtSecret = 'test-jwt-secret-that-is-at-least-32-characters-long'

/**
 * The real app over a test database, with its log lines kept for assertions,
 * and every (method, route, status) it answered (`observed`), so a suite can
 * check them against the app's OpenAPI document (`undeclared()`, see
 * tests/contract/observed-statuses.test.ts).
 */
export function createTestApp(
  db: Database,
  env: Record<string, string> = {},
  options: { clock?: () => Date } = {},
) {
  const logs: Record<string, unknown>[] = []
  const config = parseApiConfig({
    SUPABASE_JWT_SECRET: testJwtSecret,
    CORS_ORIGINS: 'http://localhost:8787',
    ...env,
  })
  const { metrics, observed } = createStatusRecorder(config.API_BASE_PATH)
  const deps = { db, config, log: (line: Record<string, unknown>) => logs.push(line) }
  const app = createApp(options.clock ? { ...deps, clock: options.clock } : deps, { metrics })
  /** The answers this app gave that its own document does not declare (the document needs no database). */
  const undeclared = async (): Promise<StatusPair[]> => {
    const doc = (await (await app.request(`${config.API_BASE_PATH}/openapi.json`)).json()) as OpenApiPaths
    return undeclaredStatuses(observed, doc)
  }
  return { app, logs, config, observed, undeclared }
}

/** Fails when the app answered a (method, route, status) its OpenAPI document does not declare. */
export async function expectAnswersDeclared(testApp: Pick<ReturnType<typeof createTestApp>, 'undeclared'>) {
  expect(await testApp.undeclared(), 'statuses answered but not declared in OpenAPI').toEqual([])
}

/** A Supabase-shaped access token for a user, signed with the test secret. */
export async function tokenFor(
  userId: string,
  options: {
    expiresIn?: string | number
    audience?: string
    secret?: string
    claims?: Record<string, unknown>
    /** `iat`; an app built with a clock of its own refuses tokens issued after its "now". */
    issuedAt?: Date
  } = {},
): Promise<string> {
  return new SignJWT({ role: 'authenticated', ...options.claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setAudience(options.audience ?? 'authenticated')
    .setIssuedAt(options.issuedAt ? Math.floor(options.issuedAt.getTime() / 1000) : undefined)
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(new TextEncoder().encode(options.secret ?? testJwtSecret))
}

/** Request helper: JSON in, the caller's token, the app's base path. */
export function apiClient(app: ReturnType<typeof createApp>, basePath = '/api') {
  return async function request(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
  ) {
    const headers = new Headers(options.headers)
    if (options.token) headers.set('Authorization', `Bearer ${options.token}`)
    let body: string | undefined
    if (options.rawBody !== undefined) body = options.rawBody
    else if (options.body !== undefined) body = JSON.stringify(options.body)
    if (body !== undefined && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json')
    const res = await app.request(`${basePath}${path}`, { method, headers, body })
    const text = await res.text()
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the API answered
    let json: any
    try {
      json = text ? JSON.parse(text) : undefined
    } catch {
      json = undefined
    }
    return { status: res.status, headers: res.headers, json, text }
  }
}

import { SignJWT } from 'jose'
import { createApp } from '../../functions/app.ts'
import { parseApiConfig } from '../../functions/config.ts'
import type { Database } from '../../functions/db/database.ts'

export const testJwtSecret = 'test-jwt-secret-that-is-at-least-32-characters-long'

/** The real app over a test database, with its log lines kept for assertions. */
export function createTestApp(db: Database, env: Record<string, string> = {}) {
  const logs: Record<string, unknown>[] = []
  const config = parseApiConfig({
    SUPABASE_JWT_SECRET: testJwtSecret,
    CORS_ORIGINS: 'http://localhost:8787',
    ...env,
  })
  const app = createApp({ db, config, log: (line) => logs.push(line) })
  return { app, logs, config }
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

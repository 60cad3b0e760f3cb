import { rememberOwnWrite, trackOwnWrite } from '../realtime/own-writes.ts'
import { ApiError, type Problem } from './api-error.ts'

export interface RequestOptions {
  body?: unknown
  /** A record's version: sent as If-Match, so a stale change is refused (412) instead of overwriting. */
  ifMatch?: string
  idempotencyKey?: string
  signal?: AbortSignal
}

export interface ApiClient {
  get<T>(path: string, options?: RequestOptions): Promise<T>
  post<T>(path: string, options?: RequestOptions): Promise<T>
  patch<T>(path: string, options?: RequestOptions): Promise<T>
  delete(path: string, options?: RequestOptions): Promise<void>
  /** A file the API streams (an export): its bytes, with the name the server gave it. */
  file(path: string, options?: RequestOptions): Promise<{ blob: Blob; filename: string | undefined }>
}

export interface ApiClientOptions {
  baseUrl: string
  /** The current access token, refreshed by supabase-js; null when signed out. */
  accessToken: () => Promise<string | null>
  /** Called once a request is refused for its token, so the app can send the person to sign in. */
  onUnauthorized: () => void
  fetch?: typeof fetch
}

/** The REST API over fetch: bearer token, JSON both ways, problem+json turned into ApiError. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)

  async function send(method: string, path: string, opts: RequestOptions, accept: string): Promise<Response> {
    // A fresh id per call: the API logs it and names the database connection after it.
    const requestId = crypto.randomUUID()
    const headers: Record<string, string> = { Accept: accept, 'X-Request-Id': requestId }
    const token = await options.accessToken()
    if (token) headers.Authorization = `Bearer ${token}`
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json'
    if (opts.ifMatch) headers['If-Match'] = `"${opts.ifMatch}"`
    if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey
    let response: Response
    try {
      response = await doFetch(`${options.baseUrl}${path}`, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: opts.signal,
      })
    } catch (error) {
      if (opts.signal?.aborted) throw error
      throw ApiError.network(error, requestId)
    }
    if (!response.ok) throw await failure(response, requestId)
    return response
  }

  /**
   * A refused request as an ApiError, from its problem+json body when it has one.
   * Its request id is the one the API answered with (it replaces an id it does not accept).
   */
  async function failure(response: Response, sentId: string): Promise<ApiError> {
    const text = await response.text().catch(() => '')
    const body = text ? safeJson(text) : undefined
    const problem = isProblem(body) ? body : undefined
    const error = new ApiError(
      response.status,
      problem?.code ?? (response.status === 401 ? 'unauthorized' : 'http_error'),
      problem?.detail ?? problem?.title ?? `HTTP ${response.status}`,
      problem,
      response.headers.get('X-Request-Id') ?? problem?.request_id ?? sentId,
    )
    if (response.status === 401) options.onUnauthorized()
    return error
  }

  async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const response = await send(method, path, opts, 'application/json, application/problem+json')
    if (response.status === 204) return undefined as T
    const text = await response.text()
    const body = text ? safeJson(text) : undefined
    // Our own change will come back over Realtime: remember it so it is not applied or announced twice.
    if (method !== 'GET') rememberOwnWrite(body)
    return body as T
  }

  return {
    get: (path, opts) => request('GET', path, opts),
    post: (path, opts) => trackOwnWrite(() => request('POST', path, opts)),
    patch: (path, opts) => trackOwnWrite(() => request('PATCH', path, opts)),
    delete: (path, opts) => trackOwnWrite(() => request('DELETE', path, opts)),
    async file(path, opts = {}) {
      const response = await send('GET', path, opts, '*/*')
      const disposition = response.headers.get('Content-Disposition') ?? ''
      const filename = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1]
      return { blob: await response.blob(), filename: filename ? decodeURIComponent(filename) : undefined }
    },
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const isProblem = (body: unknown): body is Problem =>
  typeof body === 'object' && body !== null && typeof (body as Problem).code === 'string'

/** A fresh key per user action, so a retried create is not a duplicate. */
export const newIdempotencyKey = () => `web-${crypto.randomUUID()}`

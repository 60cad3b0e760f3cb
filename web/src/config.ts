/**
 * Runtime configuration, read from config.json beside index.html: one build
 * serves every environment (locally `npm start` answers it; a CDN serves the
 * operator's file).
 */
export interface WebConfig {
  /** The REST API's base URL, e.g. https://api.example.com/api. */
  apiUrl: string
  /** The Supabase project URL (Auth, Realtime, Storage). */
  supabaseUrl: string
  /** The project's anon (publishable) key: public by design, RLS protects the data. */
  supabaseAnonKey: string
}

export class ConfigError extends Error {}

/** Validates config.json's content; relative URLs are resolved against the page. */
export function parseConfig(raw: unknown, base: string): WebConfig {
  if (typeof raw !== 'object' || raw === null) throw new ConfigError('config.json must be a JSON object.')
  const record = raw as Record<string, unknown>
  const url = (key: 'apiUrl' | 'supabaseUrl') => {
    const value = record[key]
    if (typeof value !== 'string' || value.trim() === '')
      throw new ConfigError(`config.json: "${key}" must be a URL.`)
    let parsed: URL
    try {
      parsed = new URL(value, base)
    } catch {
      throw new ConfigError(`config.json: "${key}" is not a valid URL.`)
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw new ConfigError(`config.json: "${key}" must be an http(s) URL.`)
    return parsed.href.replace(/\/+$/, '')
  }
  const key = record.supabaseAnonKey
  if (typeof key !== 'string' || key.trim() === '')
    throw new ConfigError('config.json: "supabaseAnonKey" must be the project’s anon key.')
  return { apiUrl: url('apiUrl'), supabaseUrl: url('supabaseUrl'), supabaseAnonKey: key.trim() }
}

export async function loadConfig(): Promise<WebConfig> {
  const where = new URL('config.json', document.baseURI).href
  let response: Response
  try {
    response = await fetch(where, { cache: 'no-store' })
  } catch {
    throw new ConfigError(`Could not load ${where}: the network failed.`)
  }
  if (!response.ok) throw new ConfigError(`Could not load ${where}: HTTP ${response.status}.`)
  let body: unknown
  try {
    body = await response.json()
  } catch {
    throw new ConfigError(`${where} is not valid JSON.`)
  }
  return parseConfig(body, document.baseURI)
}

import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from './config.ts'

const base = 'https://dash.example.com/app/'

describe('parseConfig', () => {
  it('should resolve relative URLs against the page and drop trailing slashes', () => {
    expect(
      parseConfig({ apiUrl: '/api/', supabaseUrl: 'https://x.supabase.co/', supabaseAnonKey: ' k ' }, base),
    ).toEqual({
      apiUrl: 'https://dash.example.com/api',
      supabaseUrl: 'https://x.supabase.co',
      supabaseAnonKey: 'k',
    })
  })

  it('should name the field that is missing or wrong', () => {
    expect(() => parseConfig(null, base)).toThrow(ConfigError)
    expect(() => parseConfig({ supabaseUrl: 'https://x', supabaseAnonKey: 'k' }, base)).toThrow(/"apiUrl"/)
    expect(() => parseConfig({ apiUrl: '/api', supabaseUrl: 'ftp://x', supabaseAnonKey: 'k' }, base)).toThrow(
      /"supabaseUrl" must be an http/,
    )
    expect(() =>
      parseConfig({ apiUrl: '/api', supabaseUrl: 'https://x', supabaseAnonKey: '' }, base),
    ).toThrow(/supabaseAnonKey/)
  })
})

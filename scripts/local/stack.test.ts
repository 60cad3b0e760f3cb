import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../functions/config.ts'
import { DEFAULT_CUSTOMERS } from '../seed/generate.ts'
import { localJwtSecret } from './keys.ts'
import { parseLocalStackConfig } from './stack.ts'

describe('parseLocalStackConfig', () => {
  it('should need nothing set: the local JWT secret, port 8787, the demo data’s size', () => {
    expect(parseLocalStackConfig({})).toMatchObject({
      SUPABASE_JWT_SECRET: localJwtSecret,
      PORT: 8787,
      HOST: '127.0.0.1',
      SEED_CUSTOMERS: DEFAULT_CUSTOMERS,
      DATA_DIR: '.data',
    })
    // An empty value, as a .env file leaves it, is unset here too.
    expect(parseLocalStackConfig({ SUPABASE_JWT_SECRET: '' }).SUPABASE_JWT_SECRET).toBe(localJwtSecret)
  })

  it('should name every wrong value of the stack and of the Node root at once', () => {
    const error = (() => {
      try {
        parseLocalStackConfig({
          SEED_CUSTOMERS: '0',
          PORT: 'http',
          DB_POOL_MAX: 'many',
          JOBS_SECRET: 'short',
        })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).issues.map((i) => i.split(':')[0]).sort()).toEqual([
      'DB_POOL_MAX',
      'JOBS_SECRET',
      'PORT',
      'SEED_CUSTOMERS',
    ])
  })
})

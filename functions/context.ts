import type { ApiConfig } from './config.ts'
import type { Database } from './db/database.ts'
import type { UserClaims } from './db/with-user.ts'

/** What the app is built from; tests pass their own. */
export interface AppDependencies {
  db: Database
  config: ApiConfig
  /** The time, for anything that compares with it (token expiry, idempotency windows). */
  clock?: () => Date
  /** Where one JSON line per request goes. */
  log?: (line: Record<string, unknown>) => void
}

/** Hono's context variables, typed once for every route and middleware. */
export interface AppEnv {
  Variables: {
    requestId: string
    deps: Required<AppDependencies>
    /** Set by the auth middleware on routes that need a user. */
    claims: UserClaims
  }
}

// npm start — the product on one machine: migrate, seed demo data on first
// run, serve everything on one origin (scripts/local/stack.ts). Ctrl-C stops
// serving and closes the database cleanly.
import { SignJWT } from 'jose'
import { runMain } from './db/run-main.ts'
import { localJwtSecret } from './local/keys.ts'
import { type LocalStack, startLocalStack } from './local/stack.ts'
import { formatDemoAccounts } from './seed/demo-accounts.ts'
import { userId } from './seed/generate-accounts.ts'

await runMain(async () => {
  const started = performance.now()
  const stack = await startLocalStack()
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    console.log('\nStopping…')
    stack.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  console.log(await banner(stack, performance.now() - started))
})

async function banner(stack: LocalStack, milliseconds: number): Promise<string> {
  const { url, config } = stack
  const api = `${url}${config.API_BASE_PATH}`
  const token = await localAccessToken(config.SUPABASE_JWT_SECRET as string, 'rep@acme.example')
  return `
Sales dashboard is running (started in ${(milliseconds / 1000).toFixed(1)} s).

  URL              ${url}
  API              ${api}   (reference: ${api}/docs)
  anon key         ${stack.anonKey}
  service_role key ${stack.serviceRoleKey}
  Database         ${stack.where} — ${stack.migrated.applied.length} migrations applied now, ${stack.seeded.status === 'seeded' ? 'demo data loaded' : 'demo data already there'}
  JWT secret       ${config.SUPABASE_JWT_SECRET === localJwtSecret ? 'the local development secret (set SUPABASE_JWT_SECRET to change it)' : 'from SUPABASE_JWT_SECRET'}

${formatDemoAccounts()}

Until the local sign-in lands, call the API with a token signed by the local secret, e.g. as rep@acme.example:
  curl -H "Authorization: Bearer ${token}" ${api}/me

Ctrl-C stops.`
}

/** A Supabase-shaped access token for a demo user, valid for a day, signed with the local secret. */
async function localAccessToken(secret: string, email: string): Promise<string> {
  return new SignJWT({ role: 'authenticated', email })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId(email))
    .setAudience('authenticated')
    .setIssuedAt()
    .setExpirationTime('24h')
    .sign(new TextEncoder().encode(secret))
}

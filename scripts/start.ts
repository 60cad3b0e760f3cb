// npm start — the product on one machine: the Node root (functions/entries/node.ts)
// inside the local stack (scripts/local/stack.ts): migrate, seed demo data on
// first run, serve everything on one origin. Ctrl-C stops serving and closes
// the database cleanly.
import { guardProcess, stopOnSignals } from '../functions/entries/node.ts'
import { runMain } from './db/run-main.ts'
import { localJwtSecret } from './local/keys.ts'
import { type LocalStack, startLocalStack } from './local/stack.ts'
import { DEMO_PASSWORD, formatDemoAccounts } from './seed/demo-accounts.ts'

await runMain(async () => {
  // A server, not a test: the known postgres.js driver error is logged, anything else uncaught still exits.
  guardProcess()
  const started = performance.now()
  const stack = await startLocalStack()
  stopOnSignals(() => stack.close())
  console.log(banner(stack, performance.now() - started))
})

function banner(stack: LocalStack, milliseconds: number): string {
  const { url, config } = stack
  const api = `${url}${config.API_BASE_PATH}`
  return `
Sales dashboard is running (started in ${(milliseconds / 1000).toFixed(1)} s).

  URL              ${url}
  API              ${api}   (reference: ${api}/docs)
  Auth             ${url}/auth/v1      (GoTrue-compatible: password and refresh-token sign-in)
  Storage          ${url}/storage/v1   (private bucket on disk, signed URLs)
  Realtime         ${url.replace(/^http/, 'ws')}/realtime/v1/websocket   (private broadcast channels, authorised by RLS)
  anon key         ${stack.anonKey}
  service_role key ${stack.serviceRoleKey}
  Database         ${stack.where} — ${stack.migrated.applied.length} migrations applied now, ${stack.seeded.status === 'seeded' ? 'demo data loaded' : 'demo data already there'}
  JWT secret       ${config.SUPABASE_JWT_SECRET === localJwtSecret ? 'the local development secret (set SUPABASE_JWT_SECRET to change it)' : 'from SUPABASE_JWT_SECRET'}

${formatDemoAccounts()}

Sign in as any account above: supabase-js createClient(URL, anon key), or by hand:
  curl -H "apikey: ${stack.anonKey}" -H "Content-Type: application/json" \\
    -d '{"email":"rep@acme.example","password":"${DEMO_PASSWORD}"}' "${url}/auth/v1/token?grant_type=password"
  then call ${api}/me with "Authorization: Bearer <access_token>".

Ctrl-C stops.`
}

// The API alone on Node, as a self-hosted server: `npx tsx functions/entries/node-main.ts`
// with DATABASE_URL and the variables in the README's configuration table.
// `npm start` (scripts/start.ts) is the same root inside the local stack.
import { ConfigError } from '../config.ts'
import { guardProcess, startNodeServer, stopOnSignals } from './node.ts'

// A server, not a test: the known postgres.js driver error is logged, anything else uncaught still exits.
guardProcess()
try {
  const server = await startNodeServer(process.env)
  stopOnSignals(() => server.close())
  console.log(
    JSON.stringify({
      time: new Date().toISOString(),
      level: 'info',
      event: 'listening',
      url: `${server.url}${server.root.config.API_BASE_PATH}`,
      database: server.root.where,
    }),
  )
} catch (error) {
  // A wrong setting is the operator's to fix: its message names it, a stack trace would only hide it.
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
}

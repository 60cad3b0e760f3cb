// npm run db:schema [-- --database-url postgres://…]   writes supabase/schema.sql
//   from supabase/migrations/ applied to an empty database: an in-process PGlite
//   (nothing to install), or a scratch database that it creates and drops on the
//   server at that URL (the database the URL names is not touched). DATABASE_URL
//   is not read: the file must not depend on where a shell happens to point.
//   Run it after adding a migration; scripts/db/schema-file/index.test.ts fails
//   until you do.
import { readFile, writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { redactUrl } from './env.ts'
import { runMain } from './run-main.ts'
import { generateSchemaFile, schemaFilePath } from './schema-file/index.ts'

await runMain(async () => {
  const { values } = parseArgs({ options: { 'database-url': { type: 'string' } }, strict: true })
  const serverUrl = values['database-url']
  const started = performance.now()
  const text = await generateSchemaFile({ serverUrl })
  const before = await readFile(schemaFilePath, 'utf8').catch(() => '')
  await writeFile(schemaFilePath, text)
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.log(
    `${before === text ? 'Unchanged' : 'Wrote'} supabase/schema.sql (${text.split('\n').length - 1} lines) ` +
      `in ${seconds} s on ${serverUrl ? redactUrl(serverUrl) : 'an in-process PGlite'}.`,
  )
})

// npm run import -- --org <id> [--as <email>] [--map Company:name,…] customers.csv contacts.csv
// Imports CSV (or .json) files with the same code as POST /orgs/{orgId}/imports/…,
// as a member of the organization (default: its owner), so RLS applies. Which
// import a file is: its name (customers…, contacts…), else its header (a
// customer_name or customer_external_id column means contacts). Customers
// files go first, so contacts find their customers. See docs/import-export.md.

import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { parseCsv } from '../functions/transfer/csv.ts'
import { acceptsContactField, importContacts } from '../functions/transfer/import-contacts.ts'
import { acceptsCustomerField, importCustomers } from '../functions/transfer/import-customers.ts'
import { defaultChunkSize, type ImportReport } from '../functions/transfer/import-in-chunks.ts'
import { parseMapping, rowsFromCsv, rowsFromJson } from '../functions/transfer/source.ts'
import { openScriptDatabase } from './db/env.ts'
import { runMain } from './db/run-main.ts'
import { callerFor } from './transfer/caller.ts'

const usage = 'Usage: npm run import -- --org <id> [--as <email>] [--map Column:field,…] file.csv …'

type Kind = 'customers' | 'contacts'

function kindOf(path: string, text: string): Kind {
  const name = basename(path).toLowerCase()
  if (name.startsWith('contacts')) return 'contacts'
  if (name.startsWith('customers')) return 'customers'
  const header = path.endsWith('.json')
    ? Object.keys((JSON.parse(text) as Record<string, unknown>[])[0] ?? {})
    : (parseCsv(text.slice(0, text.indexOf('\n') + 1 || undefined))[0]?.cells ?? [])
  return header.some((h) => h.trim().toLowerCase().startsWith('customer_')) ? 'contacts' : 'customers'
}

await runMain(async () => {
  const { values, positionals } = parseArgs({
    options: {
      org: { type: 'string' },
      as: { type: 'string' },
      map: { type: 'string' },
      chunk: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  })
  if (!values.org || positionals.length === 0) throw new Error(usage)
  const orgId = values.org
  const chunkSize = values.chunk ? Number(values.chunk) : defaultChunkSize
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new Error('--chunk must be a positive integer')
  const mapping = parseMapping(values.map)
  const files = await Promise.all(
    positionals.map(async (path) => {
      const text = await readFile(path, 'utf8')
      return { path, text, kind: kindOf(path, text) }
    }),
  )
  files.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'customers' ? -1 : 1))

  const { db, where } = await openScriptDatabase()
  let rejected = 0
  try {
    const { run, who } = await callerFor(db, orgId, values.as)
    console.log(`Importing into organization ${orgId} as ${who} on ${where}`)
    for (const file of files) {
      const accepts = file.kind === 'customers' ? acceptsCustomerField : acceptsContactField
      const rows = file.path.endsWith('.json')
        ? rowsFromJson(JSON.parse(file.text), accepts, mapping)
        : rowsFromCsv(file.text, accepts, mapping)
      const started = performance.now()
      const importer = file.kind === 'customers' ? importCustomers : importContacts
      const report = await importer(run, orgId, rows, chunkSize)
      const seconds = ((performance.now() - started) / 1000).toFixed(1)
      printReport(file.path, file.kind, report, seconds)
      rejected += report.rejected_rows
    }
  } finally {
    await db.close()
  }
  if (rejected > 0) process.exitCode = 2
})

function printReport(path: string, kind: Kind, report: ImportReport, seconds: string) {
  console.log(
    `${path} (${kind}): ${report.rows} rows in ${seconds} s — ${report.created} created, ` +
      `${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected_rows} in rejected chunks`,
  )
  for (const chunk of report.chunks) {
    if (chunk.status !== 'rejected') continue
    console.log(`  chunk ${chunk.chunk} (lines ${chunk.first_line}–${chunk.last_line}) not imported:`)
    for (const e of chunk.errors) console.log(`    line ${e.line}, ${e.field}: ${e.message}`)
  }
}

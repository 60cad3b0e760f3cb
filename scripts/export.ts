// npm run export -- --org <id> [--as <email>] --out <dir>
// Writes <dir>/customers.csv and <dir>/contacts.csv with the same code as
// GET /orgs/{orgId}/exports/…, as a member (default: the owner), page by page:
// the rows never sit in memory. Prints rows, time and peak RSS.

import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  type CsvExport,
  type CsvPage,
  exportContacts,
  exportCustomers,
} from '../functions/transfer/export.ts'
import { openScriptDatabase } from './db/env.ts'
import { runMain } from './db/run-main.ts'
import { callerFor } from './transfer/caller.ts'

let peakRss = process.memoryUsage().rss
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss)
}

async function writeExport(csv: CsvExport, path: string): Promise<number> {
  const out = createWriteStream(path)
  let records = 0
  const write = async (page: CsvPage) => {
    records += page.records
    sampleRss()
    if (!out.write(page.csv)) await once(out, 'drain')
  }
  await write(csv.first)
  for await (const page of csv.rest) await write(page)
  out.end()
  await once(out, 'finish')
  return records
}

await runMain(async () => {
  const { values } = parseArgs({
    options: { org: { type: 'string' }, as: { type: 'string' }, out: { type: 'string' } },
    strict: true,
  })
  if (!values.org || !values.out)
    throw new Error('Usage: npm run export -- --org <id> [--as <email>] --out <dir>')
  const orgId = values.org
  await mkdir(values.out, { recursive: true })
  const { db, where } = await openScriptDatabase()
  const timer = setInterval(sampleRss, 50)
  try {
    const { run, who } = await callerFor(db, orgId, values.as)
    console.log(`Exporting organization ${orgId} as ${who} from ${where}`)
    for (const [name, exporter] of [
      ['customers.csv', exportCustomers],
      ['contacts.csv', exportContacts],
    ] as const) {
      const started = performance.now()
      const path = join(values.out, name)
      const records = await writeExport(await exporter(run, orgId), path)
      const seconds = ((performance.now() - started) / 1000).toFixed(1)
      console.log(`${path}: ${records} records in ${seconds} s`)
    }
  } finally {
    clearInterval(timer)
    await db.close()
  }
  console.log(`Peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB`)
})

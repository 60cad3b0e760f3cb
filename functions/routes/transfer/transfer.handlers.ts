import type { RouteHandler } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../../context.ts'
import type { Transaction } from '../../db/database.ts'
import { problems } from '../../problems/problem.ts'
import { asCaller } from '../../queries/as-caller.ts'
import { CsvSyntaxError } from '../../transfer/csv.ts'
import { type CsvExport, csvStream, exportContacts, exportCustomers } from '../../transfer/export.ts'
import { acceptsContactField, importContacts } from '../../transfer/import-contacts.ts'
import { acceptsCustomerField, importCustomers } from '../../transfer/import-customers.ts'
import { assertCanImport, type ImportReport, type RunAsCaller } from '../../transfer/import-in-chunks.ts'
import {
  parseMapping,
  rowsFromCsv,
  rowsFromJson,
  SourceError,
  type SourceRow,
} from '../../transfer/source.ts'
import type * as routes from './transfer.routes.ts'

const runAs =
  (c: Context<AppEnv>): RunAsCaller =>
  <T>(fn: (tx: Transaction) => Promise<T>) =>
    asCaller(c, fn)

function download(c: Context<AppEnv>, csv: CsvExport, filename: string) {
  // Through the context, so the headers middleware set (request id, CORS, security) stay on it.
  return c.body(csvStream(csv), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'private, no-store',
  })
}

const today = () => new Date().toISOString().slice(0, 10)

export const exportCustomersCsv: RouteHandler<typeof routes.exportCustomers, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  return download(c, await exportCustomers(runAs(c), orgId), `customers-${today()}.csv`)
}

export const exportContactsCsv: RouteHandler<typeof routes.exportContacts, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  return download(c, await exportContacts(runAs(c), orgId), `contacts-${today()}.csv`)
}

/** The body as rows: CSV (text/csv) or a JSON array, columns mapped by name with the query's overrides. */
async function sourceRows(c: Context<AppEnv>, accepts: (field: string) => boolean): Promise<SourceRow[]> {
  const type = (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase()
  try {
    const mapping = parseMapping(c.req.query('map'))
    if (type === 'text/csv') return rowsFromCsv(await c.req.text(), accepts, mapping)
    if (type === 'application/json') {
      let body: unknown
      try {
        body = JSON.parse(await c.req.text())
      } catch {
        throw problems.malformedJson()
      }
      return rowsFromJson(body, accepts, mapping)
    }
  } catch (error) {
    if (error instanceof SourceError || error instanceof CsvSyntaxError)
      throw problems.badRequest(error.message, [{ field: 'body', message: error.message }])
    throw error
  }
  throw problems.unsupportedMediaType()
}

async function runImport(
  c: Context<AppEnv>,
  accepts: (field: string) => boolean,
  importer: (run: RunAsCaller, orgId: string, rows: SourceRow[]) => Promise<ImportReport>,
) {
  const orgId = c.req.param('orgId') as string
  // The role first: a caller who may not import gets 403 (or 404), not a report on their file.
  await asCaller(c, (tx) => assertCanImport(tx, orgId))
  const rows = await sourceRows(c, accepts)
  return c.json(await importer(runAs(c), orgId, rows), 200)
}

export const importCustomersHandler: RouteHandler<typeof routes.importCustomers, AppEnv> = (c) =>
  runImport(c, acceptsCustomerField, importCustomers)

export const importContactsHandler: RouteHandler<typeof routes.importContacts, AppEnv> = (c) =>
  runImport(c, acceptsContactField, importContacts)

import { z } from '@hono/zod-openapi'
import {
  bearerAuth,
  createApiRoute,
  fileDownload,
  jsonContent,
  problemResponses,
} from '../../http/openapi-common.ts'
import { OrgParams } from '../../http/params.ts'
import { importBodyLimit } from './import-body-limit.ts'

const tags = ['Import and export']

const csvDownload = (what: string) =>
  fileDownload(
    'text/csv',
    `${what} as CSV (RFC 4180, UTF-8, CRLF); cells that would start a spreadsheet formula begin with '`,
  )

export const exportCustomers = createApiRoute({
  method: 'get',
  path: '/orgs/{orgId}/exports/customers.csv',
  tags,
  security: bearerAuth,
  summary: 'Download the organization’s customers (owner, phase, monthly hours, external ids), streamed',
  request: { params: OrgParams },
  responses: { 200: csvDownload('The customers'), ...problemResponses(404) },
})

export const exportContacts = createApiRoute({
  method: 'get',
  path: '/orgs/{orgId}/exports/contacts.csv',
  tags,
  security: bearerAuth,
  summary: 'Download the organization’s contacts with their customer, streamed',
  request: { params: OrgParams },
  responses: { 200: csvDownload('The contacts'), ...problemResponses(404) },
})

export const ImportQuery = z.object({
  map: z.string().max(2000).optional().openapi({
    description: 'Column overrides, `Column:field` comma-separated',
    example: 'Company:name,Stage:phase',
  }),
})

const RowError = z.object({ line: z.number().int(), field: z.string(), message: z.string() })

export const ImportReport = z
  .object({
    rows: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected_rows: z.number().int(),
    chunks: z.array(
      z.object({
        chunk: z.number().int(),
        first_line: z.number().int(),
        last_line: z.number().int(),
        rows: z.number().int(),
        status: z.enum(['imported', 'rejected']),
        created: z.number().int(),
        updated: z.number().int(),
        unchanged: z.number().int(),
        errors: z.array(RowError),
      }),
    ),
  })
  .openapi('ImportReport')

// The body is read by the handler, not by zod-openapi: a CSV is no JSON schema, and a
// JSON array of rows (also accepted, `application/json`) is checked row by row with the
// resource's own schema, so it is described here rather than declared as a schema.
const importBody = {
  required: true,
  description:
    'A CSV file with a header row (`text/csv`), or a JSON array of objects keyed by column (`application/json`)',
  content: {
    'text/csv': { schema: z.string().openapi({ description: 'A header row, then one record per row' }) },
  },
}

const importRoute = (what: 'customers' | 'contacts', summary: string) =>
  createApiRoute({
    method: 'post',
    path: `/orgs/{orgId}/imports/${what}`,
    tags,
    security: bearerAuth,
    summary,
    request: { params: OrgParams, query: ImportQuery, body: importBody },
    middleware: importBodyLimit,
    responses: {
      200: jsonContent(ImportReport, 'What each chunk imported, or every bad row of a rejected chunk'),
      ...problemResponses(403, 404),
    },
  })

export const importCustomers = importRoute(
  'customers',
  'Import customers (owners and admins): upsert by external id, else by exact name',
)
export const importContacts = importRoute(
  'contacts',
  'Import contacts (owners and admins): attach by customer external id or name, upsert by email',
)

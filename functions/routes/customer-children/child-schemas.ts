import { z } from '@hono/zod-openapi'
import { versionField } from '../../http/openapi-common.ts'

/** Zod pieces every child of a customer shares; each kind's schemas file adds its own fields. */
const uuid = z.uuid()
const timestamp = z.iso.datetime({ offset: true })

/** A child row as the API returns it: ids and timestamps around the kind's own fields. */
export const childRow = <S extends z.ZodRawShape>(fields: S) =>
  z.object({
    id: uuid,
    org_id: uuid,
    customer_id: uuid,
    ...fields,
    created_at: timestamp,
    updated_at: timestamp,
    version: versionField,
  })

/** Names of contacts, teams, processes and services, as their tables check them. */
export const childName = z.string().trim().min(1).max(200)

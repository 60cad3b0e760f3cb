import { z } from '@hono/zod-openapi'
import { patchOf } from '../../http/patch-body.ts'
import { childName, childRow } from '../customer-children/child-schemas.ts'

/** The single source of a contact's shape; the checks mirror the table's, so mistakes are 400s with the field named. */
export const Contact = childRow({
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  role: z.string().nullable().openapi({ description: 'Their role at the customer', example: 'CFO' }),
}).openapi('Contact')

export const ContactCreate = z
  .strictObject({
    name: childName,
    email: z.email().max(320).nullable().optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()./-]{3,32}$/, 'is not a phone number')
      .nullable()
      .optional()
      .openapi({ example: '+44 20 7946 0958' }),
    role: z.string().trim().max(100).nullable().optional(),
  })
  .openapi('ContactCreate')

export const ContactPatch = patchOf(ContactCreate).openapi('ContactPatch')

import { z } from '@hono/zod-openapi'
import { patchOf } from '../../http/patch-body.ts'
import { childName, childRow } from '../customer-children/child-schemas.ts'

/** A team at the customer and the finance code its work is billed against (unique per customer). */
export const Team = childRow({
  name: z.string(),
  finance_code: z.string().openapi({ example: 'FC-2024/07' }),
}).openapi('Team')

export const TeamCreate = z
  .strictObject({
    name: childName,
    finance_code: z
      .string()
      .trim()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/,
        'must be 1–40 letters, digits or . _ / - (starting alphanumeric)',
      ),
  })
  .openapi('TeamCreate')

export const TeamPatch = patchOf(TeamCreate).openapi('TeamPatch')

import { z } from '@hono/zod-openapi'
import { patchOf } from '../../http/patch-body.ts'
import { childName, childRow } from '../customer-children/child-schemas.ts'

const monthlyHours = z.number().min(0).max(10000)

/** A service delivered to the customer and the hours it takes a month. */
export const Service = childRow({
  name: z.string(),
  monthly_hours: z.number().openapi({ description: 'Hours a month, to the hundredth', example: 12.5 }),
}).openapi('Service')

export const ServiceCreate = z
  .strictObject({
    name: childName,
    monthly_hours: monthlyHours
      .optional()
      .openapi({ description: '0–10000, stored to the hundredth; defaults to 0' }),
  })
  .openapi('ServiceCreate')

export const ServicePatch = patchOf(ServiceCreate).openapi('ServicePatch')

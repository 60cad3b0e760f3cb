import { z } from '@hono/zod-openapi'
import { MembershipRole } from '../me/me.schemas.ts'

/** The single source of an organization's shape as its creator gets it back. */
export const Organization = z
  .object({
    id: z.uuid(),
    name: z.string(),
    time_zone: z.string(),
    role: MembershipRole.openapi({ description: 'Your role in it: its creator owns it' }),
    created_at: z.iso.datetime({ offset: true }),
  })
  .openapi('Organization')

export const OrganizationCreate = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    time_zone: z.string().min(1).max(64).optional().openapi({
      description: 'An IANA zone the database knows (default UTC): its day for the metrics',
      example: 'Europe/Berlin',
    }),
  })
  .openapi('OrganizationCreate')

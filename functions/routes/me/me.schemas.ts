import { z } from '@hono/zod-openapi'
import { membershipRoles } from '../../domain/vocabulary.ts'

/** The single source of the caller's own shape: the API validates with it, OpenAPI is generated from it. */
export const MembershipRole = z.enum(membershipRoles).openapi('MembershipRole')

export const MyMembership = z
  .object({
    org_id: z.uuid(),
    org_name: z.string(),
    role: MembershipRole,
    live_topic: z.string().openapi({
      description:
        'The private Realtime topic of the organization’s changes (`org:<key>`). It changes whenever someone ' +
        'leaves the organization; a `topic_rotated` broadcast on the old one says to fetch it again.',
      example: 'org:5b0c2c4e-3f5e-4a43-9d59-7f5d3c1c7a10',
    }),
  })
  .openapi('MyMembership')

export const Me = z
  .object({
    id: z.uuid(),
    email: z.string(),
    username: z.string(),
    display_name: z.string(),
    memberships: z.array(MyMembership).openapi({ description: 'Ordered by organization name' }),
  })
  .openapi('Me')

/** As public.users checks it (users_username_format): 3–40 characters, lowercase. */
const username = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,38}[a-z0-9]$/, {
    message: 'must be 3–40 lowercase letters, digits, . _ or -, starting and ending with a letter or digit',
  })
  .openapi({ example: 'ada.lovelace' })

/** Only the presentation of a profile is the caller's: id and email belong to Auth. */
export const MePatch = z
  .strictObject({
    display_name: z.string().trim().min(1).max(200).optional(),
    username: username.optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'send at least one field to change' })
  .openapi('MePatch')

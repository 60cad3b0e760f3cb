import { z } from '@hono/zod-openapi'
import { assignableRoles } from '../../domain/vocabulary.ts'
import { PageQuery } from '../../http/params.ts'
import { MembershipRole } from '../me/me.schemas.ts'

/** The single source of a member's shape: the API answers with it, OpenAPI is generated from it. */
export const Member = z
  .object({
    user_id: z.uuid(),
    display_name: z.string(),
    username: z.string(),
    role: MembershipRole,
  })
  .openapi('Member')

export const MemberListQuery = PageQuery

export const MemberPage = z
  .object({ data: z.array(Member), next_cursor: z.string().nullable() })
  .openapi('MemberPage')

export const MemberParams = z.object({
  orgId: z.uuid().openapi({ param: { name: 'orgId', in: 'path' } }),
  userId: z.uuid().openapi({ param: { name: 'userId', in: 'path' } }),
})

/** Any role but owner: ownership moves only by an explicit transfer. */
export const MemberRoleChange = z
  .strictObject({
    role: z.enum(assignableRoles).openapi({
      description: 'At most your own role; making an owner is POST …/transfer-ownership',
    }),
  })
  .openapi('MemberRoleChange')

export const OwnershipTransfer = z
  .object({ new_owner: Member, previous_owner: Member })
  .openapi('OwnershipTransfer')

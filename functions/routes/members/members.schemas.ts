import { z } from '@hono/zod-openapi'
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

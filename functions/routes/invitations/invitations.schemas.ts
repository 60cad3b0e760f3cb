import { z } from '@hono/zod-openapi'
import { invitationStatuses } from '../../domain/vocabulary.ts'
import { PageQuery } from '../../http/params.ts'
import { MembershipRole } from '../me/me.schemas.ts'

const uuid = z.uuid()
const timestamp = z.iso.datetime({ offset: true })

export const InvitationStatus = z.enum(invitationStatuses).openapi('InvitationStatus')

/** The single source of an invitation's shape, as admins see it. */
export const Invitation = z
  .object({
    id: uuid,
    org_id: uuid,
    email: z.string().openapi({ description: 'Lower case, as stored and compared' }),
    role: MembershipRole,
    status: InvitationStatus,
    invited_by: uuid.nullable(),
    created_at: timestamp,
    expires_at: timestamp,
    ended_at: timestamp.nullable(),
    ended_by: uuid.nullable(),
  })
  .openapi('Invitation')

export const InvitationCreate = z
  .strictObject({
    // GoTrue refuses addresses over 255 characters; the database checks the same.
    email: z.email().max(255).openapi({ example: 'new.colleague@example.com' }),
    role: MembershipRole.default('viewer').openapi({
      description: 'At most your own role: admins offer up to admin, owners any role',
    }),
  })
  .openapi('InvitationCreate')

export const InvitationListQuery = PageQuery.extend({
  status: InvitationStatus.optional().openapi({ description: 'Only invitations in this state' }),
})

export const InvitationPage = z
  .object({ data: z.array(Invitation), next_cursor: z.string().nullable() })
  .openapi('InvitationPage')

/** An invitation as its invitee sees it: what they are invited to, and by whom. */
export const MyInvitation = z
  .object({
    id: uuid,
    org_id: uuid,
    org_name: z.string(),
    role: MembershipRole,
    invited_by_name: z.string().nullable(),
    created_at: timestamp,
    expires_at: timestamp,
  })
  .openapi('MyInvitation')

export const MyInvitationList = z
  .object({
    data: z.array(MyInvitation).openapi({ description: 'Open and unexpired, newest first (at most 100)' }),
  })
  .openapi('MyInvitationList')

export const AcceptedInvitation = z
  .object({
    org_id: uuid,
    org_name: z.string(),
    role: MembershipRole.openapi({ description: 'Your role now: an invitation never lowers a role you had' }),
    already_member: z.boolean(),
  })
  .openapi('AcceptedInvitation')

import { z } from '@hono/zod-openapi'
import { chatRoles } from '../../domain/vocabulary.ts'
import { versionField } from '../../http/openapi-common.ts'

/** The single source of chat's shapes: the API validates with them, OpenAPI is generated from them. */
const uuid = z.uuid()
const timestamp = z.iso.datetime({ offset: true })
const title = z.string().trim().min(1).max(200)

export const ChatSession = z
  .object({
    id: uuid,
    org_id: uuid,
    title: z.string(),
    created_at: timestamp,
    updated_at: timestamp.openapi({ description: 'Last activity: a rename or a new message' }),
    version: versionField,
  })
  .openapi('ChatSession')

/** What a client may set when starting a session: the body itself is optional. */
export const ChatSessionCreate = z
  .strictObject({ title: title.optional().openapi({ description: 'Defaults to "New chat"' }) })
  .openapi('ChatSessionCreate')

/** A rename is all a session allows. */
export const ChatSessionPatch = z.strictObject({ title }).openapi('ChatSessionPatch')

export const ChatSessionPage = z
  .object({ data: z.array(ChatSession), next_cursor: z.string().nullable() })
  .openapi('ChatSessionPage')

export const ChatRole = z.enum(chatRoles).openapi('ChatRole')

export const ChatMessage = z
  .object({
    id: uuid,
    session_id: uuid,
    role: ChatRole,
    content: z.string(),
    created_at: timestamp,
  })
  .openapi('ChatMessage')

/**
 * A client writes only its own turns: no `role` (assistant and system turns
 * come from the service role), no session or org (taken from the path).
 */
export const ChatMessageCreate = z
  .strictObject({
    content: z
      .string()
      .min(1, { abort: true })
      .max(20000)
      .refine((s) => s.trim().length > 0, { message: 'must not be blank' }),
  })
  .openapi('ChatMessageCreate')

export const ChatMessagePage = z
  .object({ data: z.array(ChatMessage), next_cursor: z.string().nullable() })
  .openapi('ChatMessagePage')

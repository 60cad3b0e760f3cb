import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import { isoTimestamp } from '../../db/timestamps.ts'
import { conditionalGet } from '../../http/conditional-get.ts'
import { createdResponse, sendCreated } from '../../http/created.ts'
import { decodeCursor } from '../../http/cursor.ts'
import { etagOf, ifMatchVersion, versionString } from '../../http/etag.ts'
import { idempotent } from '../../http/idempotency.ts'
import { keysetPage } from '../../http/keyset-page.ts'
import { problems } from '../../problems/problem.ts'
import { asCaller } from '../../queries/as-caller.ts'
import {
  deleteSession,
  createMessage as insertMessage,
  createSession as insertSession,
  type MessageDbRow,
  messageSort,
  listMessages as readMessages,
  getSession as readSession,
  listSessions as readSessions,
  type SessionDbRow,
  sessionSort,
  renameSession as updateSessionTitle,
} from '../../queries/chat.ts'
import { assertOrgVisible } from '../../queries/visibility.ts'
import type * as routes from './chat.routes.ts'

const toSession = (row: SessionDbRow) => ({
  id: row.id,
  org_id: row.org_id,
  title: row.title,
  created_at: isoTimestamp(row.created_at),
  updated_at: isoTimestamp(row.updated_at),
  version: versionString(row.version),
})

const toMessage = (row: MessageDbRow) => ({
  id: row.id,
  session_id: row.session_id,
  role: row.role as 'user',
  content: row.content,
  created_at: isoTimestamp(row.created_at),
})

export const listSessions: RouteHandler<typeof routes.listSessions, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const { limit, cursor } = c.req.valid('query')
  const after = decodeCursor(cursor, sessionSort.name)
  const rows = await asCaller(c, (tx) => readSessions(tx, orgId, { limit, after }))
  return c.json(keysetPage(rows, limit, sessionSort.name, toSession), 200)
}

export const createSession: RouteHandler<typeof routes.createSession, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const body = c.req.valid('json')
  const result = await asCaller(c, async (tx) => {
    await assertOrgVisible(tx, orgId)
    return idempotent(c, tx, async () => {
      const session = await insertSession(tx, orgId, body.title ?? null)
      return createdResponse(toSession(session), {
        etag: etagOf(session.version),
        location: `${c.var.deps.config.API_BASE_PATH}/chat/sessions/${session.id}`,
      })
    })
  })
  return sendCreated<ReturnType<typeof toSession>>(c, result)
}

export const getSession: RouteHandler<typeof routes.getSession, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const row = await asCaller(c, (tx) => readSession(tx, id))
  if (!row) throw problems.notFound('chat session')
  return conditionalGet(c, etagOf(row.version), () => c.json(toSession(row), 200))
}

export const renameSession: RouteHandler<typeof routes.renameSession, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const { title } = c.req.valid('json')
  const expectedVersion = ifMatchVersion(c)
  const row = await asCaller(c, (tx) => updateSessionTitle(tx, id, title, expectedVersion))
  c.header('ETag', etagOf(row.version))
  return c.json(toSession(row), 200)
}

export const removeSession: RouteHandler<typeof routes.removeSession, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const expectedVersion = ifMatchVersion(c)
  await asCaller(c, (tx) => deleteSession(tx, id, expectedVersion))
  return c.body(null, 204)
}

export const listMessages: RouteHandler<typeof routes.listMessages, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const { limit, cursor } = c.req.valid('query')
  const after = decodeCursor(cursor, messageSort.name)
  const rows = await asCaller(c, (tx) => readMessages(tx, id, { limit, after }))
  return c.json(keysetPage(rows, limit, messageSort.name, toMessage), 200)
}

export const createMessage: RouteHandler<typeof routes.createMessage, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const { content } = c.req.valid('json')
  const result = await asCaller(c, (tx) =>
    idempotent(c, tx, async () => {
      const row = await insertMessage(tx, id, content)
      if (!row) throw problems.notFound('chat session')
      return createdResponse(toMessage(row))
    }),
  )
  return sendCreated<ReturnType<typeof toMessage>>(c, result)
}

import type { RouteHandler } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../../context.ts'
import type { Transaction } from '../../db/database.ts'
import { asCaller } from '../../http/as-caller.ts'
import { etagOf, ifMatchVersion, versionString } from '../../http/etag.ts'
import { deleteById, explainNoRow, versionCheck } from '../../http/explain-no-row.ts'
import { idempotent, type StoredResponse } from '../../http/idempotency.ts'
import { keysetPage } from '../../http/keyset-page.ts'
import { keysetQuery } from '../../http/keyset-query.ts'
import { assertOrgVisible, readAfterCheck } from '../../http/org-visible.ts'
import { isoTimestamp } from '../../http/sql.ts'
import { problems } from '../../problems/problem.ts'
import type * as routes from './chat.routes.ts'
import {
  type MessageDbRow,
  messageColumns,
  messageSort,
  type SessionDbRow,
  sessionColumns,
  sessionSort,
} from './chat.sql.ts'

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

/** Sends the headers of a create that `idempotent` ran or replayed. */
function sendHeadersOf(c: Context<AppEnv>, result: StoredResponse & { replayed: boolean }) {
  for (const [name, value] of Object.entries(result.headers ?? {})) c.header(name, value)
  if (result.replayed) c.header('Idempotent-Replayed', 'true')
}

export const listSessions: RouteHandler<typeof routes.listSessions, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const { limit, cursor } = c.req.valid('query')
  const params: unknown[] = [orgId]
  const page = keysetQuery(sessionSort, cursor, limit, params)
  const rows = await asCaller(c, (tx) =>
    readAfterCheck(
      assertOrgVisible(tx, orgId),
      // Own sessions only: RLS says so too, the WHERE clause lets the planner use chat_sessions_user_idx.
      tx.query<SessionDbRow & { sort_value: string }>(
        `select ${sessionColumns}, ${page.sortValue} as sort_value
         from public.chat_sessions s
         where s.user_id = (select auth.uid()) and s.org_id = $1 ${page.after ? `and ${page.after}` : ''}
         order by ${page.orderBy}
         limit ${page.limit}`,
        params,
      ),
    ),
  )
  return c.json(keysetPage(rows, limit, sessionSort.name, toSession), 200)
}

export const createSession: RouteHandler<typeof routes.createSession, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const body = c.req.valid('json')
  const result = await asCaller(c, async (tx) => {
    await assertOrgVisible(tx, orgId)
    return idempotent(c, tx, async () => {
      const [row] = await tx.query<SessionDbRow>(
        `with s as (
           insert into public.chat_sessions (org_id, user_id, title)
           values ($1, auth.uid(), coalesce($2, 'New chat'))
           returning *
         )
         select ${sessionColumns} from s`,
        [orgId, body.title ?? null],
      )
      const session = row as SessionDbRow
      return {
        status: 201,
        body: toSession(session),
        headers: {
          ETag: etagOf(session.version),
          Location: `${c.var.deps.config.API_BASE_PATH}/chat/sessions/${session.id}`,
        },
      }
    })
  })
  sendHeadersOf(c, result)
  return c.json(result.body as ReturnType<typeof toSession>, 201)
}

export const getSession: RouteHandler<typeof routes.getSession, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const [row] = await asCaller(c, (tx) =>
    tx.query<SessionDbRow>(`select ${sessionColumns} from public.chat_sessions s where s.id = $1`, [id]),
  )
  if (!row) throw problems.notFound('chat session')
  c.header('ETag', etagOf(row.version))
  c.header('Cache-Control', 'private, no-cache')
  return c.json(toSession(row), 200)
}

export const renameSession: RouteHandler<typeof routes.renameSession, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const { title } = c.req.valid('json')
  const expectedVersion = ifMatchVersion(c)
  const params: unknown[] = [id, title]
  const check = versionCheck(params, expectedVersion)
  const row = await asCaller(c, async (tx) => {
    const [updated] = await tx.query<SessionDbRow>(
      `with s as (
         update public.chat_sessions set title = $2 where id = $1 ${check} returning *
       )
       select ${sessionColumns} from s`,
      params,
    )
    return updated ?? explainNoRow(tx, 'public.chat_sessions', 'chat session', id, expectedVersion)
  })
  c.header('ETag', etagOf(row.version))
  return c.json(toSession(row), 200)
}

export const removeSession: RouteHandler<typeof routes.removeSession, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const expectedVersion = ifMatchVersion(c)
  await asCaller(c, (tx) => deleteById(tx, 'public.chat_sessions', 'chat session', id, expectedVersion))
  return c.body(null, 204)
}

/** The session's organization, or 404 when it is not the caller's (RLS hides it, even from an owner). */
async function sessionOrg(tx: Transaction, sessionId: string): Promise<string> {
  const [row] = await tx.query<{ org_id: string }>('select org_id from public.chat_sessions where id = $1', [
    sessionId,
  ])
  if (!row) throw problems.notFound('chat session')
  return row.org_id
}

export const listMessages: RouteHandler<typeof routes.listMessages, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const { limit, cursor } = c.req.valid('query')
  const rows = await asCaller(c, async (tx) => {
    const params: unknown[] = [id, await sessionOrg(tx, id)]
    const page = keysetQuery(messageSort, cursor, limit, params)
    return tx.query<MessageDbRow & { sort_value: string }>(
      `select ${messageColumns}, ${page.sortValue} as sort_value
       from public.chat_messages m
       where m.session_id = $1 and m.org_id = $2 ${page.after ? `and ${page.after}` : ''}
       order by ${page.orderBy}
       limit ${page.limit}`,
      params,
    )
  })
  return c.json(keysetPage(rows, limit, messageSort.name, toMessage), 200)
}

export const createMessage: RouteHandler<typeof routes.createMessage, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const { content } = c.req.valid('json')
  const result = await asCaller(c, (tx) =>
    idempotent(c, tx, async () => {
      // The org comes from the session, never from the client; a session that is
      // not the caller's selects nothing, so nothing is inserted.
      const [row] = await tx.query<MessageDbRow>(
        `with m as (
           insert into public.chat_messages (org_id, session_id, role, content)
           select s.org_id, s.id, 'user', $2 from public.chat_sessions s where s.id = $1
           returning *
         )
         select ${messageColumns} from m`,
        [id, content],
      )
      if (!row) throw problems.notFound('chat session')
      return { status: 201, body: toMessage(row) }
    }),
  )
  sendHeadersOf(c, result)
  return c.json(result.body as ReturnType<typeof toMessage>, 201)
}

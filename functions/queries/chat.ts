import type { Queryable } from '../db/database.ts'
import { sql } from '../db/sql.ts'
import { problems } from '../problems/problem.ts'
import { type KeysetAfter, type KeysetRow, type KeysetSort, keysetClauses } from './keyset.ts'
import { deleteById, explainNoRow, versionCheck, versionOf } from './row-versions.ts'
import { assertOrgVisible, readAfterCheck } from './visibility.ts'

/** Chat sessions and their messages: each caller's own (RLS hides everyone else's, even from an owner). */

const chatSessions = sql.identifier('public.chat_sessions')

/** The columns a session response is read with. `s` is public.chat_sessions. */
const sessionColumns = sql`s.id, s.org_id, s.title, s.created_at, s.updated_at,
  ${versionOf(sql`s.updated_at`)} as version`

/** The columns a message response is read with. `m` is public.chat_messages. */
const messageColumns = sql`m.id, m.session_id, m.role, m.content, m.created_at`

/** Sessions by last activity, newest first. */
export const sessionSort: KeysetSort = {
  name: '-updated_at',
  column: sql`s.updated_at`,
  type: sql`timestamptz`,
  idColumn: sql`s.id`,
}

/** Messages in the order they were written (same-instant ties by id). */
export const messageSort: KeysetSort = {
  name: 'created_at',
  column: sql`m.created_at`,
  type: sql`timestamptz`,
  idColumn: sql`m.id`,
}

export type SessionDbRow = {
  id: string
  org_id: string
  title: string
  created_at: Date | string
  updated_at: Date | string
  version: number | string
}

export type MessageDbRow = {
  id: string
  session_id: string
  role: string
  content: string
  created_at: Date | string
}

export interface ChatPage {
  limit: number
  after?: KeysetAfter | undefined
}

/** One keyset page (and one row more) of the caller's sessions in an organization; 404 when it is hidden. */
export function listSessions(
  tx: Queryable,
  orgId: string,
  { limit, after }: ChatPage,
): Promise<(SessionDbRow & KeysetRow)[]> {
  const page = keysetClauses(sessionSort, after, limit)
  return readAfterCheck(
    assertOrgVisible(tx, orgId),
    // Own sessions only: RLS says so too, the WHERE clause lets the planner use chat_sessions_user_idx.
    tx.query<SessionDbRow & KeysetRow>(
      sql`select ${sessionColumns}, ${page.sortValue} as sort_value
          from public.chat_sessions s
          where s.user_id = (select auth.uid()) and s.org_id = ${orgId} and ${page.after}
          order by ${page.orderBy}
          limit ${page.limit}`,
    ),
  )
}

/** Starts a session of the caller's (the title defaults to "New chat"). */
export async function createSession(
  tx: Queryable,
  orgId: string,
  title: string | null,
): Promise<SessionDbRow> {
  const [row] = await tx.query<SessionDbRow>(
    sql`with s as (
          insert into public.chat_sessions (org_id, user_id, title)
          values (${orgId}, auth.uid(), coalesce(${title}, 'New chat'))
          returning *
        )
        select ${sessionColumns} from s`,
  )
  if (!row) throw new Error('the new chat session was not returned')
  return row
}

/** One session; undefined when it is not the caller's. */
export async function getSession(tx: Queryable, id: string): Promise<SessionDbRow | undefined> {
  const [row] = await tx.query<SessionDbRow>(
    sql`select ${sessionColumns} from public.chat_sessions s where s.id = ${id}`,
  )
  return row
}

/** Renames a session (at `expectedVersion` when given); one it could not change is explained (404, 412, 403). */
export async function renameSession(
  tx: Queryable,
  id: string,
  title: string,
  expectedVersion: string | undefined,
): Promise<SessionDbRow> {
  const [updated] = await tx.query<SessionDbRow>(
    sql`with s as (
          update public.chat_sessions set title = ${title} where id = ${id} ${versionCheck(expectedVersion)} returning *
        )
        select ${sessionColumns} from s`,
  )
  return updated ?? explainNoRow(tx, chatSessions, 'chat session', id, expectedVersion)
}

/** Deletes a session and its messages; one it could not delete is explained (404, 412, 403). */
export function deleteSession(tx: Queryable, id: string, expectedVersion: string | undefined): Promise<void> {
  return deleteById(tx, chatSessions, 'chat session', id, expectedVersion)
}

/** The session's organization, or 404 when it is not the caller's (RLS hides it, even from an owner). */
async function sessionOrg(tx: Queryable, sessionId: string): Promise<string> {
  const [row] = await tx.query<{ org_id: string }>(
    sql`select org_id from public.chat_sessions where id = ${sessionId}`,
  )
  if (!row) throw problems.notFound('chat session')
  return row.org_id
}

/** One keyset page (and one row more) of a session's messages; 404 when the session is not the caller's. */
export async function listMessages(
  tx: Queryable,
  sessionId: string,
  { limit, after }: ChatPage,
): Promise<(MessageDbRow & KeysetRow)[]> {
  // The org is named (from the session) so the planner uses the (session_id, org_id, …) index.
  const orgId = await sessionOrg(tx, sessionId)
  const page = keysetClauses(messageSort, after, limit)
  return tx.query<MessageDbRow & KeysetRow>(
    sql`select ${messageColumns}, ${page.sortValue} as sort_value
        from public.chat_messages m
        where m.session_id = ${sessionId} and m.org_id = ${orgId} and ${page.after}
        order by ${page.orderBy}
        limit ${page.limit}`,
  )
}

/** Adds the caller's message to a session; undefined when the session is not the caller's. */
export async function createMessage(
  tx: Queryable,
  sessionId: string,
  content: string,
): Promise<MessageDbRow | undefined> {
  // The org comes from the session, never from the client; a session that is
  // not the caller's selects nothing, so nothing is inserted.
  const [row] = await tx.query<MessageDbRow>(
    sql`with m as (
          insert into public.chat_messages (org_id, session_id, role, content)
          select s.org_id, s.id, 'user', ${content} from public.chat_sessions s where s.id = ${sessionId}
          returning *
        )
        select ${messageColumns} from m`,
  )
  return row
}

import { versionSql } from '../../http/etag.ts'
import type { KeysetSort } from '../../http/keyset-query.ts'

/** The columns a session response is read with. `s` is public.chat_sessions. */
export const sessionColumns = `s.id, s.org_id, s.title, s.created_at, s.updated_at,
  ${versionSql('s.updated_at')} as version`

/** The columns a message response is read with. `m` is public.chat_messages. */
export const messageColumns = 'm.id, m.session_id, m.role, m.content, m.created_at'

/** Sessions by last activity, newest first. */
export const sessionSort: KeysetSort = {
  name: '-updated_at',
  column: 's.updated_at',
  type: 'timestamptz',
  idColumn: 's.id',
}

/** Messages in the order they were written (same-instant ties by id). */
export const messageSort: KeysetSort = {
  name: 'created_at',
  column: 'm.created_at',
  type: 'timestamptz',
  idColumn: 'm.id',
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

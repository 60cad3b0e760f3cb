import type { ChatMessage } from '../../api/types.ts'

/**
 * The messages of one chat as shown: the server's, oldest first, plus the
 * ones this person just sent that the server has not confirmed yet (pending).
 */
export type ShownMessage = ChatMessage & { pending?: boolean }

/** A sent message shown at once, at the end, in the pending style. */
export function addPending(
  messages: readonly ShownMessage[],
  sessionId: string,
  content: string,
  id: string,
) {
  const pending: ShownMessage = {
    id,
    session_id: sessionId,
    role: 'user',
    content,
    created_at: new Date().toISOString(),
    pending: true,
  }
  return [...messages, pending]
}

/**
 * The server's copy replaces the pending one (same place; no repeat if it
 * already arrived another way). If the list was re-read meanwhile and the
 * pending copy is gone (a send right after opening a new chat, before its
 * first load answered), the saved message still belongs at the end.
 */
export function confirmPending(messages: readonly ShownMessage[], pendingId: string, saved: ChatMessage) {
  if (messages.some((m) => m.id === saved.id)) return messages.filter((m) => m.id !== pendingId)
  if (!messages.some((m) => m.id === pendingId)) return [...messages, saved]
  return messages.map((m) => (m.id === pendingId ? saved : m))
}

/** A refused message leaves the list (its text goes back to the box). */
export const dropPending = (messages: readonly ShownMessage[], pendingId: string) =>
  messages.filter((m) => m.id !== pendingId)

/** Further pages, oldest first, without repeats. */
export function appendMessages(messages: readonly ShownMessage[], page: readonly ChatMessage[]) {
  const seen = new Set(messages.map((m) => m.id))
  return [...messages, ...page.filter((m) => !seen.has(m.id))]
}

/** Enter sends; Shift+Enter (and Enter while an input method composes) makes a new line. */
export const sendsOnKey = (event: { key: string; shiftKey: boolean; isComposing?: boolean }) =>
  event.key === 'Enter' && !event.shiftKey && !event.isComposing

/**
 * A message arriving live: our own, echoed before the API answered, takes the
 * place of its pending copy (same text); any other is added at the end, once.
 */
export function receiveMessage(messages: readonly ShownMessage[], message: ChatMessage): ShownMessage[] {
  if (messages.some((m) => m.id === message.id)) return [...messages]
  const pending = messages.findIndex(
    (m) => m.pending && m.role === message.role && m.content === message.content,
  )
  if (pending === -1) return [...messages, message]
  return messages.map((m, i) => (i === pending ? message : m))
}

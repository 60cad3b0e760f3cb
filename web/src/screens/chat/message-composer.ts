import { useRef, useState } from 'preact/hooks'
import { newIdempotencyKey } from '../../api/client.ts'
import { describeError } from '../../api/describe-error.ts'
import type { ChatMessage } from '../../api/types.ts'
import { useServices } from '../../context.ts'
import { html } from '../../html.ts'
import { addPending, confirmPending, dropPending, type ShownMessage, sendsOnKey } from './thread-messages.ts'

/**
 * The box for the next message. Sending shows the message at once (pending);
 * the server's copy replaces it; a refusal takes it back out and returns the
 * text to the box with the reason, so nothing typed is lost.
 */
export function MessageComposer(props: {
  sessionId: string
  disabled: boolean
  change: (update: (shown: ShownMessage[]) => ShownMessage[]) => void
  onSent: () => void
}) {
  const { api } = useServices()
  const [text, setText] = useState('')
  const [error, setError] = useState<string>()
  const box = useRef<HTMLTextAreaElement>(null)

  const send = async () => {
    const content = text
    if (!content.trim() || props.disabled) return
    const pendingId = `pending-${newIdempotencyKey()}`
    setText('')
    setError(undefined)
    props.change((shown) => addPending(shown, props.sessionId, content, pendingId))
    try {
      const saved = await api.post<ChatMessage>(`/chat/sessions/${props.sessionId}/messages`, {
        body: { content },
        idempotencyKey: pendingId.slice('pending-'.length),
      })
      props.change((shown) => confirmPending(shown, pendingId, saved))
      props.onSent()
    } catch (err) {
      props.change((shown) => dropPending(shown, pendingId))
      // Back in the box, unless the person has started the next one meanwhile.
      setText((current) => (current ? current : content))
      setError(
        `Your message was not sent. ${describeError(err, 'this chat')} It is back in the box: send it again.`,
      )
      box.current?.focus()
    }
  }

  return html`<form
    class="composer"
    onSubmit=${(e: Event) => {
      e.preventDefault()
      void send()
    }}
  >
    <label for="chat-message">Message</label>
    <textarea
      id="chat-message"
      ref=${box}
      rows="3"
      maxLength="20000"
      value=${text}
      aria-describedby="chat-message-hint"
      onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}
      onKeyDown=${(e: KeyboardEvent) => {
        if (!sendsOnKey(e)) return
        e.preventDefault()
        void send()
      }}
    ></textarea>
    <div class="composer-row">
      <small id="chat-message-hint" class="hint">
        ${props.disabled ? 'Loading the conversation: you can send once it is in.' : 'Enter sends, Shift+Enter starts a new line.'}
      </small>
      <button type="submit" class="button button-primary" disabled=${props.disabled || !text.trim()}>Send</button>
    </div>
    ${error && html`<p class="form-error" role="alert">${error}</p>`}
  </form>`
}

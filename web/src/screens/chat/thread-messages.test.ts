import { describe, expect, it } from 'vitest'
import type { ChatMessage } from '../../api/types.ts'
import {
  addPending,
  appendMessages,
  confirmPending,
  dropPending,
  receiveMessage,
  sendsOnKey,
} from './thread-messages.ts'

const message = (id: string, content = id): ChatMessage => ({
  id,
  session_id: 's1',
  role: 'user',
  content,
  created_at: '2026-06-01T12:00:00Z',
})

describe('the messages of a chat', () => {
  it('should show a sent message at once, pending, then the server’s copy in its place', () => {
    const shown = addPending([message('a')], 's1', 'Hello', 'tmp-1')
    expect(shown.map((m) => [m.content, m.pending ?? false])).toEqual([
      ['a', false],
      ['Hello', true],
    ])
    const confirmed = confirmPending(shown, 'tmp-1', message('b', 'Hello'))
    expect(confirmed.map((m) => m.id)).toEqual(['a', 'b'])
    expect(confirmed[1]).not.toHaveProperty('pending')
  })

  it('should not repeat a message that already arrived, and drop a refused one', () => {
    const shown = appendMessages(addPending([message('a')], 's1', 'Hi', 'tmp-1'), [message('b', 'Hi')])
    expect(confirmPending(shown, 'tmp-1', message('b', 'Hi')).map((m) => m.id)).toEqual(['a', 'b'])
    expect(dropPending(addPending([], 's1', 'x', 'tmp-2'), 'tmp-2')).toEqual([])
  })

  it('should still show a confirmed message whose pending copy a reload of the list replaced', () => {
    const reloaded = [message('a')] // the first load answered after the send, without the pending copy
    expect(confirmPending(reloaded, 'tmp-1', message('b', 'Hi')).map((m) => m.id)).toEqual(['a', 'b'])
  })

  it('should let a live echo of our own message take the place of its pending copy', () => {
    const shown = addPending([message('a')], 's1', 'Hello', 'tmp-1')
    const echoed = receiveMessage(shown, message('b', 'Hello'))
    expect(echoed.map((m) => m.id)).toEqual(['a', 'b'])
    expect(confirmPending(echoed, 'tmp-1', message('b', 'Hello')).map((m) => m.id)).toEqual(['a', 'b'])
    expect(receiveMessage(echoed, message('b', 'Hello')).map((m) => m.id)).toEqual(['a', 'b'])
    expect(receiveMessage(echoed, message('c')).map((m) => m.id)).toEqual(['a', 'b', 'c'])
  })

  it('should send on Enter and make a new line on Shift+Enter', () => {
    expect(sendsOnKey({ key: 'Enter', shiftKey: false })).toBe(true)
    expect(sendsOnKey({ key: 'Enter', shiftKey: true })).toBe(false)
    expect(sendsOnKey({ key: 'Enter', shiftKey: false, isComposing: true })).toBe(false)
    expect(sendsOnKey({ key: 'a', shiftKey: false })).toBe(false)
  })
})

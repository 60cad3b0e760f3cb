import { describe, expect, it } from 'vitest'
import { type ClientSocket, createHub, type Subscription } from './hub.ts'
import type { PhoenixMessage } from './protocol.ts'

function fakeSocket(bufferedAmount = 0) {
  const socket = {
    bufferedAmount,
    readyState: 1,
    frames: [] as string[],
    terminated: false,
    send(data: string) {
      socket.frames.push(data)
    },
    terminate() {
      socket.terminated = true
      socket.readyState = 3
    },
  }
  return socket satisfies ClientSocket
}

const message: PhoenixMessage = {
  joinRef: null,
  ref: null,
  topic: 'realtime:org:a',
  event: 'broadcast',
  payload: { type: 'broadcast', event: 'customers', payload: { id: 1 } },
}

const subscribe = (socket: ClientSocket, options: Partial<Subscription> = {}): Subscription => ({
  socket,
  vsn: '2.0.0',
  topic: 'realtime:org:a',
  private: true,
  ...options,
})

describe('hub', () => {
  it('should send to every subscription of the topic with the same privacy, in its version', () => {
    const hub = createHub({ maxBufferedBytes: 1024, log: () => {} })
    const v2 = fakeSocket()
    const v1 = fakeSocket()
    const publicOne = fakeSocket()
    const otherTopic = fakeSocket()
    hub.add(subscribe(v2))
    hub.add(subscribe(v1, { vsn: '1.0.0' }))
    hub.add(subscribe(publicOne, { private: false }))
    hub.add(subscribe(otherTopic, { topic: 'realtime:org:b' }))

    expect(hub.publish(message, true)).toBe(2)
    expect(v2.frames).toEqual([JSON.stringify([null, null, 'realtime:org:a', 'broadcast', message.payload])])
    expect(JSON.parse(v1.frames[0] as string)).toMatchObject({ topic: 'realtime:org:a', event: 'broadcast' })
    expect(publicOne.frames).toEqual([])
    expect(otherTopic.frames).toEqual([])
  })

  it('should skip the sender when asked (broadcast without self)', () => {
    const hub = createHub({ maxBufferedBytes: 1024, log: () => {} })
    const sender = subscribe(fakeSocket())
    const other = subscribe(fakeSocket())
    hub.add(sender)
    hub.add(other)
    expect(hub.publish(message, true, sender)).toBe(1)
  })

  it('should terminate a slow consumer and still deliver to the others', () => {
    const lines: string[] = []
    const hub = createHub({ maxBufferedBytes: 1024, log: (line) => lines.push(line) })
    const slow = fakeSocket(4096)
    const fast = fakeSocket()
    hub.add(subscribe(slow))
    hub.add(subscribe(fast))
    expect(hub.publish(message, true)).toBe(1)
    expect(slow.terminated).toBe(true)
    expect(slow.frames).toEqual([])
    expect(fast.frames).toHaveLength(1)
    expect(lines).toEqual(['realtime: terminating a slow consumer (4096 bytes unsent)'])
    // Until its close event removes it, a terminated socket is skipped, not terminated again.
    expect(hub.publish(message, true)).toBe(1)
    expect(lines).toHaveLength(1)
  })

  it('should forget a topic once its last subscription leaves', () => {
    const hub = createHub({ maxBufferedBytes: 1024, log: () => {} })
    const subscription = subscribe(fakeSocket())
    hub.add(subscription)
    expect(hub.subscriberCount('realtime:org:a')).toBe(1)
    hub.remove(subscription)
    expect(hub.subscriberCount('realtime:org:a')).toBe(0)
    expect(hub.publish(message, true)).toBe(0)
  })
})

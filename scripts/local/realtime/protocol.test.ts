import Serializer from '@supabase/realtime-js/dist/main/lib/serializer.js'
import { describe, expect, it } from 'vitest'
import { decodeFrame, encodeMessage, ProtocolError, parseVsn, reply } from './protocol.ts'

/** realtime-js's own serializer, so the frames are exactly what the client sends and reads. */
const client = new Serializer()
const encodeAsClient = (msg: Record<string, unknown>) =>
  new Promise<string | ArrayBuffer>((resolve) => client.encode(msg as never, resolve))
const decodeAsClient = (raw: string) => new Promise<unknown>((resolve) => client.decode(raw, resolve))

describe('parseVsn', () => {
  it('should default to 1.0.0 as Phoenix does, and refuse unknown versions', () => {
    expect(parseVsn(null)).toBe('1.0.0')
    expect(parseVsn('2.0.0')).toBe('2.0.0')
    expect(parseVsn('3.0.0')).toBeUndefined()
  })
})

describe('decodeFrame', () => {
  it('should read a vsn 2.0.0 join as realtime-js encodes it', async () => {
    const frame = await encodeAsClient({
      join_ref: '1',
      ref: '1',
      topic: 'realtime:org:x',
      event: 'phx_join',
      payload: { config: { private: true } },
    })
    expect(decodeFrame(Buffer.from(frame as string), false, '2.0.0')).toEqual({
      joinRef: '1',
      ref: '1',
      topic: 'realtime:org:x',
      event: 'phx_join',
      payload: { config: { private: true } },
    })
  })

  it('should read a binary user broadcast push (kind 3) as a broadcast message', async () => {
    const frame = await encodeAsClient({
      join_ref: '4',
      ref: '7',
      topic: 'realtime:chat:x',
      event: 'broadcast',
      payload: { type: 'broadcast', event: 'typing', payload: { typing: true } },
    })
    expect(frame).toBeInstanceOf(ArrayBuffer)
    expect(decodeFrame(Buffer.from(frame as ArrayBuffer), true, '2.0.0')).toEqual({
      joinRef: '4',
      ref: '7',
      topic: 'realtime:chat:x',
      event: 'broadcast',
      payload: { type: 'broadcast', event: 'typing', payload: { typing: true } },
    })
  })

  it('should read vsn 1.0.0 objects', () => {
    const frame = JSON.stringify({
      topic: 'phoenix',
      event: 'heartbeat',
      payload: {},
      ref: '3',
      join_ref: null,
    })
    expect(decodeFrame(Buffer.from(frame), false, '1.0.0')).toEqual({
      joinRef: null,
      ref: '3',
      topic: 'phoenix',
      event: 'heartbeat',
      payload: {},
    })
  })

  it('should refuse frames that are not messages of the socket version', () => {
    expect(() => decodeFrame(Buffer.from('{"topic":"x"}'), false, '2.0.0')).toThrow(ProtocolError)
    expect(() => decodeFrame(Buffer.from('not json'), false, '1.0.0')).toThrow(ProtocolError)
    expect(() => decodeFrame(Buffer.from([3, 0]), true, '1.0.0')).toThrow(ProtocolError)
    expect(() => decodeFrame(Buffer.from([9, 0, 0, 0, 0, 0, 1]), true, '2.0.0')).toThrow(ProtocolError)
  })
})

describe('encodeMessage', () => {
  it('should write a reply realtime-js reads back', async () => {
    const message = reply({ joinRef: '1', ref: '2', topic: 'realtime:org:x' }, 'ok', { postgres_changes: [] })
    expect(await decodeAsClient(encodeMessage(message, '2.0.0'))).toEqual({
      join_ref: '1',
      ref: '2',
      topic: 'realtime:org:x',
      event: 'phx_reply',
      payload: { status: 'ok', response: { postgres_changes: [] } },
    })
    expect(JSON.parse(encodeMessage(message, '1.0.0'))).toEqual({
      join_ref: '1',
      ref: '2',
      topic: 'realtime:org:x',
      event: 'phx_reply',
      payload: { status: 'ok', response: { postgres_changes: [] } },
    })
  })
})

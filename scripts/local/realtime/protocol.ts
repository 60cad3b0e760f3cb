/**
 * The Phoenix channel wire format as @supabase/realtime-js speaks it:
 * - vsn 1.0.0: JSON objects `{join_ref, ref, topic, event, payload}`;
 * - vsn 2.0.0: JSON arrays `[join_ref, ref, topic, event, payload]`, plus one
 *   binary frame from the client, kind 3 ("user broadcast push"): a broadcast
 *   whose user payload travels as bytes after a small header.
 * We answer in text frames of the socket's version (the real server may send
 * kind 4 binary frames for broadcasts; realtime-js reads both).
 */
export type Vsn = '1.0.0' | '2.0.0'

export interface PhoenixMessage {
  joinRef: string | null
  ref: string | null
  topic: string
  event: string
  payload: unknown
}

const userBroadcastPush = 3
const jsonEncoding = 1

export function parseVsn(value: string | null): Vsn | undefined {
  // Phoenix's default when the client names none.
  if (value === null || value === '1.0.0') return '1.0.0'
  if (value === '2.0.0') return '2.0.0'
  return undefined
}

export class ProtocolError extends Error {
  override name = 'ProtocolError'
}

/** One frame from the client; throws ProtocolError when it is not a message of this version. */
export function decodeFrame(data: Buffer, isBinary: boolean, vsn: Vsn): PhoenixMessage {
  if (isBinary) {
    if (vsn !== '2.0.0') throw new ProtocolError('binary frames need vsn 2.0.0')
    return decodeUserBroadcastPush(data)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(data.toString('utf8'))
  } catch {
    throw new ProtocolError('a text frame must be JSON')
  }
  if (vsn === '2.0.0') {
    if (!Array.isArray(parsed) || parsed.length !== 5) throw new ProtocolError('expected a 5-element array')
    const [joinRef, ref, topic, event, payload] = parsed as unknown[]
    return checked({ joinRef: optionalString(joinRef), ref: optionalString(ref), topic, event, payload })
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ProtocolError('expected a JSON object')
  const o = parsed as Record<string, unknown>
  return checked({
    joinRef: optionalString(o.join_ref),
    ref: optionalString(o.ref),
    topic: o.topic,
    event: o.event,
    payload: o.payload,
  })
}

function checked(m: Omit<PhoenixMessage, 'topic' | 'event'> & { topic: unknown; event: unknown }) {
  if (typeof m.topic !== 'string' || typeof m.event !== 'string')
    throw new ProtocolError('topic and event must be strings')
  return { ...m, topic: m.topic, event: m.event }
}

function optionalString(value: unknown): string | null {
  if (value === null || value === undefined) return null
  return String(value)
}

/**
 * Kind 3: kind, join_ref length, ref length, topic length, user event length,
 * metadata length, payload encoding (0 binary, 1 JSON), then those strings and
 * the payload. Becomes the same message a JSON broadcast push would be.
 */
function decodeUserBroadcastPush(data: Buffer): PhoenixMessage {
  if (data.length < 7 || data[0] !== userBroadcastPush) throw new ProtocolError('unknown binary frame')
  const lengths = [data[1], data[2], data[3], data[4], data[5]] as number[]
  const encoding = data[6]
  let offset = 7
  const [joinRef, ref, topic, userEvent, metadata] = lengths.map((length) => {
    const text = data.subarray(offset, offset + length).toString('utf8')
    offset += length
    return text
  }) as [string, string, string, string, string]
  if (offset > data.length) throw new ProtocolError('truncated binary frame')
  const body = data.subarray(offset)
  let userPayload: unknown
  if (encoding === jsonEncoding) {
    try {
      userPayload = JSON.parse(body.toString('utf8') || 'null')
    } catch {
      throw new ProtocolError('a JSON broadcast payload must be JSON')
    }
  } else {
    throw new ProtocolError('binary broadcast payloads are not supported locally')
  }
  let meta: Record<string, unknown> = {}
  if (metadata) {
    try {
      meta = JSON.parse(metadata) as Record<string, unknown>
    } catch {
      throw new ProtocolError('broadcast metadata must be JSON')
    }
  }
  return {
    joinRef: joinRef || null,
    ref: ref || null,
    topic,
    event: 'broadcast',
    payload: { ...meta, type: 'broadcast', event: userEvent, payload: userPayload },
  }
}

/** A message to the client, as a text frame of the socket's version. */
export function encodeMessage(message: PhoenixMessage, vsn: Vsn): string {
  if (vsn === '2.0.0')
    return JSON.stringify([message.joinRef, message.ref, message.topic, message.event, message.payload])
  return JSON.stringify({
    join_ref: message.joinRef,
    ref: message.ref,
    topic: message.topic,
    event: message.event,
    payload: message.payload,
  })
}

/** The reply to a push: `phx_reply` with `{status, response}`, on the push's refs. */
export function reply(
  to: Pick<PhoenixMessage, 'joinRef' | 'ref' | 'topic'>,
  status: 'ok' | 'error',
  response: unknown = {},
): PhoenixMessage {
  return {
    joinRef: to.joinRef,
    ref: to.ref,
    topic: to.topic,
    event: 'phx_reply',
    payload: { status, response },
  }
}

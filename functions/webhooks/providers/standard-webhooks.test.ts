import { describe, expect, it } from 'vitest'
import { standardWebhooksHeaders, standardWebhooksSignature } from '../../../tests/support/webhook-senders.ts'
import { standardWebhooks } from './standard-webhooks.ts'
import type { Delivery } from './types.ts'

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const now = 1_764_000_000_000
const nowSeconds = now / 1000
const body = JSON.stringify({
  type: 'customer.updated',
  timestamp: '2026-11-25T10:00:00Z',
  data: { id: 'c1', name: 'Acme' },
})

const delivery = (headers: Record<string, string>, rawBody = body): Delivery => ({
  method: 'POST',
  url: 'https://example.com/api/webhooks/standard_webhooks/x',
  headers: new Headers(headers),
  rawBody: new TextEncoder().encode(rawBody),
  now,
})

describe('Standard Webhooks v1 signatures', () => {
  const valid = standardWebhooksHeaders({ secrets: [secret], id: 'msg_1', body, timestamp: nowSeconds })

  it('should agree with the specification’s published example', async () => {
    // The reference libraries' test vector (standard-webhooks/standard-webhooks).
    const payload = '{"test": 2432232314}'
    const headers = {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    }
    expect(standardWebhooksSignature(secret, headers['webhook-id'], 1614265330, payload)).toBe(
      headers['webhook-signature'],
    )
    expect(
      await standardWebhooks.verify({ ...delivery(headers, payload), now: 1614265330_000 }, [secret]),
    ).toBe(true)
  })

  it('should accept a valid signature', async () => {
    expect(await standardWebhooks.verify(delivery(valid), [secret])).toBe(true)
  })

  it('should refuse another secret and a tampered body', async () => {
    expect(await standardWebhooks.verify(delivery(valid), ['whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldA=='])).toBe(
      false,
    )
    expect(await standardWebhooks.verify(delivery(valid, body.replace('Acme', 'Evil')), [secret])).toBe(false)
  })

  it('should refuse timestamps more than 5 minutes away, either way', async () => {
    for (const offset of [-301, 301]) {
      const headers = standardWebhooksHeaders({
        secrets: [secret],
        id: 'msg_1',
        body,
        timestamp: nowSeconds + offset,
      })
      expect(await standardWebhooks.verify(delivery(headers), [secret])).toBe(false)
    }
    const edge = standardWebhooksHeaders({
      secrets: [secret],
      id: 'msg_1',
      body,
      timestamp: nowSeconds - 299,
    })
    expect(await standardWebhooks.verify(delivery(edge), [secret])).toBe(true)
  })

  it('should refuse a signature replayed under another message id', async () => {
    expect(await standardWebhooks.verify(delivery({ ...valid, 'webhook-id': 'msg_2' }), [secret])).toBe(false)
  })

  it('should refuse a delivery missing any of the three headers', async () => {
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const headers: Record<string, string> = { ...valid }
      delete headers[name]
      expect(await standardWebhooks.verify(delivery(headers), [secret])).toBe(false)
    }
  })

  it('should accept any one valid signature among several (sender rotating its secret)', async () => {
    const newSecret = 'whsec_bmV3IHNlY3JldCBmb3Igcm90YXRpb24='
    const both = standardWebhooksHeaders({
      secrets: [newSecret, secret],
      id: 'msg_1',
      body,
      timestamp: nowSeconds,
    })
    expect(await standardWebhooks.verify(delivery(both), [secret])).toBe(true)
    expect(await standardWebhooks.verify(delivery(both), [newSecret])).toBe(true)
    // …and our side holding the old and new secret while the sender moves over.
    expect(await standardWebhooks.verify(delivery(valid), [newSecret, secret])).toBe(true)
  })

  it('should map the envelope to a change', () => {
    expect(standardWebhooks.interpret(body, {})).toMatchObject({
      change: { kind: 'customer', externalId: 'c1', action: 'upsert', properties: { name: 'Acme' } },
    })
  })
})

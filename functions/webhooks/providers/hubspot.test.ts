import { describe, expect, it } from 'vitest'
import { hubspotEvent, hubspotHeaders } from '../../../tests/support/webhook-senders.ts'
import { hubspot } from './hubspot.ts'
import type { Delivery } from './types.ts'

const secret = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy'
const uri = 'https://example.com/api/webhooks/hubspot/0f8b8c1e-7a52-4c8d-9a6e-2f1d8f0f6a11'
const now = 1_764_000_000_000
const body = JSON.stringify([
  hubspotEvent({ eventId: 100, subscriptionType: 'company.creation', objectId: 123, occurredAt: now - 1000 }),
])

const delivery = (headers: Record<string, string>, overrides: Partial<Delivery> = {}): Delivery => ({
  method: 'POST',
  url: uri,
  headers: new Headers(headers),
  rawBody: new TextEncoder().encode(body),
  now,
  ...overrides,
})

describe('HubSpot signature v3', () => {
  const valid = hubspotHeaders({ secret, uri, body, timestamp: now - 1000 })

  it('should accept a delivery signed as HubSpot documents', async () => {
    expect(await hubspot.verify(delivery(valid), [secret])).toBe(true)
  })

  it('should accept a signature over a URI with encoded characters HubSpot decodes', async () => {
    const encoded = `${uri}?name=a%3Ab`
    const headers = hubspotHeaders({ secret, uri: `${uri}?name=a:b`, body, timestamp: now })
    expect(await hubspot.verify(delivery(headers, { url: encoded }), [secret])).toBe(true)
  })

  it('should refuse a signature made with another secret', async () => {
    expect(await hubspot.verify(delivery(valid), ['another-secret-entirely'])).toBe(false)
  })

  it('should refuse a tampered body', async () => {
    const tampered = new TextEncoder().encode(body.replace('123', '124'))
    expect(await hubspot.verify(delivery(valid, { rawBody: tampered }), [secret])).toBe(false)
  })

  it('should refuse a timestamp older than 5 minutes, even correctly signed (replay)', async () => {
    const stale = hubspotHeaders({ secret, uri, body, timestamp: now - 5 * 60 * 1000 - 1 })
    expect(await hubspot.verify(delivery(stale), [secret])).toBe(false)
  })

  it('should refuse a timestamp more than 5 minutes ahead, and accept one slightly ahead (clock skew)', async () => {
    const future = hubspotHeaders({ secret, uri, body, timestamp: now + 5 * 60 * 1000 + 1 })
    expect(await hubspot.verify(delivery(future), [secret])).toBe(false)
    const skewed = hubspotHeaders({ secret, uri, body, timestamp: now + 30 * 1000 })
    expect(await hubspot.verify(delivery(skewed), [secret])).toBe(true)
  })

  it('should refuse a signature for another method or URI', async () => {
    expect(await hubspot.verify(delivery(valid, { method: 'PUT' }), [secret])).toBe(false)
    expect(await hubspot.verify(delivery(valid, { url: `${uri}x` }), [secret])).toBe(false)
  })

  it('should refuse a delivery missing either header', async () => {
    const { 'x-hubspot-request-timestamp': _t, ...noTimestamp } = valid
    const { 'x-hubspot-signature-v3': _s, ...noSignature } = valid
    expect(await hubspot.verify(delivery(noTimestamp), [secret])).toBe(false)
    expect(await hubspot.verify(delivery(noSignature), [secret])).toBe(false)
  })

  it('should accept the previous secret during a rotation', async () => {
    expect(await hubspot.verify(delivery(valid), ['the-new-secret-value', secret])).toBe(true)
  })

  it('should split a batch into events keyed by event and object', () => {
    const batch = JSON.stringify([
      hubspotEvent({ eventId: 1, subscriptionType: 'contact.creation', objectId: 7, occurredAt: now }),
      hubspotEvent({ eventId: 1, subscriptionType: 'contact.creation', objectId: 8, occurredAt: now }),
    ])
    const events = hubspot.events(delivery(valid, { rawBody: new TextEncoder().encode(batch) }))
    expect(events.map((e) => e.eventId)).toEqual(['1:7', '1:8'])
  })

  it('should map company name and lifecycle stage changes', () => {
    const name = hubspotEvent({
      eventId: 2,
      subscriptionType: 'company.propertyChange',
      objectId: 9,
      occurredAt: now,
      propertyName: 'name',
      propertyValue: 'Acme',
    })
    expect(hubspot.interpret(JSON.stringify(name), {})).toMatchObject({
      change: { kind: 'customer', externalId: '9', action: 'upsert', properties: { name: 'Acme' } },
    })
    const stage = { ...name, propertyName: 'lifecyclestage', propertyValue: 'customer' }
    expect(hubspot.interpret(JSON.stringify(stage), {})).toMatchObject({
      change: { properties: { phase: 'active' } },
    })
    const deal = { ...name, subscriptionType: 'deal.creation' }
    expect(hubspot.interpret(JSON.stringify(deal), {})).toHaveProperty('ignored')
  })
})

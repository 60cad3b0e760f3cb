import { describe, expect, it } from 'vitest'
import { hubspotAssociation, hubspotEvent, hubspotHeaders } from '../../../tests/support/webhook-senders.ts'
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
    const other = { ...name, propertyName: 'industry' }
    expect(hubspot.interpret(JSON.stringify(other), {})).toEqual({
      ignored: 'company property industry is not synchronised',
    })
  })

  it('should map a deal’s amount and close date, its creation and its deletion', () => {
    const event = (fields: Partial<Parameters<typeof hubspotEvent>[0]>) =>
      hubspot.interpret(
        JSON.stringify(
          hubspotEvent({
            eventId: 3,
            subscriptionType: 'deal.propertyChange',
            objectId: 77,
            occurredAt: now,
            ...fields,
          }),
        ),
        {},
      )
    expect(event({ propertyName: 'amount', propertyValue: '1500.5' })).toEqual({
      change: {
        kind: 'deal',
        externalId: '77',
        action: 'upsert',
        occurredAt: now,
        properties: { deal_value: '1500.5' },
        label: 'HubSpot deal.propertyChange',
      },
    })
    expect(event({ propertyName: 'closedate', propertyValue: '1798675200000' })).toMatchObject({
      change: { kind: 'deal', properties: { expected_close_date: '1798675200000' } },
    })
    expect(event({ subscriptionType: 'deal.creation' })).toMatchObject({
      change: { kind: 'deal', action: 'upsert', properties: {} },
    })
    expect(event({ subscriptionType: 'deal.deletion' })).toMatchObject({
      change: { kind: 'deal', action: 'delete' },
    })
    expect(event({ propertyName: 'dealstage', propertyValue: 'closedwon' })).toEqual({
      ignored: 'deal property dealstage is not synchronised',
    })
    // A property named like an Object.prototype member is not a mapping.
    expect(event({ propertyName: 'constructor', propertyValue: 'x' })).toHaveProperty('ignored')
    expect(event({ subscriptionType: 'deal.merge' })).toEqual({ ignored: 'deal.merge is not synchronised' })
    expect(event({ subscriptionType: 'ticket.creation' })).toEqual({
      ignored: 'ticket.creation is not synchronised',
    })
  })

  it('should read a deal or contact joining or leaving a company from either side of the association', () => {
    const association = (fields: Partial<Parameters<typeof hubspotAssociation>[0]>) =>
      hubspot.interpret(
        JSON.stringify(
          hubspotAssociation({
            eventId: 4,
            subscriptionType: 'deal.associationChange',
            associationType: 'DEAL_TO_COMPANY',
            fromObjectId: 77,
            toObjectId: 9,
            occurredAt: now,
            ...fields,
          }),
        ),
        {},
      )
    const joined = { kind: 'deal', externalId: '77', action: 'upsert', properties: { customer: '9' } }
    expect(association({})).toMatchObject({ change: joined })
    expect(
      association({
        subscriptionType: 'company.associationChange',
        associationType: 'COMPANY_TO_DEAL',
        fromObjectId: 9,
        toObjectId: 77,
      }),
    ).toMatchObject({ change: joined })
    const left = association({ associationRemoved: true })
    expect(left).toMatchObject({
      change: { kind: 'deal', externalId: '77', properties: {}, dissociatedFrom: '9' },
    })
    expect(
      association({
        subscriptionType: 'contact.associationChange',
        associationType: 'CONTACT_TO_COMPANY',
        fromObjectId: 5,
      }),
    ).toMatchObject({ change: { kind: 'contact', externalId: '5', properties: { customer: '9' } } })
    expect(association({ associationType: 'DEAL_TO_CONTACT' })).toEqual({
      ignored: 'association DEAL_TO_CONTACT is not synchronised',
    })
    expect(association({ associationType: 'COMPANY_TO_COMPANY' })).toHaveProperty('ignored')
    expect(association({ associationType: 'DEAL_TO_LINE_ITEM' })).toHaveProperty('ignored')
  })

  it('should key an association event by its pair of objects, and refuse an event naming no object', () => {
    const pair = hubspotAssociation({
      eventId: 5,
      subscriptionType: 'deal.associationChange',
      associationType: 'DEAL_TO_COMPANY',
      fromObjectId: 77,
      toObjectId: 9,
      occurredAt: now,
    })
    const batch = (items: unknown[]) =>
      hubspot.events(delivery({}, { rawBody: new TextEncoder().encode(JSON.stringify(items)) }))
    expect(batch([pair]).map((e) => e.eventId)).toEqual(['5:77-9'])
    const { fromObjectId: _from, ...noPair } = pair
    expect(() => batch([noPair])).toThrow(/objectId/)
  })
})

import { describe, expect, it } from 'vitest'
import { pipedriveBody, pipedriveHeaders } from '../../../tests/support/webhook-senders.ts'
import { pipedrive } from './pipedrive.ts'
import type { Delivery } from './types.ts'

const body = JSON.stringify(
  pipedriveBody({
    id: 'e1',
    action: 'change',
    entity: 'person',
    entityId: 5,
    timestamp: '2026-11-25T10:00:00.000Z',
    data: { id: 5, name: 'Ada', emails: [{ value: 'ada@example.com', primary: true }], org_id: 9 },
  }),
)
const delivery = (headers: Record<string, string>): Delivery => ({
  method: 'POST',
  url: 'https://example.com/api/webhooks/pipedrive/x',
  headers: new Headers(headers),
  rawBody: new TextEncoder().encode(body),
  now: Date.now(),
})

describe('Pipedrive webhooks v2', () => {
  it('should accept the webhook’s HTTP Basic credentials', async () => {
    expect(
      await pipedrive.verify(delivery(pipedriveHeaders('crm', 'p4ssw0rd-long-enough')), [
        'crm:p4ssw0rd-long-enough',
      ]),
    ).toBe(true)
  })

  it('should refuse a wrong password, a wrong user and no credentials', async () => {
    expect(
      await pipedrive.verify(delivery(pipedriveHeaders('crm', 'wrong')), ['crm:p4ssw0rd-long-enough']),
    ).toBe(false)
    expect(
      await pipedrive.verify(delivery(pipedriveHeaders('other', 'p4ssw0rd-long-enough')), [
        'crm:p4ssw0rd-long-enough',
      ]),
    ).toBe(false)
    expect(await pipedrive.verify(delivery({}), ['crm:p4ssw0rd-long-enough'])).toBe(false)
    expect(
      await pipedrive.verify(delivery({ authorization: 'Bearer abc' }), ['crm:p4ssw0rd-long-enough']),
    ).toBe(false)
  })

  it('should accept the previous credentials during a rotation', async () => {
    expect(await pipedrive.verify(delivery(pipedriveHeaders('crm', 'old')), ['crm:new', 'crm:old'])).toBe(
      true,
    )
  })

  it('should take meta.id as the event id', () => {
    expect(pipedrive.events(delivery({})).map((e) => e.eventId)).toEqual(['e1'])
  })

  it('should map a person to a contact of its organization', () => {
    expect(pipedrive.interpret(body, {})).toEqual({
      change: {
        kind: 'contact',
        externalId: '5',
        action: 'upsert',
        occurredAt: Date.parse('2026-11-25T10:00:00.000Z'),
        properties: { name: 'Ada', email: 'ada@example.com', customer: '9' },
        label: 'Pipedrive change.person',
      },
    })
  })

  it('should ignore changes made through the API, so our own writes never echo', () => {
    const echo = pipedriveBody({
      id: 'e2',
      action: 'change',
      entity: 'organization',
      entityId: 9,
      timestamp: '2026-11-25T10:00:00Z',
      changeSource: 'api',
    })
    expect(pipedrive.interpret(JSON.stringify(echo), {})).toHaveProperty('ignored')
  })

  it('should map a deal: its organization, value and close date, and its deletion', () => {
    const deal = (
      action: 'change' | 'delete',
      data: Record<string, unknown> | null,
      previous?: Record<string, unknown>,
    ) =>
      JSON.stringify(
        pipedriveBody({
          id: 'd1',
          action,
          entity: 'deal',
          entityId: 31,
          timestamp: '2026-11-25T10:00:00Z',
          data,
          previous: previous ?? null,
        }),
      )
    expect(
      pipedrive.interpret(
        deal('change', {
          id: 31,
          org_id: 9,
          value: 1500,
          expected_close_date: '2027-01-31',
          title: 'Big one',
        }),
        {},
      ),
    ).toEqual({
      change: {
        kind: 'deal',
        externalId: '31',
        action: 'upsert',
        occurredAt: Date.parse('2026-11-25T10:00:00Z'),
        properties: { customer: '9', deal_value: '1500', expected_close_date: '2027-01-31' },
        label: 'Pipedrive change.deal',
      },
    })
    expect(pipedrive.interpret(deal('delete', null, { id: 31, org_id: { value: 9 } }), {})).toMatchObject({
      change: { kind: 'deal', externalId: '31', action: 'delete', properties: {} },
    })
    // A deal without an organization is kept (it may gain one later) and names no customer.
    expect(pipedrive.interpret(deal('change', { id: 32, org_id: null, value: 5 }), {})).toMatchObject({
      change: { kind: 'deal', properties: { customer: null, deal_value: '5' } },
    })
  })
})

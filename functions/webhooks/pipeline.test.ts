import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient, createTestApp, expectAnswersDeclared, tokenFor } from '../../tests/support/api.ts'
import { createFixture, type Fixture } from '../../tests/support/fixtures.ts'
import { testServerUrl } from '../../tests/support/server-url.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import {
  hubspotAssociation,
  hubspotEvent,
  hubspotHeaders,
  pipedriveBody,
  pipedriveHeaders,
  standardWebhooksHeaders,
} from '../../tests/support/webhook-senders.ts'
import { integrationProviders } from '../domain/vocabulary.ts'
import { settleAfterResponse } from './after-response.ts'
import { processPendingWebhookEvents } from './retry.ts'

/** Deliveries through the whole app (app.request): verify → store → answer → process. */
describe('webhook pipeline', () => {
  let t: TestDatabase
  let f: Fixture
  let request: ReturnType<typeof apiClient>
  let app: ReturnType<typeof createTestApp>['app']
  let testApp: ReturnType<typeof createTestApp>
  let admin: string
  const hubspotSecret = 'hubspot-app-client-secret-0001'
  const ids = {} as Record<'hubspot' | 'pipedrive' | 'standard_webhooks', string>
  let pipedriveCredentials: [string, string]
  let whsec: string

  const post = (path: string, body: string, headers: Record<string, string>) =>
    app.request(`/api${path}`, { method: 'POST', body, headers })
  const hubspotPath = () => `/webhooks/hubspot/${ids.hubspot}`
  const sendHubspot = (events: unknown[], secret = hubspotSecret) => {
    const body = JSON.stringify(events)
    return post(
      hubspotPath(),
      body,
      hubspotHeaders({ secret, uri: `http://localhost/api${hubspotPath()}`, body }),
    )
  }
  const sendStandard = (id: string, payload: unknown, secrets = [whsec]) => {
    const body = JSON.stringify(payload)
    return post(
      `/webhooks/standard_webhooks/${ids.standard_webhooks}`,
      body,
      standardWebhooksHeaders({ secrets, id, body }),
    )
  }
  const sendPipedrive = (payload: unknown) =>
    post(
      `/webhooks/pipedrive/${ids.pipedrive}`,
      JSON.stringify(payload),
      pipedriveHeaders(...pipedriveCredentials),
    )
  const customerByExternal = async (provider: string, externalId: string) =>
    (
      await t.db.query<{ id: string; name: string; phase: string }>(
        `select c.id, c.name, c.phase from public.customers c
         join public.customer_external_ids x on x.customer_id = c.id
         where x.org_id = $1 and x.provider = $2 and x.external_id = $3`,
        [f.orgA, provider, externalId],
      )
    )[0]
  const eventsOf = async (integrationId: string) =>
    t.db.query<{ event_id: string; status: string; attempts: number; last_error: string | null }>(
      'select event_id, status, attempts, last_error from public.webhook_events where integration_id = $1 order by received_at, event_id',
      [integrationId],
    )

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    testApp = createTestApp(t.db)
    app = testApp.app
    request = apiClient(app)
    admin = await tokenFor(f.users.admin.id)
    for (const provider of integrationProviders) {
      const res = await request('POST', `/orgs/${f.orgA}/integrations`, {
        token: admin,
        body: {
          provider,
          name: `${provider} sync`,
          ...(provider === 'hubspot' ? { secret: hubspotSecret } : {}),
        },
      })
      expect(res.status).toBe(201)
      ids[provider] = res.json.id
      if (provider === 'pipedrive') pipedriveCredentials = res.json.secret.split(':') as [string, string]
      if (provider === 'standard_webhooks') whsec = res.json.secret
    }
  })
  afterAll(async () => {
    await settleAfterResponse()
    await t.close()
    await expectAnswersDeclared(testApp)
  })

  it('should create and update a customer from HubSpot, attributed to the integration in the timeline', async () => {
    const now = Date.now()
    const res = await sendHubspot([
      hubspotEvent({
        eventId: 1,
        subscriptionType: 'company.creation',
        objectId: 501,
        occurredAt: now - 3000,
      }),
      hubspotEvent({
        eventId: 2,
        subscriptionType: 'company.propertyChange',
        objectId: 501,
        occurredAt: now - 2000,
        propertyName: 'name',
        propertyValue: 'Acme GmbH',
      }),
    ])
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ received: 2, stored: 2, duplicates: 0 })
    await settleAfterResponse()
    expect(await customerByExternal('hubspot', '501')).toMatchObject({ name: 'Acme GmbH', phase: 'lead' })
    const customer = await customerByExternal('hubspot', '501')
    const timeline = await t.db.query<{
      type: string
      actor_id: string | null
      payload: Record<string, unknown>
    }>(
      `select type, actor_id, payload from public.timeline_events where customer_id = $1 and type = 'crm_sync' order by occurred_at`,
      [customer?.id],
    )
    expect(timeline).toHaveLength(2)
    expect(timeline[0]).toMatchObject({
      actor_id: null,
      payload: { integration_id: ids.hubspot, provider: 'hubspot', event_id: '1:501' },
    })
    expect((await eventsOf(ids.hubspot)).map((e) => e.status)).toEqual(['processed', 'processed'])
  })

  it('should refuse with 400 a signed delivery whose event id cannot be stored, and store nothing', async () => {
    const tooLong = await sendStandard('x'.repeat(301), {
      type: 'customer.updated',
      timestamp: new Date().toISOString(),
      data: {},
    })
    // A NUL cannot travel in a header, but it can inside a JSON body: Pipedrive's meta.id.
    const withNul = await sendPipedrive({
      meta: {
        id: 'pd\u0000nul',
        action: 'change',
        entity: 'organization',
        entity_id: '9',
        timestamp: new Date().toISOString(),
      },
      data: { id: 9, name: 'Nul Ltd' },
    })
    for (const res of [tooLong, withNul]) {
      expect(res.status).toBe(400)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
    }
    const stored = [...(await eventsOf(ids.standard_webhooks)), ...(await eventsOf(ids.pipedrive))]
    expect(stored.filter((e) => e.event_id.length > 300 || e.event_id.includes('\u0000'))).toEqual([])
  })

  it('should ignore an action named like a JavaScript object property instead of applying it', async () => {
    const payload = { type: 'customer.constructor', timestamp: new Date().toISOString(), data: { id: 'c1' } }
    expect((await sendStandard('msg_prototype_verb', payload)).status).toBe(200)
    await settleAfterResponse()
    const [event] = (await eventsOf(ids.standard_webhooks)).filter((e) => e.event_id === 'msg_prototype_verb')
    expect(event).toMatchObject({ status: 'ignored', attempts: 1 })
    expect(await customerByExternal('standard_webhooks', 'c1')).toBeUndefined()
  })

  it('should answer 200 to a duplicate delivery and change nothing', async () => {
    const event = hubspotEvent({
      eventId: 3,
      subscriptionType: 'company.propertyChange',
      objectId: 501,
      occurredAt: Date.now(),
      propertyName: 'lifecyclestage',
      propertyValue: 'customer',
    })
    expect((await sendHubspot([event])).status).toBe(200)
    await settleAfterResponse()
    const countBefore = await t.db.query<{ n: number }>(
      `select count(*)::int as n from public.timeline_events where type = 'crm_sync'`,
    )
    const again = await sendHubspot([event])
    expect(again.status).toBe(200)
    expect(await again.json()).toEqual({ received: 1, stored: 0, duplicates: 1 })
    await settleAfterResponse()
    expect(
      await t.db.query(`select count(*)::int as n from public.timeline_events where type = 'crm_sync'`),
    ).toEqual(countBefore)
    expect((await customerByExternal('hubspot', '501'))?.phase).toBe('active')
  })

  it('should never let an older change overwrite a newer one (out of order)', async () => {
    const now = Date.now()
    await sendHubspot([
      hubspotEvent({
        eventId: 10,
        subscriptionType: 'company.propertyChange',
        objectId: 501,
        occurredAt: now,
        propertyName: 'name',
        propertyValue: 'Newest name',
      }),
    ])
    await settleAfterResponse()
    await sendHubspot([
      hubspotEvent({
        eventId: 11,
        subscriptionType: 'company.propertyChange',
        objectId: 501,
        occurredAt: now - 60_000,
        propertyName: 'name',
        propertyValue: 'Stale name',
      }),
    ])
    await settleAfterResponse()
    expect((await customerByExternal('hubspot', '501'))?.name).toBe('Newest name')
    const stale = (await eventsOf(ids.hubspot)).find((e) => e.event_id === '11:501')
    expect(stale).toMatchObject({ status: 'ignored', last_error: expect.stringMatching(/out of order/) })
  })

  // On PGlite's one connection the 20 inserts take turns: the duplicate-delivery test above covers that.
  it.skipIf(!testServerUrl())(
    'should apply the same event delivered 20 times at once exactly once (needs a Postgres server: PGlite is one connection, so the deliveries cannot race)',
    async () => {
      const payload = {
        type: 'customer.created',
        timestamp: new Date().toISOString(),
        data: { id: 'conc-1', name: 'Concurrent Ltd' },
      }
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => sendStandard('msg_concurrent', payload)),
      )
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200))
      await settleAfterResponse()
      const customers = await t.db.query(
        `select c.id from public.customers c join public.customer_external_ids x on x.customer_id = c.id
       where x.provider = 'standard_webhooks' and x.external_id = 'conc-1'`,
      )
      expect(customers).toHaveLength(1)
      expect(
        await t.db.query(`select 1 from public.webhook_events where event_id = 'msg_concurrent'`),
      ).toHaveLength(1)
      expect(
        await t.db.query(
          `select 1 from public.timeline_events where type = 'crm_sync' and payload ->> 'event_id' = 'msg_concurrent'`,
        ),
      ).toHaveLength(1)
    },
  )

  it('should sync Pipedrive organizations and persons, and ignore its API echoes', async () => {
    const at = (s: number) => new Date(Date.now() - 10_000 + s * 1000).toISOString()
    // The person first: it waits for its organization, then arrives with it.
    await sendPipedrive(
      pipedriveBody({
        id: 'pd-1',
        action: 'create',
        entity: 'person',
        entityId: 77,
        timestamp: at(1),
        data: {
          id: 77,
          name: 'Grace Hopper',
          emails: [{ value: 'grace@example.com', primary: true }],
          org_id: 900,
        },
      }),
    )
    await settleAfterResponse()
    await sendPipedrive(
      pipedriveBody({
        id: 'pd-2',
        action: 'create',
        entity: 'organization',
        entityId: 900,
        timestamp: at(2),
        data: { id: 900, name: 'Navy Inc' },
      }),
    )
    await sendPipedrive(
      pipedriveBody({
        id: 'pd-3',
        action: 'change',
        entity: 'organization',
        entityId: 900,
        timestamp: at(3),
        changeSource: 'api',
        data: { id: 900, name: 'Echo name' },
      }),
    )
    await settleAfterResponse()
    const customer = await customerByExternal('pipedrive', '900')
    expect(customer?.name).toBe('Navy Inc')
    expect(
      await t.db.query('select name, email from public.contacts where customer_id = $1', [customer?.id]),
    ).toEqual([{ name: 'Grace Hopper', email: 'grace@example.com' }])
    expect((await eventsOf(ids.pipedrive)).map((e) => [e.event_id, e.status])).toEqual([
      ['pd-1', 'processed'],
      ['pd-2', 'processed'],
      ['pd-3', 'ignored'],
    ])
    // Deleting the person removes the contact.
    await sendPipedrive(
      pipedriveBody({
        id: 'pd-4',
        action: 'delete',
        entity: 'person',
        entityId: 77,
        timestamp: at(4),
        data: null,
        previous: { id: 77 },
      }),
    )
    await settleAfterResponse()
    expect(
      await t.db.query('select 1 from public.contacts where customer_id = $1', [customer?.id]),
    ).toHaveLength(0)
  })

  it('should give a Pipedrive deal’s value and close date to its organization’s customer, and clear them when it is deleted', async () => {
    const at = (s: number) => new Date(Date.now() - 10_000 + s * 1000).toISOString()
    const deal = (id: string, second: number, data: Record<string, unknown>) =>
      sendPipedrive(
        pipedriveBody({
          id,
          action: 'change',
          entity: 'deal',
          entityId: Number(data.id),
          timestamp: at(second),
          data,
        }),
      )
    const customerDeal = async () =>
      (
        await t.db.query<{ name: string; deal_value: string | null; close: string | null }>(
          `select c.name, c.deal_value::text as deal_value, c.expected_close_date::text as close
           from public.customers c join public.customer_external_ids x on x.customer_id = c.id
           where x.org_id = $1 and x.provider = 'pipedrive' and x.external_id = '901'`,
          [f.orgA],
        )
      )[0]
    await sendPipedrive(
      pipedriveBody({
        id: 'pd-deal-0',
        action: 'create',
        entity: 'organization',
        entityId: 901,
        timestamp: at(0),
        data: { id: 901, name: 'Deal Corp' },
      }),
    )
    await deal('pd-deal-1', 1, {
      id: 31,
      org_id: 901,
      value: 12500.5,
      currency: 'EUR',
      expected_close_date: '2027-03-31',
    })
    await settleAfterResponse()
    expect(await customerDeal()).toEqual({ name: 'Deal Corp', deal_value: '12500.50', close: '2027-03-31' })

    // Values the columns cannot hold are left out: the customer keeps what it had.
    await deal('pd-deal-2', 2, { id: 31, org_id: 901, value: -5, expected_close_date: '2027-02-30' })
    await deal('pd-deal-3', 3, { id: 31, org_id: 901, value: 1e13 })
    // A deal without an organization is kept for when it gains one, and gives no customer anything.
    await deal('pd-deal-4', 4, { id: 32, org_id: null, value: 99 })
    await settleAfterResponse()
    expect(await customerDeal()).toEqual({ name: 'Deal Corp', deal_value: '12500.50', close: '2027-03-31' })
    const statuses = Object.fromEntries((await eventsOf(ids.pipedrive)).map((e) => [e.event_id, e.status]))
    expect([statuses['pd-deal-1'], statuses['pd-deal-2'], statuses['pd-deal-4']]).toEqual([
      'processed',
      'processed',
      'processed',
    ])

    await sendPipedrive(
      pipedriveBody({
        id: 'pd-deal-5',
        action: 'delete',
        entity: 'deal',
        entityId: 31,
        timestamp: at(5),
        data: null,
        previous: { id: 31, org_id: 901 },
      }),
    )
    await settleAfterResponse()
    expect(await customerDeal()).toEqual({ name: 'Deal Corp', deal_value: null, close: null })
  })

  it('should give a HubSpot deal’s amount and close date to the customer of the company it is associated with', async () => {
    const base = Date.now() - 60_000
    const at = (second: number) => base + second * 1000
    let eventId = 9000
    const deal = (second: number, objectId: number, propertyName: string, propertyValue: string) =>
      hubspotEvent({
        eventId: eventId++,
        subscriptionType: 'deal.propertyChange',
        objectId,
        occurredAt: at(second),
        propertyName,
        propertyValue,
      })
    const link = (second: number, dealId: number, associationRemoved = false) =>
      hubspotAssociation({
        eventId: eventId++,
        subscriptionType: 'deal.associationChange',
        associationType: 'DEAL_TO_COMPANY',
        fromObjectId: dealId,
        toObjectId: 701,
        occurredAt: at(second),
        associationRemoved,
      })
    const send = async (events: unknown[]) => {
      const res = await sendHubspot(events)
      expect(res.status).toBe(200)
      await settleAfterResponse()
    }
    const customerDeal = async () =>
      (
        await t.db.query<{ name: string; deal_value: string | null; close: string | null }>(
          `select c.name, c.deal_value::text as deal_value, c.expected_close_date::text as close
           from public.customers c join public.customer_external_ids x on x.customer_id = c.id
           where x.org_id = $1 and x.provider = 'hubspot' and x.external_id = '701'`,
          [f.orgA],
        )
      )[0]
    const firstOfJuly = String(Date.UTC(2027, 6, 1))

    await send([
      hubspotEvent({
        eventId: eventId++,
        subscriptionType: 'company.creation',
        objectId: 701,
        occurredAt: at(0),
      }),
      hubspotEvent({
        eventId: eventId++,
        subscriptionType: 'company.propertyChange',
        objectId: 701,
        occurredAt: at(0),
        propertyName: 'name',
        propertyValue: 'Deal Co',
      }),
      // The deal's money arrives before its company link: it waits in the deal's sync state.
      deal(1, 801, 'amount', '5000'),
      deal(2, 801, 'closedate', firstOfJuly),
    ])
    expect(await customerDeal()).toEqual({ name: 'Deal Co', deal_value: null, close: null })

    // The association names two objects and no objectId: it is stored and applied all the same.
    const firstLink = link(3, 801)
    await send([firstLink])
    expect(await customerDeal()).toEqual({ name: 'Deal Co', deal_value: '5000.00', close: '2027-07-01' })

    // A second deal of the company, changed later, is the one the customer carries...
    await send([link(4, 802), deal(5, 802, 'amount', '7000.25')])
    expect(await customerDeal()).toEqual({ name: 'Deal Co', deal_value: '7000.25', close: null })
    // ...and the first deal's change from before that, arriving late, does not take it back.
    await send([deal(4.5, 801, 'amount', '9999')])
    expect(await customerDeal()).toMatchObject({ deal_value: '7000.25' })

    // The carried deal leaves the company: the customer carries the company's other deal.
    await send([link(6, 802, true)])
    expect(await customerDeal()).toEqual({ name: 'Deal Co', deal_value: '9999.00', close: '2027-07-01' })
    // The other deal is deleted: the customer carries none.
    await send([
      hubspotEvent({
        eventId: eventId++,
        subscriptionType: 'deal.deletion',
        objectId: 801,
        occurredAt: at(7),
      }),
    ])
    expect(await customerDeal()).toEqual({ name: 'Deal Co', deal_value: null, close: null })
    // An older change of the deleted deal, arriving late, changes nothing.
    await send([deal(6.5, 801, 'amount', '1')])
    expect(await customerDeal()).toEqual({ name: 'Deal Co', deal_value: null, close: null })

    const statuses = Object.fromEntries((await eventsOf(ids.hubspot)).map((e) => [e.event_id, e.status]))
    expect(statuses[`${eventId - 1}:801`]).toBe('ignored')
    expect(statuses[`${firstLink.eventId}:801-701`]).toBe('processed')
    const timeline = await t.db.query<{ description: string }>(
      `select t.description from public.timeline_events t
       join public.customer_external_ids x on x.customer_id = t.customer_id
       where x.provider = 'hubspot' and x.external_id = '701' and t.type = 'crm_sync' order by t.occurred_at, t.id`,
    )
    expect(timeline.map((e) => e.description)).toContain('HubSpot deal 801 deleted')
  })

  it('should put a waiting HubSpot contact under the company it becomes associated with', async () => {
    const now = Date.now() - 30_000
    await sendHubspot([
      hubspotEvent({ eventId: 9100, subscriptionType: 'company.creation', objectId: 711, occurredAt: now }),
      hubspotEvent({
        eventId: 9101,
        subscriptionType: 'contact.propertyChange',
        objectId: 611,
        occurredAt: now + 1000,
        propertyName: 'email',
        propertyValue: 'ada@example.com',
      }),
    ])
    await settleAfterResponse()
    const contactOf = async () =>
      (
        await t.db.query<{ email: string; company: string }>(
          `select ct.email, x.external_id as company from public.contacts ct
           join public.customer_external_ids x on x.customer_id = ct.customer_id and x.provider = 'hubspot'
           where ct.org_id = $1 and ct.email = 'ada@example.com'`,
          [f.orgA],
        )
      )[0]
    // A contact without a company waits for one.
    expect(await contactOf()).toBeUndefined()
    await sendHubspot([
      hubspotAssociation({
        eventId: 9102,
        subscriptionType: 'company.associationChange',
        associationType: 'COMPANY_TO_CONTACT',
        fromObjectId: 711,
        toObjectId: 611,
        occurredAt: now + 2000,
      }),
    ])
    await settleAfterResponse()
    expect(await contactOf()).toEqual({ email: 'ada@example.com', company: '711' })
  })

  it('should delete a customer deleted at the source, and not resurrect it with an older update', async () => {
    const now = Date.now()
    await sendStandard('msg_del_1', {
      type: 'customer.created',
      timestamp: new Date(now - 5000).toISOString(),
      data: { id: 'gone-1', name: 'Short-lived' },
    })
    await settleAfterResponse()
    expect(await customerByExternal('standard_webhooks', 'gone-1')).toBeDefined()
    await sendStandard('msg_del_2', {
      type: 'customer.deleted',
      timestamp: new Date(now - 1000).toISOString(),
      data: { id: 'gone-1' },
    })
    await sendStandard('msg_del_3', {
      type: 'customer.updated',
      timestamp: new Date(now - 3000).toISOString(),
      data: { id: 'gone-1', name: 'Late update' },
    })
    await settleAfterResponse()
    expect(await customerByExternal('standard_webhooks', 'gone-1')).toBeUndefined()
    expect(await t.db.query(`select 1 from public.customers where name = 'Late update'`)).toHaveLength(0)
  })

  it('should keep an event whose processing fails, retry it with backoff, and complete it by the retry path', async () => {
    // Crash injection: every customer insert throws after the event is stored.
    await t.db.execScript(`
      create function public.zz_fail() returns trigger language plpgsql set search_path = '' as
        $$ begin raise exception 'injected crash'; end $$;
      create trigger zz_fail before insert on public.customers for each row execute function public.zz_fail();`)
    const res = await sendStandard('msg_crash', {
      type: 'customer.created',
      timestamp: new Date().toISOString(),
      data: { id: 'crash-1', name: 'Survivor' },
    })
    expect(res.status).toBe(200)
    await settleAfterResponse()
    const [failed] = await t.db.query<{
      status: string
      attempts: number
      last_error: string
      next_attempt_at: Date
    }>(
      `select status, attempts, last_error, next_attempt_at from public.webhook_events where event_id = 'msg_crash'`,
    )
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: expect.stringContaining('injected crash'),
    })
    // Not due yet: the backoff holds it back.
    expect((await processPendingWebhookEvents(t.db, { now: new Date() })).failed).toBe(0)
    await t.db.execScript('drop trigger zz_fail on public.customers; drop function public.zz_fail();')
    const later = new Date(Date.now() + 10 * 60_000)
    expect(await processPendingWebhookEvents(t.db, { now: later })).toMatchObject({ processed: 1 })
    expect(await customerByExternal('standard_webhooks', 'crash-1')).toMatchObject({ name: 'Survivor' })
    const [done] = await t.db.query(
      `select status, attempts from public.webhook_events where event_id = 'msg_crash'`,
    )
    expect(done).toEqual({ status: 'processed', attempts: 2 })
  })

  it('should process on the retry path an event stored by a process that died before processing it', async () => {
    await t.db.query(
      `insert into public.webhook_events (org_id, integration_id, provider, event_id, body)
       values ($1, $2, 'standard_webhooks', 'msg_orphan', $3)`,
      [
        f.orgA,
        ids.standard_webhooks,
        JSON.stringify({
          type: 'customer.created',
          timestamp: new Date().toISOString(),
          data: { id: 'orphan-1', name: 'Orphan' },
        }),
      ],
    )
    expect(await processPendingWebhookEvents(t.db, { now: new Date(Date.now() + 1000) })).toMatchObject({
      processed: 1,
    })
    expect(await customerByExternal('standard_webhooks', 'orphan-1')).toMatchObject({ name: 'Orphan' })
  })

  it('should dead-letter after the last attempt, list it for admins and replay it', async () => {
    await t.db.query(
      `insert into public.webhook_events (org_id, integration_id, provider, event_id, body)
       values ($1, $2, 'standard_webhooks', 'msg_poison', $3)`,
      [
        f.orgA,
        ids.standard_webhooks,
        '{"type":"customer.created","timestamp":"not a time","data":{"id":"p-1"}}',
      ],
    )
    let now = Date.now()
    for (let attempt = 0; attempt < 3; attempt++) {
      now += 2 * 3_600_000
      await processPendingWebhookEvents(t.db, { now: new Date(now), maxAttempts: 3 })
    }
    const dead = await request('GET', `/orgs/${f.orgA}/webhook-events?status=dead`, { token: admin })
    expect(dead.status).toBe(200)
    expect(dead.json.data).toHaveLength(1)
    expect(dead.json.data[0]).toMatchObject({ event_id: 'msg_poison', status: 'dead', attempts: 3 })
    const manager = await tokenFor(f.users.manager.id)
    expect((await request('GET', `/orgs/${f.orgA}/webhook-events`, { token: manager })).json.data).toEqual([])
    expect(
      (await request('POST', `/webhook-events/${dead.json.data[0].id}/replay`, { token: manager })).status,
    ).toBe(404)
    // Fix the data at the source of the trouble, then replay.
    await t.db.query(
      `update public.webhook_events set body = replace(body, 'not a time', $1) where event_id = 'msg_poison'`,
      [new Date().toISOString()],
    )
    const replay = await request('POST', `/webhook-events/${dead.json.data[0].id}/replay`, { token: admin })
    expect(replay.status).toBe(202)
    await settleAfterResponse()
    expect(await customerByExternal('standard_webhooks', 'p-1')).toBeDefined()
    expect(
      (await request('POST', `/webhook-events/${dead.json.data[0].id}/replay`, { token: admin })).status,
    ).toBe(409)
  })

  it('should answer 401 with no detail for bad signatures, unknown integrations and wrong providers', async () => {
    const event = [
      hubspotEvent({
        eventId: 99,
        subscriptionType: 'company.creation',
        objectId: 1,
        occurredAt: Date.now(),
      }),
    ]
    const answers = [
      await sendHubspot(event, 'not-the-secret-at-all'),
      await post(
        `/webhooks/hubspot/${crypto.randomUUID()}`,
        '[]',
        hubspotHeaders({ secret: hubspotSecret, uri: 'x', body: '[]' }),
      ),
      await post(`/webhooks/pipedrive/${ids.hubspot}`, '{}', pipedriveHeaders('a', 'b')),
      await post('/webhooks/nope/not-a-uuid', '{}', {}),
      await sendStandard('msg_stale', { type: 'customer.created' }, [
        'whsec_d3Jvbmcgc2VjcmV0IGZvciB0ZXN0cw==',
      ]),
    ]
    for (const res of answers) {
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({
        code: 'unauthorized',
        detail: 'The delivery could not be verified.',
      })
    }
    expect(
      await t.db.query(`select 1 from public.webhook_events where event_id in ('99:1', 'msg_stale')`),
    ).toHaveLength(0)
  })

  it('should answer 413 to a body over the webhook limit', async () => {
    const big = `[${'"x",'.repeat(70_000)}"x"]`
    const res = await post(
      hubspotPath(),
      big,
      hubspotHeaders({ secret: hubspotSecret, uri: `http://localhost/api${hubspotPath()}`, body: big }),
    )
    expect(res.status).toBe(413)
  })

  it('should refuse deliveries to a disabled integration', async () => {
    await request('PATCH', `/integrations/${ids.hubspot}`, { token: admin, body: { enabled: false } })
    const res = await sendHubspot([
      hubspotEvent({
        eventId: 50,
        subscriptionType: 'company.creation',
        objectId: 2,
        occurredAt: Date.now(),
      }),
    ])
    expect(res.status).toBe(403)
    await request('PATCH', `/integrations/${ids.hubspot}`, { token: admin, body: { enabled: true } })
  })
})

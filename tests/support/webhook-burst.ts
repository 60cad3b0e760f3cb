import { randomUUID } from 'node:crypto'
import type { Database } from '../../functions/db/database.ts'
import { withUser } from '../../functions/db/with-user.ts'
import { integrationProviders } from '../../functions/domain/vocabulary.ts'
import {
  hubspotEvent,
  hubspotHeaders,
  pipedriveBody,
  pipedriveHeaders,
  standardWebhooksHeaders,
} from './webhook-senders.ts'

/**
 * A burst of webhook deliveries over real HTTP, shared by the burst test and
 * scripts/bench-webhooks.ts: the three providers in turn, each delivery one
 * new company at the source (so every one must become one customer).
 */
export interface BurstIntegrations {
  orgId: string
  hubspot: { id: string; secret: string }
  pipedrive: { id: string; user: string; password: string }
  standard: { id: string; secret: string }
}

/** Creates the three integrations as an admin (through SQL as that user, under RLS). */
export async function createBurstIntegrations(
  db: Database,
  orgId: string,
  adminId: string,
): Promise<BurstIntegrations> {
  const hubspotSecret = `hubspot-secret-${randomUUID()}`
  const password = randomUUID()
  const whsec = `whsec_${Buffer.from(randomUUID()).toString('base64')}`
  const create = (provider: string, secret: string) =>
    withUser(db, { sub: adminId }, async (tx) => {
      const [row] = await tx.query<{ id: string }>(
        `insert into public.integrations (org_id, provider, name) values ($1, $2, $2) returning id`,
        [orgId, provider],
      )
      await tx.query('select private.set_integration_secret($1, $2, false)', [row?.id, secret])
      return row?.id as string
    })
  return {
    orgId,
    hubspot: { id: await create('hubspot', hubspotSecret), secret: hubspotSecret },
    pipedrive: { id: await create('pipedrive', `bench:${password}`), user: 'bench', password },
    standard: { id: await create('standard_webhooks', whsec), secret: whsec },
  }
}

/** HubSpot ids are numbers: a per-tag base keeps two bursts' companies and events apart. */
const numericBase = (tag: string) =>
  ([...tag].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 1_000_000, 7) + 1) * 100_000

export function burstDelivery(serverUrl: string, i: BurstIntegrations, n: number, tag: string) {
  const occurredAt = Date.now()
  const externalId = `${tag}-${n}`
  switch (n % 3) {
    case 0: {
      const path = `/api/webhooks/hubspot/${i.hubspot.id}`
      const body = JSON.stringify([
        hubspotEvent({
          eventId: numericBase(tag) + n,
          subscriptionType: 'company.propertyChange',
          objectId: numericBase(tag) + n,
          occurredAt,
          propertyName: 'name',
          propertyValue: `Company ${externalId}`,
        }),
      ])
      return {
        url: serverUrl + path,
        body,
        headers: hubspotHeaders({ secret: i.hubspot.secret, uri: serverUrl + path, body }),
      }
    }
    case 1: {
      const body = JSON.stringify(
        pipedriveBody({
          id: `${tag}-pd-${n}`,
          action: 'create',
          entity: 'organization',
          entityId: externalId,
          timestamp: new Date(occurredAt).toISOString(),
          data: { id: n, name: `Company ${externalId}` },
        }),
      )
      return {
        url: `${serverUrl}/api/webhooks/pipedrive/${i.pipedrive.id}`,
        body,
        headers: pipedriveHeaders(i.pipedrive.user, i.pipedrive.password),
      }
    }
    default: {
      const body = JSON.stringify({
        type: 'customer.created',
        timestamp: new Date(occurredAt).toISOString(),
        data: { id: externalId, name: `Company ${externalId}` },
      })
      return {
        url: `${serverUrl}/api/webhooks/standard_webhooks/${i.standard.id}`,
        body,
        headers: standardWebhooksHeaders({ secrets: [i.standard.secret], id: `${tag}-sw-${n}`, body }),
      }
    }
  }
}

export interface BurstResult {
  accepted: number
  refused: Record<number, number>
  /** Deliveries sent again after the connection broke before any answer (as a CRM retries). */
  resent: number
  elapsedMs: number
}

/**
 * A connection that breaks before any answer (a keep-alive socket the server
 * closed as it was reused: ECONNRESET on a busy machine) is sent again, as a
 * CRM does; the event id makes that safe. An HTTP answer is never retried.
 */
async function deliver(d: ReturnType<typeof burstDelivery>, onResend: () => void): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(d.url, { method: 'POST', body: d.body, headers: d.headers })
    } catch (error) {
      if (attempt >= 5 || !(error instanceof TypeError)) throw error
      onResend()
    }
  }
}

/** Sends `count` deliveries, at most `concurrency` in flight; resolves when every one is answered. */
export async function sendBurst(
  serverUrl: string,
  integrations: BurstIntegrations,
  { count, concurrency, tag }: { count: number; concurrency: number; tag: string },
): Promise<BurstResult> {
  let next = 0
  let accepted = 0
  let resent = 0
  const refused: Record<number, number> = {}
  const started = performance.now()
  async function worker() {
    while (next < count) {
      const n = next++
      const res = await deliver(burstDelivery(serverUrl, integrations, n, tag), () => resent++)
      await res.arrayBuffer()
      if (res.status === 200) accepted++
      else refused[res.status] = (refused[res.status] ?? 0) + 1
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker))
  return { accepted, refused, resent, elapsedMs: performance.now() - started }
}

/** Stored and processed counts of the burst's integrations, and the customers they made. */
export async function burstCounts(db: Database, i: BurstIntegrations) {
  const [row] = await db.query<{ stored: number; processed: number; customers: number }>(
    `select (select count(*)::int from public.webhook_events where integration_id = any(array[$1, $2, $3]::uuid[])) as stored,
            (select count(*)::int from public.webhook_events
              where integration_id = any(array[$1, $2, $3]::uuid[]) and status = 'processed') as processed,
            (select count(*)::int from public.customer_external_ids
              where org_id = $4 and provider = any($5::text[])) as customers`,
    [i.hubspot.id, i.pipedrive.id, i.standard.id, i.orgId, integrationProviders],
  )
  return row as { stored: number; processed: number; customers: number }
}

import type { Context } from 'hono'
import type { AppEnv } from '../context.ts'
import { withServiceRole } from '../db/with-user.ts'
import { type IntegrationProvider, integrationProviders } from '../domain/vocabulary.ts'
import { ApiProblem, problems } from '../problems/problem.ts'
import { receivingIntegration, storeWebhookEvents } from '../queries/webhook-events.ts'
import { runAfterResponse } from './after-response.ts'
import { processWebhookEventAsService } from './process.ts'
import { providers } from './providers/index.ts'
import { type Delivery, MalformedDelivery } from './providers/types.ts'
import { publicUrlOf } from './public-url.ts'

/** HubSpot batches at most 100 small events; nothing honest comes near this. */
export const WEBHOOK_BODY_LIMIT_BYTES = 256 * 1024

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** One answer for every failure to verify: unknown integration, wrong provider, bad or stale signature. */
const notVerified = () =>
  new ApiProblem(401, 'unauthorized', 'Not verified', 'The delivery could not be verified.')

/**
 * Receive → verify → store → answer → process after the response. Refusals
 * are thrown: the app's error handler answers them as problems. Everything
 * that is stored is processed later even if this process dies: the retry path
 * (processPendingWebhookEvents) finds it pending.
 */
export async function receiveWebhook(c: Context<AppEnv>, provider: string, integrationId: string) {
  const { db, clock, log } = c.var.deps
  const declared = Number(c.req.header('content-length') ?? '0')
  if (declared > WEBHOOK_BODY_LIMIT_BYTES) {
    throw problems.payloadTooLarge(WEBHOOK_BODY_LIMIT_BYTES)
  }
  const rawBody = new Uint8Array(await c.req.arrayBuffer())
  if (rawBody.length > WEBHOOK_BODY_LIMIT_BYTES) {
    throw problems.payloadTooLarge(WEBHOOK_BODY_LIMIT_BYTES)
  }
  if (!(integrationProviders as readonly string[]).includes(provider) || !uuidPattern.test(integrationId)) {
    throw notVerified()
  }
  const integration = await withServiceRole(db, (tx) =>
    receivingIntegration(tx, integrationId, provider as IntegrationProvider),
  )
  const delivery: Delivery = {
    method: c.req.method,
    url: publicUrlOf(c).href,
    headers: c.req.raw.headers,
    rawBody,
    now: clock().getTime(),
  }
  const scheme = providers[provider as IntegrationProvider]
  // An unknown integration costs the same signature work as a known one.
  const verified = await scheme.verify(delivery, integration?.secrets ?? ['not-a-secret-of-anyone'])
  if (!integration || !verified) throw notVerified()
  if (!integration.enabled) {
    throw new ApiProblem(403, 'integration_disabled', 'Not allowed', 'This integration is disabled.')
  }

  let events: ReturnType<typeof scheme.events>
  try {
    events = scheme.events(delivery)
    for (const event of events) assertStorable(event.eventId, event.body)
  } catch (error) {
    if (error instanceof MalformedDelivery) throw problems.badRequest(error.message)
    throw error
  }
  const stored = await withServiceRole(db, (tx) => storeWebhookEvents(tx, integration, events))
  if (stored.length > 0) {
    runAfterResponse(
      c,
      async () => {
        for (const { id } of stored) await processWebhookEventAsService(db, id, { now: clock() })
      },
      log,
    )
  }
  return c.json(
    { received: events.length, stored: stored.length, duplicates: events.length - stored.length },
    200,
  )
}

/** A lone UTF-16 surrogate: JSON can carry it, Postgres text and jsonb cannot. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * What webhook_events can store (an id of 1–300 characters; no NUL or lone
 * surrogate anywhere): a signed delivery that breaks this is the sender's
 * mistake, refused with 400 before anything is written, never a 500.
 */
function assertStorable(eventId: string, body: string) {
  if (eventId.length < 1 || eventId.length > 300) {
    throw new MalformedDelivery('The event id must be 1 to 300 characters.')
  }
  for (const text of [eventId, body]) {
    if (text.includes('\u0000') || loneSurrogate.test(text)) {
      throw new MalformedDelivery(
        'The delivery contains characters that cannot be stored (NUL or a lone surrogate).',
      )
    }
  }
}

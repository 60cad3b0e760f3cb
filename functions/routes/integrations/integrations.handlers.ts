import type { RouteHandler } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../../context.ts'
import { isoTimestamp } from '../../db/timestamps.ts'
import type { IntegrationProvider } from '../../domain/vocabulary.ts'
import { ApiProblem, problems } from '../../problems/problem.ts'
import { asCaller } from '../../queries/as-caller.ts'
import {
  createIntegration,
  deleteIntegration,
  getIntegration,
  type IntegrationDbRow,
  listIntegrations,
  listWebhookEvents,
  replayWebhookEvent,
  setIntegrationSecret,
  updateIntegration,
} from '../../queries/integrations.ts'
import { runAfterResponse } from '../../webhooks/after-response.ts'
import { processWebhookEventAsService } from '../../webhooks/process.ts'
import { publicUrlOf } from '../../webhooks/public-url.ts'
import { randomBytes, toBase64 } from '../../webhooks/signature-primitives.ts'
import type * as routes from './integrations.routes.ts'

/** The URL to give the CRM: this API's own origin (as the caller reached it) and base path. */
function webhookUrlOf(c: Context<AppEnv>, row: IntegrationDbRow) {
  return `${publicUrlOf(c).origin}${c.var.deps.config.API_BASE_PATH}/webhooks/${row.provider}/${row.id}`
}

const toIntegration = (c: Context<AppEnv>, row: IntegrationDbRow) => ({
  id: row.id,
  org_id: row.org_id,
  provider: row.provider,
  name: row.name,
  enabled: row.enabled,
  mapping: row.mapping,
  webhook_url: webhookUrlOf(c, row),
  created_by: row.created_by,
  created_at: isoTimestamp(row.created_at),
  updated_at: isoTimestamp(row.updated_at),
})

const base64url = (bytes: Uint8Array) =>
  toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

/** A secret for senders that take ours: Standard Webhooks' whsec_ form, Pipedrive's Basic credentials. */
function generatedSecret(provider: IntegrationProvider): string | undefined {
  if (provider === 'standard_webhooks') return `whsec_${toBase64(randomBytes(32))}`
  if (provider === 'pipedrive') return `crm-sync:${base64url(randomBytes(24))}`
  return undefined
}

function checkSecret(provider: IntegrationProvider, secret: string) {
  if (provider === 'pipedrive' && !secret.includes(':'))
    throw problems.badRequest('A Pipedrive secret is "user:password".', [
      { field: 'body.secret', message: 'must be user:password' },
    ])
  if (
    provider === 'standard_webhooks' &&
    secret.startsWith('whsec_') &&
    !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret)
  )
    throw problems.badRequest('A whsec_ secret is base64 after its prefix.', [
      { field: 'body.secret', message: 'must be whsec_ followed by base64' },
    ])
}

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const rows = await asCaller(c, (tx) => listIntegrations(tx, orgId))
  return c.json({ data: rows.map((row) => toIntegration(c, row)) }, 200)
}

export const create: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const body = c.req.valid('json')
  const secret = body.secret ?? generatedSecret(body.provider)
  if (!secret) {
    throw problems.badRequest('HubSpot signs with your app’s client secret: send it.', [
      { field: 'body.secret', message: 'is required for hubspot' },
    ])
  }
  checkSecret(body.provider, secret)
  const row = await asCaller(c, (tx) =>
    createIntegration(tx, orgId, {
      provider: body.provider,
      name: body.name,
      enabled: body.enabled ?? true,
      mapping: body.mapping ?? {},
      secret,
    }),
  )
  return c.json({ ...toIntegration(c, row), secret }, 201)
}

async function readOne(c: Context<AppEnv>, id: string) {
  const row = await asCaller(c, (tx) => getIntegration(tx, id))
  if (!row) throw problems.notFound('integration')
  return row
}

export const getOne: RouteHandler<typeof routes.getOne, AppEnv> = async (c) => {
  return c.json(toIntegration(c, await readOne(c, c.req.valid('param').id)), 200)
}

export const patch: RouteHandler<typeof routes.patch, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const body = c.req.valid('json')
  const row = await asCaller(c, async (tx) => {
    const updated = await updateIntegration(tx, id, body)
    if (!updated) throw problems.notFound('integration')
    if (body.secret) {
      checkSecret(updated.provider, body.secret)
      await setIntegrationSecret(tx, id, body.secret, true)
    }
    return updated
  })
  return c.json(toIntegration(c, row), 200)
}

export const remove: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const deleted = await asCaller(c, (tx) => deleteIntegration(tx, id))
  if (!deleted) throw problems.notFound('integration')
  return c.body(null, 204)
}

export const listEvents: RouteHandler<typeof routes.listEvents, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const { status, limit } = c.req.valid('query')
  const rows = await asCaller(c, (tx) => listWebhookEvents(tx, orgId, { status, limit }))
  return c.json(
    {
      data: rows.map((row) => ({
        ...row,
        received_at: isoTimestamp(row.received_at),
        next_attempt_at: isoTimestamp(row.next_attempt_at),
        processed_at: row.processed_at === null ? null : isoTimestamp(row.processed_at),
      })),
    },
    200,
  )
}

export const replay: RouteHandler<typeof routes.replay, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const outcome = await asCaller(c, (tx) => replayWebhookEvent(tx, id))
  if (outcome === 'missing') throw problems.notFound('webhook event')
  if (outcome === 'not_replayable') {
    throw new ApiProblem(
      409,
      'not_replayable',
      'Conflict',
      'Only failed or dead-lettered events are replayed.',
    )
  }
  const { db, clock, log } = c.var.deps
  runAfterResponse(c, () => processWebhookEventAsService(db, id, { now: clock() }), log)
  return c.json({ id, status: 'pending' as const }, 202)
}

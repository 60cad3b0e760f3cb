import { beforeAll, describe, expect, it } from 'vitest'
import { useApiFixture } from '../../../tests/support/use-api-fixture.ts'

describe('integrations API', () => {
  const api = useApiFixture()
  // Set once the fixture's beforeAll has run (hooks run in the order they are registered).
  let { t, f, request, tokens } = api
  beforeAll(() => {
    ;({ t, f, request, tokens } = api)
  })

  it('should create an integration and show its secret once, with its webhook URL', async () => {
    const res = await request('POST', `/orgs/${f.orgA}/integrations`, {
      token: tokens.admin,
      body: { provider: 'standard_webhooks', name: 'Billing system', mapping: { on_delete: 'keep' } },
    })
    expect(res.status).toBe(201)
    expect(res.json).toMatchObject({
      provider: 'standard_webhooks',
      name: 'Billing system',
      enabled: true,
      mapping: { on_delete: 'keep' },
      created_by: f.users.admin.id,
    })
    expect(res.json.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/)
    expect(res.json.webhook_url).toBe(`http://localhost/api/webhooks/standard_webhooks/${res.json.id}`)
    const again = await request('GET', `/integrations/${res.json.id}`, { token: tokens.admin })
    expect(again.status).toBe(200)
    expect(again.json).not.toHaveProperty('secret')
    expect(
      JSON.stringify((await request('GET', `/orgs/${f.orgA}/integrations`, { token: tokens.owner })).json),
    ).not.toContain(res.json.secret)
  })

  it('should generate Pipedrive Basic credentials and require HubSpot’s client secret', async () => {
    const pipedrive = await request('POST', `/orgs/${f.orgA}/integrations`, {
      token: tokens.owner,
      body: { provider: 'pipedrive', name: 'Pipedrive' },
    })
    expect(pipedrive.status).toBe(201)
    expect(pipedrive.json.secret).toMatch(/^[^:]+:.{16,}$/)
    const hubspot = await request('POST', `/orgs/${f.orgA}/integrations`, {
      token: tokens.admin,
      body: { provider: 'hubspot', name: 'HubSpot' },
    })
    expect(hubspot.status).toBe(400)
    expect(hubspot.json.errors).toEqual([{ field: 'body.secret', message: 'is required for hubspot' }])
  })

  it('should refuse unknown fields and providers', async () => {
    const res = await request('POST', `/orgs/${f.orgA}/integrations`, {
      token: tokens.admin,
      body: { provider: 'salesforce', name: 'x', secret_hash: 'y' },
    })
    expect(res.status).toBe(400)
    expect(res.json.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'body.provider',
      'body.secret_hash',
    ])
  })

  it('should let only admins and owners manage integrations; others see none of them', async () => {
    const created = await request('POST', `/orgs/${f.orgA}/integrations`, {
      token: tokens.admin,
      body: { provider: 'hubspot', name: 'HubSpot', secret: 'hubspot-client-secret-abcdef' },
    })
    const id = created.json.id
    for (const role of ['manager', 'rep', 'viewer'] as const) {
      expect((await request('GET', `/integrations/${id}`, { token: tokens[role] })).status).toBe(404)
      expect(
        (await request('GET', `/orgs/${f.orgA}/integrations`, { token: tokens[role] })).json.data,
      ).toEqual([])
      expect(
        (await request('PATCH', `/integrations/${id}`, { token: tokens[role], body: { enabled: false } }))
          .status,
      ).toBe(404)
      expect((await request('DELETE', `/integrations/${id}`, { token: tokens[role] })).status).toBe(404)
      const create = await request('POST', `/orgs/${f.orgA}/integrations`, {
        token: tokens[role],
        body: { provider: 'pipedrive', name: 'Sneaky' },
      })
      expect(create.status).toBe(403)
    }
    expect((await request('GET', `/integrations/${id}`, { token: tokens.outsider })).status).toBe(404)
    expect(
      (
        await request('POST', `/orgs/${f.orgA}/integrations`, {
          token: tokens.outsider,
          body: { provider: 'pipedrive', name: 'x' },
        })
      ).status,
    ).toBe(404)
  })

  it('should disable, remap, rotate the secret and delete', async () => {
    const created = await request('POST', `/orgs/${f.orgA}/integrations`, {
      token: tokens.admin,
      body: { provider: 'hubspot', name: 'HubSpot', secret: 'hubspot-client-secret-first' },
    })
    const id = created.json.id
    const patched = await request('PATCH', `/integrations/${id}`, {
      token: tokens.admin,
      body: {
        enabled: false,
        mapping: { phase_values: { customer: 'won' } },
        secret: 'hubspot-client-secret-second',
      },
    })
    expect(patched.status).toBe(200)
    expect(patched.json).toMatchObject({ enabled: false, mapping: { phase_values: { customer: 'won' } } })
    expect(patched.json).not.toHaveProperty('secret')
    const [secrets] = await t.db.query<{ secrets: string[] }>(
      'select secrets from private.integration_secrets where integration_id = $1',
      [id],
    )
    expect(secrets?.secrets).toEqual(['hubspot-client-secret-second', 'hubspot-client-secret-first'])
    expect((await request('PATCH', `/integrations/${id}`, { token: tokens.admin, body: {} })).status).toBe(
      400,
    )
    expect((await request('DELETE', `/integrations/${id}`, { token: tokens.admin })).status).toBe(204)
    expect((await request('GET', `/integrations/${id}`, { token: tokens.admin })).status).toBe(404)
    expect(
      await t.db.query('select 1 from private.integration_secrets where integration_id = $1', [id]),
    ).toEqual([])
  })

  it('should need a token for the admin routes', async () => {
    expect((await request('GET', `/orgs/${f.orgA}/integrations`)).status).toBe(401)
    expect((await request('GET', `/orgs/${f.orgA}/webhook-events`)).status).toBe(401)
  })
})

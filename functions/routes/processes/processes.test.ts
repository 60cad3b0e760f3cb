import { describe, expect, it } from 'vitest'
import { failingFields, useApiFixture } from '../../../tests/support/use-api-fixture.ts'

describe('processes API', () => {
  const api = useApiFixture()

  it('should start a process as planned and record a status change on the timeline', async () => {
    const { f, tokens, request } = api
    const created = await request('POST', `/customers/${f.customers.repOwned}/processes`, {
      token: tokens.rep,
      body: { name: 'Data migration' },
    })
    expect(created.json).toMatchObject({ status: 'planned', phase: null })
    const changed = await request('PATCH', `/processes/${created.json.id}`, {
      token: tokens.rep,
      body: { status: 'blocked' },
    })
    expect(changed.json.status).toBe('blocked')
    const timeline = await request(
      'GET',
      `/customers/${f.customers.repOwned}/timeline?type=process_status_changed`,
      {
        token: tokens.viewer,
      },
    )
    expect(timeline.json.data[0]).toMatchObject({
      type: 'process_status_changed',
      actor_id: f.users.rep.id,
      payload: { process_id: created.json.id, old_status: 'planned', new_status: 'blocked' },
    })
  })

  it('should refuse a status or phase that does not exist', async () => {
    const { f, tokens, request } = api
    const res = await request('POST', `/customers/${f.customers.repOwned}/processes`, {
      token: tokens.rep,
      body: { name: 'X', status: 'paused', phase: 'dreaming' },
    })
    expect(res.status).toBe(400)
    expect(failingFields(res)).toEqual(['body.phase', 'body.status'])
  })

  it('should sort by status in business order', async () => {
    const { f, tokens, request } = api
    for (const status of ['done', 'planned', 'in_progress'])
      await request('POST', `/customers/${f.customers.rep2Owned}/processes`, {
        token: tokens.manager,
        body: { name: `P ${status}`, status },
      })
    const res = await request('GET', `/customers/${f.customers.rep2Owned}/processes?sort=status`, {
      token: tokens.viewer,
    })
    expect(res.json.data.map((p: { status: string }) => p.status)).toEqual([
      'planned',
      'planned',
      'in_progress',
      'done',
    ])
  })
})

import { describe, expect, it } from 'vitest'
import { useApiFixture } from '../../tests/support/use-api-fixture.ts'

/** If-Match (RFC 9110 §13.1.1): a tag no version can have fails the precondition; it is not a malformed request. */
describe('If-Match beyond any version', () => {
  const api = useApiFixture()
  // One past bigint's largest (9223372036854775807), and the largest 19-digit number.
  const beyond = ['"9223372036854775808"', '"9999999999999999999"', '"9223372036854775808-1.2"']

  it('should answer 412 to PATCH /tasks/{id} and change nothing', async () => {
    const { f, request, tokens } = api
    const task = await request('POST', `/customers/${f.customers.repOwned}/tasks`, {
      token: tokens.rep,
      body: { title: 'Call back' },
    })
    expect(task.status).toBe(201)
    for (const tag of beyond) {
      const res = await request('PATCH', `/tasks/${task.json.id}`, {
        token: tokens.rep,
        headers: { 'If-Match': tag },
        body: { title: 'Changed' },
      })
      expect(res.status, tag).toBe(412)
      expect(res.json.code).toBe('precondition_failed')
    }
    expect((await request('GET', `/tasks/${task.json.id}`, { token: tokens.rep })).json.title).toBe(
      'Call back',
    )
  })

  it('should answer 412 to PATCH /customers/{id} and change nothing', async () => {
    const { f, request, tokens } = api
    for (const tag of beyond) {
      const res = await request('PATCH', `/customers/${f.customers.repOwned}`, {
        token: tokens.rep,
        headers: { 'If-Match': tag },
        body: { name: 'Changed' },
      })
      expect(res.status, tag).toBe(412)
      expect(res.json.code).toBe('precondition_failed')
    }
    const customer = await request('GET', `/customers/${f.customers.repOwned}`, { token: tokens.rep })
    expect(customer.json.name).not.toBe('Changed')
  })

  it('should still compare the largest version bigint holds, and answer 412 as a stale tag', async () => {
    const { f, request, tokens } = api
    const res = await request('PATCH', `/customers/${f.customers.repOwned}`, {
      token: tokens.rep,
      headers: { 'If-Match': '"9223372036854775807"' },
      body: { name: 'Changed' },
    })
    expect(res.status).toBe(412)
  })
})

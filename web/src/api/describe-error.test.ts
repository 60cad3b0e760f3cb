import { describe, expect, it } from 'vitest'
import { ApiError } from './api-error.ts'
import { describeError } from './describe-error.ts'

const problem = (status: number, code: string, extra: object = {}) =>
  new ApiError(status, code, code, { status, code, ...extra })

describe('describeError', () => {
  it('should explain a stale edit, a refused role and a lost network in plain words', () => {
    expect(describeError(problem(412, 'precondition_failed'), 'this customer')).toBe(
      'Someone else changed this customer in the meantime, so your change was not saved. The latest version is shown.',
    )
    expect(describeError(problem(403, 'forbidden'), 'this customer')).toBe(
      'Your role does not allow you to change this customer.',
    )
    expect(describeError(ApiError.network(new TypeError('Failed to fetch')))).toMatch(/could not be reached/)
  })

  it('should list failing fields without their location prefix', () => {
    const error = problem(400, 'validation_failed', {
      errors: [
        { field: 'body.finance_code', message: 'Too big' },
        { field: 'query.limit', message: 'Too small' },
      ],
    })
    expect(describeError(error)).toBe('finance code: Too big; limit: Too small')
  })

  it('should never show a server error’s internals, and fall back to the detail for other 4xx', () => {
    expect(describeError(problem(500, 'internal_error', { detail: 'SQL!' }))).not.toContain('SQL')
    expect(
      describeError(problem(422, 'constraint_violation', { detail: 'An organization keeps one owner.' })),
    ).toBe('An organization keeps one owner.')
    expect(describeError(new Error('boom'))).toMatch(/Reload the page/)
  })

  it('should give a server failure its request id as a reference, and nothing else one', () => {
    const id = '3f6c1f8e-2b7a-4c1e-9a55-0d4c2f1b9e10'
    expect(describeError(new ApiError(500, 'internal_error', 'boom', undefined, id))).toBe(
      `The server had a problem; nothing was changed. Try again later. (reference ${id})`,
    )
    expect(describeError(problem(503, 'unavailable', { request_id: id }))).toContain(`(reference ${id})`)
    expect(describeError(problem(500, 'internal_error'))).not.toContain('reference')
    expect(describeError(problem(403, 'forbidden', { request_id: id }), 'this customer')).not.toContain(id)
    expect(describeError(ApiError.network(new TypeError('Failed to fetch'), id))).not.toContain(id)
  })
})

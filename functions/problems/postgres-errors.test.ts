import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFixture, type Fixture } from '../../tests/support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import { DatabaseBusyError } from '../db/connection-gate.ts'
import { withUser } from '../db/with-user.ts'
import { isPostgresError, isRetryable, problemFromPostgres } from './postgres-errors.ts'

/** An error shaped as postgres.js and PGlite shape a server error. */
const pgError = (code: string, message = 'boom', extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { code, ...extra })

describe('problemFromPostgres', () => {
  it.each([
    ['42501', 403, 'forbidden'],
    ['23505', 409, 'conflict'],
    ['23503', 422, 'invalid_reference'],
    ['23514', 422, 'constraint_violation'],
    ['23502', 422, 'missing_value'],
    ['22001', 422, 'value_too_long'],
    ['22P02', 400, 'validation_failed'],
    ['22007', 400, 'validation_failed'],
    ['22021', 400, 'validation_failed'],
    ['22P05', 400, 'validation_failed'],
    ['22023', 400, 'validation_failed'],
    ['22003', 400, 'validation_failed'],
    ['40001', 503, 'unavailable'],
    ['40P01', 503, 'unavailable'],
    // The database is unreachable or cut the statement short (issue 11: 503 and Retry-After, not a 500).
    ['57014', 503, 'unavailable'],
    ['57P01', 503, 'unavailable'],
    ['08006', 503, 'unavailable'],
    ['53300', 503, 'unavailable'],
  ])('should map SQLSTATE %s to %i %s', (code, status, problemCode) => {
    const problem = problemFromPostgres(pgError(code))
    expect(problem).toMatchObject({ status, code: problemCode })
  })

  it('should answer 503 with Retry-After when the connection gate turned the request away', () => {
    const problem = problemFromPostgres(new DatabaseBusyError('No database connection within 10000 ms.'))
    expect(problem).toMatchObject({
      status: 503,
      detail: 'The database is busy or unreachable; retry the request.',
    })
    expect(problem?.extra.headers).toMatchObject({ 'Retry-After': '1' })
  })

  it('should ask the client to retry a serialization failure after a second', () => {
    expect(problemFromPostgres(pgError('40001'))?.extra.headers).toEqual({ 'Retry-After': '1' })
  })

  it('should leave our own faults (syntax, undefined table, internal) to the 500 handler', () => {
    for (const code of ['42601', '42P01', 'XX000']) {
      expect(problemFromPostgres(pgError(code))).toBeUndefined()
    }
  })

  it('should not mistake other errors with a code for Postgres errors', () => {
    expect(isPostgresError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(false)
    expect(isPostgresError(Object.assign(new Error('x'), { code: 23505 }))).toBe(false)
    expect(isPostgresError('23505')).toBe(false)
    expect(isPostgresError(null)).toBe(false)
    expect(problemFromPostgres(new TypeError('undefined is not a function'))).toBeUndefined()
  })

  it('should name the constraint, from either driver’s field, and never the SQL', () => {
    const message = 'duplicate key value violates unique constraint "x" in insert into secret_table'
    expect(
      problemFromPostgres(pgError('23505', message, { constraint_name: 'customers_pkey' }))?.detail,
    ).toBe('That value is already taken (customers_pkey).')
    expect(problemFromPostgres(pgError('23505', message, { constraint: 'customers_pkey' }))?.detail).toBe(
      'That value is already taken (customers_pkey).',
    )
    expect(problemFromPostgres(pgError('23505', message))?.detail).not.toContain('secret_table')
  })

  it('should explain the last-owner rule in words', () => {
    expect(
      problemFromPostgres(pgError('23514', 'x', { constraint_name: 'memberships_last_owner' }))?.detail,
    ).toBe('An organization must keep at least one owner.')
  })

  it('should turn Postgres’s RLS message into one without internals, and keep our guards’ messages', () => {
    expect(
      problemFromPostgres(
        pgError('42501', 'new row violates row-level security policy for table "customers"'),
      )?.detail,
    ).toBe('Your role does not allow this change.')
    expect(problemFromPostgres(pgError('42501', 'permission denied for table customers'))?.detail).toBe(
      'Your role does not allow changing this.',
    )
    expect(problemFromPostgres(pgError('42501', 'only an admin can change roles'))?.detail).toBe(
      'Only an admin can change roles.',
    )
  })

  it('should call serialization failures and deadlocks retryable, and nothing else', () => {
    expect(isRetryable(pgError('40001'))).toBe(true)
    expect(isRetryable(pgError('40P01'))).toBe(true)
    expect(isRetryable(pgError('23505'))).toBe(false)
    expect(isRetryable(new Error('40001'))).toBe(false)
  })
})

describe('problemFromPostgres with errors the database really raises', () => {
  let t: TestDatabase
  let f: Fixture

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
  })
  afterAll(() => t.close())

  /** Runs SQL that must fail and returns what the driver threw. */
  async function failure(run: () => Promise<unknown>): Promise<unknown> {
    try {
      await run()
    } catch (error) {
      return error
    }
    throw new Error('expected the statement to fail')
  }

  it('should map a unique violation to 409 naming the constraint', async () => {
    const error = await failure(() =>
      t.db.query(
        `insert into public.customer_external_ids (org_id, customer_id, provider, external_id) values ($1, $2, 'hubspot', 'again')`,
        [f.orgA, f.customers.repOwned],
      ),
    )
    expect(problemFromPostgres(error)).toMatchObject({
      status: 409,
      code: 'conflict',
      detail: 'That value is already taken (customer_external_ids_one_per_provider).',
    })
  })

  it('should map a foreign key violation to 422 invalid_reference', async () => {
    const error = await failure(() =>
      t.db.query(`insert into public.customers (org_id, name) values ($1, 'Orphan')`, [randomUUID()]),
    )
    expect(problemFromPostgres(error)).toMatchObject({ status: 422, code: 'invalid_reference' })
  })

  it('should map a check violation to 422 constraint_violation naming the rule', async () => {
    const error = await failure(() =>
      t.db.query(`insert into public.customers (org_id, name) values ($1, '   ')`, [f.orgA]),
    )
    expect(problemFromPostgres(error)).toMatchObject({
      status: 422,
      code: 'constraint_violation',
      detail: 'A value breaks the rule customers_name_not_blank.',
    })
  })

  it('should map a not-null violation to 422 missing_value', async () => {
    const error = await failure(() =>
      t.db.query(`insert into public.customers (org_id, name) values ($1, null)`, [f.orgA]),
    )
    expect(problemFromPostgres(error)).toMatchObject({ status: 422, code: 'missing_value' })
  })

  it('should map a malformed value to 400', async () => {
    const error = await failure(() => t.db.query('select $1::uuid', ['not-a-uuid']))
    expect(problemFromPostgres(error)).toMatchObject({ status: 400, code: 'validation_failed' })
  })

  it('should map a row-level security refusal to 403 without naming the policy', async () => {
    const error = await failure(() =>
      withUser(t.db, { sub: f.users.viewer.id }, (tx) =>
        tx.query(`insert into public.customers (org_id, name) values ($1, 'Not mine to add')`, [f.orgA]),
      ),
    )
    expect(problemFromPostgres(error)).toMatchObject({
      status: 403,
      code: 'forbidden',
      detail: 'Your role does not allow this change.',
    })
  })

  it('should leave a syntax error to the 500 handler', async () => {
    const error = await failure(() => t.db.query('selec 1'))
    expect(isPostgresError(error)).toBe(true)
    expect(problemFromPostgres(error)).toBeUndefined()
  })
})

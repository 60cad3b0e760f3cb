import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Database, Queryable, Transaction } from '../../functions/db/database.ts'
import { withDatabaseRole, withServiceRole, withUser } from '../../functions/db/with-user.ts'
import { membershipRoles } from '../../functions/domain/vocabulary.ts'
import { createFixture, type Fixture } from '../support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { type DbError, dbErrorOf, permissionDenied, rlsViolation } from './expect-db-error.ts'

/**
 * The RLS matrix: every table × every kind of caller × every operation. Each
 * attempt runs in its own transaction as that caller and is always rolled
 * back, so one fixture per file serves every assertion.
 */

/** Members of org A (rep2 is a second rep), org B's owner, a signed-in user in no org, and the two API roles. */
export const actors = ['anon', ...membershipRoles, 'rep2', 'outsider', 'stranger', 'service_role'] as const
export type Actor = (typeof actors)[number]
export type Person = Exclude<Actor, 'anon' | 'service_role'>
export const membersOfA = [...membershipRoles, 'rep2'] as const

/** What an attempt came to: the rows it saw (by label), how many rows it wrote, or the exact error. */
export type Outcome = { sees: string[] } | { affected: number } | { error: string }

export const sees = (...labels: string[]): Outcome => ({ sees: [...labels].sort() })
export const affected = (count: number): Outcome => ({ affected: count })
export const fails = (error: DbError): Outcome => ({ error: `${error.code} ${error.message}` })
export const refusedByRls = (table: string) => fails(rlsViolation(table))
export const noPrivilege = (table: string) => fails(permissionDenied(table))

/** A row every caller gets, with exceptions: `expectations(affected(0), { owner: affected(1) })`. */
export function expectations(
  others: Outcome,
  exceptions: Partial<Record<Actor, Outcome>>,
): Record<Actor, Outcome> {
  return Object.fromEntries(actors.map((actor) => [actor, exceptions[actor] ?? others])) as Record<
    Actor,
    Outcome
  >
}

class Rollback {
  constructor(readonly value: unknown) {}
}

export interface World {
  t: TestDatabase
  f: Fixture
  /** Human names for the fixture's rows, keyed by id (or a composite key); see `loadLabels`. */
  labels: Map<string, string>
  /** Runs `fn` as `actor` in a transaction that is rolled back; returns what `fn` returned. */
  as<T>(actor: Actor, fn: (tx: Transaction) => Promise<T>): Promise<T>
  /** The same as the connecting superuser, as Supabase Auth or a seed writes (e.g. auth.users). */
  asSuperuser<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>
  /** A `select` whose rows have a `key` column: the labels of the rows the actor sees, or the error. */
  read(actor: Actor, sql: string, params?: unknown[]): Promise<Outcome>
  /** A write with `returning 1`: how many rows it affected, or the error. */
  write(actor: Actor, sql: string, params?: unknown[]): Promise<Outcome>
  /** The user id of a person, or undefined for anon and the service role. */
  idOf(actor: Actor): string | undefined
}

/** One migrated database with the fixture for this test file. */
export function useWorld(): World {
  const world = {} as World
  beforeAll(async () => {
    const t = await createTestDatabase()
    const f = await createFixture(t.db)
    const labels = await loadLabels(t.db, f)
    const as = <T>(actor: Actor, fn: (tx: Transaction) => Promise<T>) =>
      rolledBack(fn, (run) => runAs(t.db, f, actor, run))
    const asSuperuser = <T>(fn: (tx: Transaction) => Promise<T>) =>
      rolledBack(fn, (run) => t.db.transaction(run))
    const attempt = async (actor: Actor, run: (tx: Transaction) => Promise<Outcome>): Promise<Outcome> => {
      try {
        return await as(actor, run)
      } catch (error) {
        return fails(dbErrorOf(error))
      }
    }
    Object.assign(world, {
      t,
      f,
      labels,
      as,
      asSuperuser,
      read: (actor: Actor, sql: string, params: unknown[] = []) =>
        attempt(actor, async (tx) => {
          const rows = await tx.query<{ key: string }>(sql, params)
          return sees(...rows.map((row) => labels.get(row.key) ?? `unlabelled ${row.key}`))
        }),
      write: (actor: Actor, sql: string, params: unknown[] = []) => {
        // Rows are counted from what the statement returns: without `returning`, every
        // "affects 0 rows" expectation would hold whatever the policies did.
        if (!/\breturning\b|^\s*select\b/i.test(sql))
          throw new Error(`write() needs a returning clause: ${sql}`)
        return attempt(actor, async (tx) => affected((await tx.query(sql, params)).length))
      },
      idOf: (actor: Actor) => (actor === 'anon' || actor === 'service_role' ? undefined : f.users[actor].id),
    })
  })
  afterAll(() => world.t?.close())
  return world
}

/** Runs `fn` inside `transaction` and rolls it back whatever happens; returns what `fn` returned. */
async function rolledBack<T>(
  fn: (tx: Transaction) => Promise<T>,
  transaction: (run: (tx: Transaction) => Promise<never>) => Promise<unknown>,
): Promise<T> {
  try {
    await transaction(async (tx) => {
      throw new Rollback(await fn(tx))
    })
  } catch (error) {
    if (error instanceof Rollback) return error.value as T
    throw error
  }
  throw new Error('unreachable: the transaction always rolls back')
}

export function runAs<T>(db: Database, f: Fixture, actor: Actor, fn: (tx: Transaction) => Promise<T>) {
  if (actor === 'anon') return withDatabaseRole(db, 'anon', { role: 'anon' }, fn)
  if (actor === 'service_role') return withServiceRole(db, fn)
  return withUser(db, { sub: f.users[actor].id, email: f.users[actor].email }, fn)
}

/**
 * Declares one test per actor for one operation, titled with the expected
 * outcome, e.g. "rep2 affects 0 rows when updating rep's customer".
 */
export function eachActor(
  action: string,
  expected: Record<Actor, Outcome>,
  attempt: (actor: Actor) => Promise<Outcome>,
) {
  for (const actor of actors) {
    const outcome = expected[actor]
    it(`${actor} ${describeOutcome(outcome)} when ${action}`, async () => {
      expect(await attempt(actor)).toEqual(outcome)
    })
  }
}

function describeOutcome(outcome: Outcome): string {
  if ('sees' in outcome)
    return outcome.sees.length ? `sees exactly ${outcome.sees.join(', ')}` : 'sees nothing'
  if ('affected' in outcome) return `affects ${outcome.affected} row${outcome.affected === 1 ? '' : 's'}`
  return `gets "${outcome.error}"`
}

/**
 * Labels for every fixture row, so failures read "rep2Owned" instead of a uuid:
 * customers are repOwned, rep2Owned and orgBCustomer; a child row is labelled by
 * its customer; a timeline event as "<type> on <customer>"; a membership as
 * "<person>@<org>"; a chat session or message by its user.
 */
export async function loadLabels(db: Queryable, f: Fixture): Promise<Map<string, string>> {
  const labels = new Map<string, string>([
    [f.orgA, 'orgA'],
    [f.orgB, 'orgB'],
    [f.customers.repOwned, 'repOwned'],
    [f.customers.rep2Owned, 'rep2Owned'],
    [f.customers.orgB, 'orgBCustomer'],
  ])
  for (const [person, user] of Object.entries(f.users)) labels.set(user.id, person)
  const name = (id: string | null) => (id ? (labels.get(id) ?? id) : 'nobody')
  for (const table of ['contacts', 'teams', 'processes', 'services', 'documents']) {
    for (const row of await db.query<{ id: string; customer_id: string }>(
      `select id, customer_id from public.${table}`,
    ))
      labels.set(row.id, name(row.customer_id))
  }
  for (const row of await db.query<{ key: string; customer_id: string }>(
    `select org_id || '/' || provider || '/' || external_id as key, customer_id from public.customer_external_ids`,
  ))
    labels.set(row.key, name(row.customer_id))
  for (const row of await db.query<{ id: string; type: string; customer_id: string | null }>(
    'select id, type, customer_id from public.timeline_events',
  ))
    labels.set(row.id, `${row.type} on ${name(row.customer_id)}`)
  for (const row of await db.query<{ org_id: string; user_id: string }>(
    'select org_id, user_id from public.memberships',
  ))
    labels.set(`${row.org_id}/${row.user_id}`, `${name(row.user_id)}@${name(row.org_id)}`)
  for (const row of await db.query<{ id: string; user_id: string }>(
    'select id, user_id from public.chat_sessions',
  ))
    labels.set(row.id, `${name(row.user_id)}'s session`)
  for (const row of await db.query<{ id: string; user_id: string }>(
    'select m.id, s.user_id from public.chat_messages m join public.chat_sessions s on s.id = m.session_id',
  ))
    labels.set(row.id, `${name(row.user_id)}'s message`)
  return labels
}

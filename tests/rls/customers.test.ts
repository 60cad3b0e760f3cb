import { describe, expect, it } from 'vitest'
import { dbErrorOf } from './expect-db-error.ts'
import {
  affected,
  eachActor,
  expectations,
  fails,
  membersOfA,
  noPrivilege,
  refusedByRls,
  sees,
  useWorld,
} from './matrix.ts'

const w = useWorld()
const denied = noPrivilege('customers')
const refused = refusedByRls('customers')
const orgIdFrozen = fails({ code: '42501', message: 'org_id cannot be changed' })
const onlyManagers = fails({ code: '42501', message: 'only a manager can reassign a customer' })

describe('customers: select', () => {
  eachActor(
    'selecting all customers',
    expectations(sees(), {
      anon: denied,
      ...Object.fromEntries(membersOfA.map((m) => [m, sees('repOwned', 'rep2Owned')])),
      outsider: sees('orgBCustomer'),
      service_role: sees('repOwned', 'rep2Owned', 'orgBCustomer'),
    }),
    (actor) => w.read(actor, 'select id::text as key from public.customers'),
  )

  eachActor(
    "looking up org A's customers by org_id and id",
    expectations(sees(), {
      anon: denied,
      ...Object.fromEntries(membersOfA.map((m) => [m, sees('repOwned')])),
      service_role: sees('repOwned'),
    }),
    (actor) =>
      w.read(actor, 'select id::text as key from public.customers where org_id = $1 and id = $2', [
        w.f.orgA,
        w.f.customers.repOwned,
      ]),
  )
})

describe('customers: insert', () => {
  eachActor(
    'creating a customer in org A owned by themselves (owner_id defaults to the caller)',
    expectations(refused, {
      anon: denied,
      owner: affected(1),
      admin: affected(1),
      manager: affected(1),
      rep: affected(1),
      rep2: affected(1),
      service_role: affected(1),
    }),
    (actor) =>
      w.write(actor, `insert into public.customers (org_id, name) values ($1, 'New customer') returning 1`, [
        w.f.orgA,
      ]),
  )

  eachActor(
    'creating a customer in org A owned by rep2',
    expectations(refused, {
      anon: denied,
      owner: affected(1),
      admin: affected(1),
      manager: affected(1),
      rep2: affected(1),
      service_role: affected(1),
    }),
    (actor) =>
      w.write(
        actor,
        `insert into public.customers (org_id, owner_id, name) values ($1, $2, 'New customer') returning 1`,
        [w.f.orgA, w.f.users.rep2.id],
      ),
  )

  eachActor(
    'creating an unassigned customer in org A',
    expectations(refused, {
      anon: denied,
      owner: affected(1),
      admin: affected(1),
      manager: affected(1),
      service_role: affected(1),
    }),
    (actor) =>
      w.write(
        actor,
        `insert into public.customers (org_id, owner_id, name) values ($1, null, 'New customer') returning 1`,
        [w.f.orgA],
      ),
  )

  eachActor(
    'creating a customer in org B owned by outsider',
    expectations(refused, { anon: denied, outsider: affected(1), service_role: affected(1) }),
    (actor) =>
      w.write(
        actor,
        `insert into public.customers (org_id, owner_id, name) values ($1, $2, 'New customer') returning 1`,
        [w.f.orgB, w.f.users.outsider.id],
      ),
  )
})

describe('customers: update', () => {
  eachActor(
    "changing the phase of rep's customer",
    expectations(affected(0), {
      anon: denied,
      owner: affected(1),
      admin: affected(1),
      manager: affected(1),
      rep: affected(1),
      service_role: affected(1),
    }),
    (actor) =>
      w.write(actor, `update public.customers set phase = 'qualified' where id = $1 returning 1`, [
        w.f.customers.repOwned,
      ]),
  )

  eachActor(
    "reassigning rep's customer to rep2",
    expectations(affected(0), {
      anon: denied,
      owner: affected(1),
      admin: affected(1),
      manager: affected(1),
      rep: onlyManagers,
      service_role: affected(1),
    }),
    (actor) =>
      w.write(actor, 'update public.customers set owner_id = $2 where id = $1 returning 1', [
        w.f.customers.repOwned,
        w.f.users.rep2.id,
      ]),
  )

  eachActor(
    "unassigning rep's customer",
    expectations(affected(0), {
      anon: denied,
      owner: affected(1),
      admin: affected(1),
      manager: affected(1),
      rep: onlyManagers,
      service_role: affected(1),
    }),
    (actor) =>
      w.write(actor, 'update public.customers set owner_id = null where id = $1 returning 1', [
        w.f.customers.repOwned,
      ]),
  )

  eachActor(
    "taking over rep2's customer for rep",
    expectations(affected(0), {
      anon: denied,
      rep2: onlyManagers,
      owner: affected(1),
      admin: affected(1),
      manager: affected(1),
      service_role: affected(1),
    }),
    (actor) =>
      w.write(actor, 'update public.customers set owner_id = $2 where id = $1 returning 1', [
        w.f.customers.rep2Owned,
        w.f.users.rep.id,
      ]),
  )

  eachActor(
    "moving rep's customer to org B",
    // Signed-in users update named columns only (20261204100200); the trigger holds for the service role.
    expectations(denied, { service_role: orgIdFrozen }),
    (actor) =>
      w.write(actor, 'update public.customers set org_id = $2 where id = $1 returning 1', [
        w.f.customers.repOwned,
        w.f.orgB,
      ]),
  )

  eachActor(
    "changing the phase of org B's customer",
    expectations(affected(0), { anon: denied, outsider: affected(1), service_role: affected(1) }),
    (actor) =>
      w.write(actor, `update public.customers set phase = 'won' where id = $1 returning 1`, [
        w.f.customers.orgB,
      ]),
  )
})

describe('customers: delete', () => {
  eachActor(
    "deleting rep's customer",
    expectations(affected(0), {
      anon: denied,
      owner: affected(1),
      admin: affected(1),
      manager: affected(1),
      rep: affected(1),
      service_role: affected(1),
    }),
    (actor) =>
      w.write(actor, 'delete from public.customers where id = $1 returning 1', [w.f.customers.repOwned]),
  )

  eachActor(
    "deleting org B's customer",
    expectations(affected(0), { anon: denied, outsider: affected(1), service_role: affected(1) }),
    (actor) => w.write(actor, 'delete from public.customers where id = $1 returning 1', [w.f.customers.orgB]),
  )
})

describe('customers: rules beyond the matrix', () => {
  it('should refuse a manager handing a customer to someone outside the organization', async () => {
    const error = await w
      .as('manager', (tx) =>
        tx.query('update public.customers set owner_id = $2 where id = $1', [
          w.f.customers.repOwned,
          w.f.users.outsider.id,
        ]),
      )
      .then(() => undefined, dbErrorOf)
    expect(error).toEqual({
      code: '23503',
      message:
        'insert or update on table "customers" violates foreign key constraint "customers_owner_is_member"',
    })
  })

  it('should let a rep edit their own customer in every column but the owner and the org', async () => {
    const rows = await w.as('rep', (tx) =>
      tx.query<{ name: string; phase: string; owner_id: string }>(
        `update public.customers set name = 'Renamed', phase = 'won', owner_id = owner_id
         where id = $1 returning name, phase, owner_id`,
        [w.f.customers.repOwned],
      ),
    )
    expect(rows).toEqual([{ name: 'Renamed', phase: 'won', owner_id: w.f.users.rep.id }])
  })

  it('should let a rep who owns customers leave the organization, after which they see none of them', async () => {
    const result = await w.as('rep', async (tx) => ({
      left: await tx.query('delete from public.memberships where org_id = $1 and user_id = $2 returning 1', [
        w.f.orgA,
        w.f.users.rep.id,
      ]),
      customers: await tx.query('select id from public.customers'),
    }))
    expect(result).toEqual({ left: [{ '?column?': 1 }], customers: [] })
  })

  it.each(['rep', 'admin'] as const)(
    "should unassign rep's customers when the rep's membership is deleted by %s",
    async (actor) => {
      const owners = await w.as(actor, async (tx) => {
        await tx.query('delete from public.memberships where org_id = $1 and user_id = $2', [
          w.f.orgA,
          w.f.users.rep.id,
        ])
        await tx.query(`select set_config('role', 'service_role', true)`)
        return tx.query<{ owner_id: string | null }>('select owner_id from public.customers where id = $1', [
          w.f.customers.repOwned,
        ])
      })
      expect(owners).toEqual([{ owner_id: null }])
    },
  )
})

import { describe, expect, it } from 'vitest'
import { dbErrorOf, expectDbError, rlsViolation } from './expect-db-error.ts'
import {
  type Actor,
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
const lastOwner = fails({ code: '23514', message: 'an organization must keep at least one owner' })
const membershipKey = `select org_id || '/' || user_id as key from public.memberships`

describe('organizations: select', () => {
  eachActor(
    'selecting all organizations',
    expectations(sees(), {
      anon: noPrivilege('organizations'),
      ...Object.fromEntries(membersOfA.map((m) => [m, sees('orgA')])),
      outsider: sees('orgB'),
      service_role: sees('orgA', 'orgB'),
    }),
    (actor) => w.read(actor, 'select id::text as key from public.organizations'),
  )
})

describe('organizations: insert', () => {
  eachActor(
    'creating an organization and then listing the organizations they own',
    expectations(affected(1), { anon: noPrivilege('organizations'), service_role: affected(0) }),
    (actor) =>
      w
        .as(actor, async (tx) => {
          await tx.query(`insert into public.organizations (name) values ('New org')`)
          const owned = await tx.query(
            `select 1 from public.organizations o join public.memberships m on m.org_id = o.id
           where o.name = 'New org' and m.user_id = (select auth.uid()) and m.role = 'owner'`,
          )
          return affected(owned.length)
        })
        .catch((error) => fails(dbErrorOf(error))),
  )

  // The database records the signed-in caller as the creator, whoever is named (tests/triggers.test.ts).
  eachActor(
    'creating an organization naming viewer as its creator',
    expectations(affected(1), { anon: noPrivilege('organizations') }),
    (actor) =>
      w.write(
        actor,
        `insert into public.organizations (name, created_by) values ('New org', $1) returning id`,
        [w.f.users.viewer.id],
      ),
  )
})

describe('organizations: update', () => {
  eachActor(
    'renaming org A',
    expectations(affected(0), {
      anon: noPrivilege('organizations'),
      owner: affected(1),
      admin: affected(1),
      service_role: affected(1),
    }),
    (actor) =>
      w.write(actor, `update public.organizations set name = 'Renamed' where id = $1 returning 1`, [
        w.f.orgA,
      ]),
  )

  eachActor(
    "changing org A's creator",
    expectations(noPrivilege('organizations'), { service_role: affected(1) }),
    (actor) =>
      w.write(actor, `update public.organizations set created_by = $2 where id = $1 returning 1`, [
        w.f.orgA,
        w.f.users.rep.id,
      ]),
  )
})

describe('organizations: delete', () => {
  eachActor(
    'deleting org A',
    expectations(affected(0), {
      anon: noPrivilege('organizations'),
      owner: affected(1),
      service_role: affected(1),
    }),
    (actor) => w.write(actor, 'delete from public.organizations where id = $1 returning 1', [w.f.orgA]),
  )
})

describe('memberships: select', () => {
  eachActor(
    'selecting all memberships',
    expectations(sees(), {
      anon: noPrivilege('memberships'),
      ...Object.fromEntries(
        membersOfA.map((m) => [m, sees(...membersOfA.map((person) => `${person}@orgA`))]),
      ),
      outsider: sees('outsider@orgB'),
      service_role: sees(...membersOfA.map((person) => `${person}@orgA`), 'outsider@orgB'),
    }),
    (actor) => w.read(actor, membershipKey),
  )
})

// Nobody signed in inserts a membership, by any route: memberships arise from an
// accepted invitation (tests/rls/invitations.test.ts) and from creating an organization.
describe('memberships: insert', () => {
  const addStranger = (role: string) => (actor: Actor) =>
    w.write(actor, 'insert into public.memberships (org_id, user_id, role) values ($1, $2, $3) returning 1', [
      w.f.orgA,
      w.f.users.stranger.id,
      role,
    ])

  eachActor(
    'adding stranger to org A as a viewer',
    expectations(noPrivilege('memberships'), { service_role: affected(1) }),
    addStranger('viewer'),
  )

  eachActor(
    'adding stranger to org A as an owner',
    expectations(noPrivilege('memberships'), { service_role: affected(1) }),
    addStranger('owner'),
  )

  eachActor(
    'adding themselves to org B as an owner',
    expectations(noPrivilege('memberships'), {
      service_role: fails({
        code: '23502',
        message: 'null value in column "user_id" of relation "memberships" violates not-null constraint',
      }),
    }),
    (actor) =>
      w.write(
        actor,
        `insert into public.memberships (org_id, user_id, role) values ($1, (select auth.uid()), 'owner') returning 1`,
        [w.f.orgB],
      ),
  )
})

describe('memberships: update', () => {
  const setRole = (person: 'viewer' | 'admin' | 'owner', role: string) => (actor: Actor) =>
    w.write(actor, 'update public.memberships set role = $3 where org_id = $1 and user_id = $2 returning 1', [
      w.f.orgA,
      w.f.users[person].id,
      role,
    ])

  eachActor(
    "changing viewer's role to rep",
    expectations(affected(0), {
      anon: noPrivilege('memberships'),
      owner: affected(1),
      admin: affected(1),
      service_role: affected(1),
    }),
    setRole('viewer', 'rep'),
  )

  eachActor(
    'promoting viewer to owner',
    expectations(affected(0), {
      anon: noPrivilege('memberships'),
      owner: affected(1),
      admin: refusedByRls('memberships'),
      service_role: affected(1),
    }),
    setRole('viewer', 'owner'),
  )

  eachActor(
    'promoting admin to owner',
    expectations(affected(0), {
      anon: noPrivilege('memberships'),
      owner: affected(1),
      admin: refusedByRls('memberships'),
      service_role: affected(1),
    }),
    setRole('admin', 'owner'),
  )

  eachActor(
    'demoting the only owner to admin',
    expectations(affected(0), {
      anon: noPrivilege('memberships'),
      owner: lastOwner,
      service_role: lastOwner,
    }),
    setRole('owner', 'admin'),
  )

  eachActor(
    "moving viewer's membership to org B",
    expectations(noPrivilege('memberships'), {
      service_role: fails({ code: '42501', message: 'org_id cannot be changed' }),
    }),
    (actor) =>
      w.write(
        actor,
        'update public.memberships set org_id = $3 where org_id = $1 and user_id = $2 returning 1',
        [w.f.orgA, w.f.users.viewer.id, w.f.orgB],
      ),
  )

  eachActor(
    "handing viewer's membership to stranger",
    expectations(noPrivilege('memberships'), { service_role: affected(1) }),
    (actor) =>
      w.write(
        actor,
        'update public.memberships set user_id = $3 where org_id = $1 and user_id = $2 returning 1',
        [w.f.orgA, w.f.users.viewer.id, w.f.users.stranger.id],
      ),
  )
})

describe('memberships: delete', () => {
  const remove = (person: 'viewer' | 'owner' | 'admin') => (actor: Actor) =>
    w.write(actor, 'delete from public.memberships where org_id = $1 and user_id = $2 returning 1', [
      w.f.orgA,
      w.f.users[person].id,
    ])

  eachActor(
    "removing viewer's membership",
    expectations(affected(0), {
      anon: noPrivilege('memberships'),
      owner: affected(1),
      admin: affected(1),
      viewer: affected(1),
      service_role: affected(1),
    }),
    remove('viewer'),
  )

  eachActor(
    "removing admin's membership",
    expectations(affected(0), {
      anon: noPrivilege('memberships'),
      owner: affected(1),
      admin: affected(1),
      service_role: affected(1),
    }),
    remove('admin'),
  )

  eachActor(
    "removing the only owner's membership",
    expectations(affected(0), {
      anon: noPrivilege('memberships'),
      owner: lastOwner,
      service_role: lastOwner,
    }),
    remove('owner'),
  )
})

describe('tenancy: rules beyond the matrix', () => {
  it('should let an owner step down once another owner exists', async () => {
    const roles = await w.as('owner', async (tx) => {
      await tx.query(`update public.memberships set role = 'owner' where org_id = $1 and user_id = $2`, [
        w.f.orgA,
        w.f.users.admin.id,
      ])
      await tx.query(`update public.memberships set role = 'viewer' where org_id = $1 and user_id = $2`, [
        w.f.orgA,
        w.f.users.owner.id,
      ])
      return tx.query(`select role from public.memberships where org_id = $1 and role = 'owner'`, [w.f.orgA])
    })
    expect(roles).toEqual([{ role: 'owner' }])
  })

  it('should not let an admin make themselves an owner', async () => {
    await expectDbError(
      w.as('admin', (tx) =>
        tx.query(`update public.memberships set role = 'owner' where org_id = $1 and user_id = $2`, [
          w.f.orgA,
          w.f.users.admin.id,
        ]),
      ),
      rlsViolation('memberships'),
    )
  })

  it("should not let an admin of org B touch org A's memberships", async () => {
    const result = await w.as('outsider', async (tx) => ({
      updated: await tx.query(`update public.memberships set role = 'viewer' where org_id = $1 returning 1`, [
        w.f.orgA,
      ]),
      deleted: await tx.query('delete from public.memberships where org_id = $1 returning 1', [w.f.orgA]),
    }))
    expect(result).toEqual({ updated: [], deleted: [] })
  })

  it('should delete the whole organization with its owners when the owner deletes it', async () => {
    const left = await w.as('owner', async (tx) => {
      await tx.query('delete from public.organizations where id = $1', [w.f.orgA])
      await tx.query(`select set_config('role', 'service_role', true)`)
      return tx.query('select count(*)::int as n from public.memberships where org_id = $1', [w.f.orgA])
    })
    expect(left).toEqual([{ n: 0 }])
  })
})

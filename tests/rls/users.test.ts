import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { expectDbError } from './expect-db-error.ts'
import {
  type Actor,
  affected,
  eachActor,
  expectations,
  fails,
  membersOfA,
  noPrivilege,
  sees,
  useWorld,
} from './matrix.ts'

/** Profiles: your own and your colleagues'; only you edit yours, and only its presentation. */
const w = useWorld()
const denied = noPrivilege('users')

describe('users: select', () => {
  eachActor(
    'selecting all profiles',
    expectations(sees(), {
      anon: denied,
      ...Object.fromEntries(membersOfA.map((m) => [m, sees(...membersOfA)])),
      outsider: sees('outsider'),
      stranger: sees('stranger'),
      service_role: sees(...membersOfA, 'outsider', 'stranger'),
    }),
    (actor) => w.read(actor, 'select id::text as key from public.users'),
  )
})

describe('users: insert', () => {
  eachActor(
    'creating a profile',
    // Profiles come from the auth trigger alone: signed-in users hold no insert privilege.
    expectations(denied, {
      // Past the privilege, a profile still needs its auth user.
      service_role: fails({
        code: '23503',
        message: 'insert or update on table "users" violates foreign key constraint "users_id_fkey"',
      }),
    }),
    (actor) =>
      w.write(
        actor,
        `insert into public.users (id, email, username, display_name) values ($1, 'new@example.com', 'newbie', 'New') returning 1`,
        [randomUUID()],
      ),
  )
})

describe('users: update', () => {
  const self = (actor: Actor) => w.idOf(actor) ?? w.f.users.rep.id

  eachActor(
    'changing their own display name (the service role: rep’s)',
    expectations(affected(1), { anon: denied }),
    (actor) =>
      w.write(actor, `update public.users set display_name = 'Renamed' where id = $1 returning 1`, [
        self(actor),
      ]),
  )

  eachActor(
    'changing their own username (the service role: rep’s)',
    expectations(affected(1), { anon: denied }),
    (actor) =>
      w.write(actor, `update public.users set username = 'renamed-user' where id = $1 returning 1`, [
        self(actor),
      ]),
  )

  eachActor(
    "changing rep's display name",
    expectations(affected(0), { anon: denied, rep: affected(1), service_role: affected(1) }),
    (actor) =>
      w.write(actor, `update public.users set display_name = 'Renamed' where id = $1 returning 1`, [
        w.f.users.rep.id,
      ]),
  )

  eachActor(
    'changing their own email (the service role: rep’s)',
    expectations(denied, { service_role: affected(1) }),
    (actor) =>
      w.write(actor, `update public.users set email = 'changed@example.com' where id = $1 returning 1`, [
        self(actor),
      ]),
  )
})

describe('users: delete', () => {
  eachActor(
    "deleting rep's profile",
    // A profile goes with its auth user: signed-in users hold no delete privilege.
    expectations(denied, { service_role: affected(1) }),
    (actor) => w.write(actor, 'delete from public.users where id = $1 returning 1', [w.f.users.rep.id]),
  )
})

describe('users: rules beyond the matrix', () => {
  it('should refuse a username someone else already has', async () => {
    const taken = await w.as('service_role', (tx) =>
      tx.query<{ username: string }>('select username from public.users where id = $1', [w.f.users.admin.id]),
    )
    await expectDbError(
      w.as('rep', (tx) =>
        tx.query('update public.users set username = $2 where id = $1', [
          w.f.users.rep.id,
          taken[0]?.username,
        ]),
      ),
      { code: '23505', message: 'duplicate key value violates unique constraint "users_username_key"' },
    )
  })

  it('should show a profile to a colleague only once they accepted an invitation to a shared organization', async () => {
    const seen = await w.as('stranger', async (tx) => {
      const before = await tx.query('select id from public.users where id = $1', [w.f.users.rep.id])
      // Org A's admin invites the stranger's address; the stranger accepts: the only way in.
      await tx.query(`select set_config('request.jwt.claims', $1, true)`, [
        JSON.stringify({ sub: w.f.users.admin.id, role: 'authenticated' }),
      ])
      const [invitation] = await tx.query<{ id: string }>(
        `insert into public.invitations (org_id, email, role) values ($1, $2, 'viewer') returning id`,
        [w.f.orgA, w.f.users.stranger.email],
      )
      await tx.query(`select set_config('request.jwt.claims', $1, true)`, [
        JSON.stringify({ sub: w.f.users.stranger.id, role: 'authenticated' }),
      ])
      const pending = await tx.query('select id from public.users where id = $1', [w.f.users.rep.id])
      await tx.query('select private.accept_invitation($1)', [invitation?.id])
      const after = await tx.query('select id from public.users where id = $1', [w.f.users.rep.id])
      return { before: before.length, pending: pending.length, after: after.length }
    })
    expect(seen).toEqual({ before: 0, pending: 0, after: 1 })
  })
})

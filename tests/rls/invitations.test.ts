import { beforeAll, describe, expect, it } from 'vitest'
import type { Transaction } from '../../functions/db/database.ts'
import { dbErrorOf, expectDbError, permissionDenied } from './expect-db-error.ts'
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

/**
 * Invitations: admins and owners of the organization see, offer and revoke
 * them; the invitee (matched on the verified email in auth.users) sees their
 * own open ones and answers them through private.accept_invitation and
 * private.decline_invitation; nobody else sees anything.
 */
const w = useWorld()
const denied = noPrivilege('invitations')
const notFound = fails({ code: 'P0002', message: 'invitation not found' })
const ids = {} as Record<'toStranger' | 'toOwner' | 'ended' | 'inB', string>

beforeAll(async () => {
  const invite = async (label: keyof typeof ids, org: string, email: string, role: string, by: string) => {
    const [row] = await w.t.db.query<{ id: string }>(
      `insert into public.invitations (org_id, email, role, invited_by) values ($1, $2, $3, $4) returning id`,
      [org, email, role, by],
    )
    ids[label] = row?.id as string
    w.labels.set(ids[label], label)
  }
  // Upper case on purpose: addresses are compared case-insensitively.
  await invite('toStranger', w.f.orgA, w.f.users.stranger.email.toUpperCase(), 'viewer', w.f.users.admin.id)
  await invite('toOwner', w.f.orgA, 'future-owner@example.com', 'owner', w.f.users.owner.id)
  await invite('ended', w.f.orgA, 'gone@example.com', 'rep', w.f.users.admin.id)
  await w.t.db.query(`update public.invitations set status = 'declined' where id = $1`, [ids.ended])
  await invite('inB', w.f.orgB, w.f.users.stranger.email, 'rep', w.f.users.outsider.id)
})

/** Runs SQL as the superuser inside the actor's transaction (a seed's write), then returns to the actor. */
async function asSuperuserWithin(tx: Transaction, actor: Actor, sql: string, params: unknown[] = []) {
  await tx.query('reset role')
  const rows = await tx.query(sql, params)
  await tx.query(`select set_config('role', $1, true)`, [actor === 'anon' ? 'anon' : 'authenticated'])
  return rows
}

describe('invitations: select', () => {
  eachActor(
    'selecting all invitations',
    expectations(sees(), {
      anon: denied,
      owner: sees('toStranger', 'toOwner', 'ended'),
      admin: sees('toStranger', 'toOwner', 'ended'),
      outsider: sees('inB'),
      stranger: sees('toStranger', 'inB'),
      service_role: sees('toStranger', 'toOwner', 'ended', 'inB'),
    }),
    (actor) => w.read(actor, 'select id::text as key from public.invitations'),
  )
})

describe('invitations: insert', () => {
  const offer =
    (role: string, org: 'orgA' | 'orgB' = 'orgA') =>
    (actor: Actor) =>
      w.write(
        actor,
        `insert into public.invitations (org_id, email, role) values ($1, 'new@example.com', $2) returning 1`,
        [w.f[org], role],
      )

  eachActor(
    'inviting new@example.com to org A as a viewer',
    expectations(refusedByRls('invitations'), {
      anon: denied,
      owner: affected(1),
      admin: affected(1),
      service_role: affected(1),
    }),
    offer('viewer'),
  )

  eachActor(
    'inviting new@example.com to org A as an admin',
    expectations(refusedByRls('invitations'), {
      anon: denied,
      owner: affected(1),
      admin: affected(1),
      service_role: affected(1),
    }),
    offer('admin'),
  )

  eachActor(
    'inviting new@example.com to org A as an owner (above an admin’s own role)',
    expectations(refusedByRls('invitations'), {
      anon: denied,
      owner: affected(1),
      service_role: affected(1),
    }),
    offer('owner'),
  )

  eachActor(
    'inviting to org B',
    expectations(refusedByRls('invitations'), {
      anon: denied,
      outsider: affected(1),
      service_role: affected(1),
    }),
    offer('viewer', 'orgB'),
  )

  eachActor(
    'inviting with a chosen inviter, expiry and status',
    expectations(denied, { service_role: affected(1) }),
    (actor) =>
      w.write(
        actor,
        `insert into public.invitations (org_id, email, role, invited_by, expires_at, status)
         values ($1, 'new@example.com', 'viewer', $2, now() + interval '10 years', 'open') returning 1`,
        [w.f.orgA, w.f.users.owner.id],
      ),
  )

  eachActor(
    'inviting the stranger to org A again while their invitation is open',
    expectations(refusedByRls('invitations'), {
      anon: denied,
      ...Object.fromEntries(
        (['owner', 'admin', 'service_role'] as const).map((a) => [
          a,
          fails({
            code: '23505',
            message: 'duplicate key value violates unique constraint "invitations_one_open_per_email"',
          }),
        ]),
      ),
    }),
    (actor) =>
      w.write(
        actor,
        `insert into public.invitations (org_id, email, role) values ($1, $2, 'viewer') returning 1`,
        [w.f.orgA, ` ${w.f.users.stranger.email.toUpperCase()} `],
      ),
  )
})

describe('invitations: update', () => {
  const setStatus = (label: keyof typeof ids, status: string) => (actor: Actor) =>
    w.write(actor, 'update public.invitations set status = $2 where id = $1 returning 1', [
      ids[label],
      status,
    ])

  eachActor(
    "revoking the stranger's invitation",
    expectations(affected(0), {
      anon: denied,
      owner: affected(1),
      admin: affected(1),
      service_role: affected(1),
    }),
    setStatus('toStranger', 'revoked'),
  )

  eachActor(
    'revoking the owner invitation',
    expectations(affected(0), { anon: denied, owner: affected(1), service_role: affected(1) }),
    setStatus('toOwner', 'revoked'),
  )

  eachActor(
    'revoking an invitation that already ended',
    expectations(affected(0), {
      anon: denied,
      service_role: fails({ code: '55000', message: 'invitation was already declined' }),
    }),
    setStatus('ended', 'revoked'),
  )

  const acceptedByUpdate = fails({
    code: '42501',
    message: 'an invitation is accepted or declined by its invitee',
  })
  eachActor(
    "accepting the stranger's invitation by updating its status",
    expectations(affected(0), {
      anon: denied,
      owner: acceptedByUpdate,
      admin: acceptedByUpdate,
      service_role: affected(1),
    }),
    setStatus('toStranger', 'accepted'),
  )

  for (const [column, value] of [
    ['role', 'admin'],
    ['email', 'other@example.com'],
    ['expires_at', '2100-01-01'],
    ['invited_by', null],
    ['ended_at', '2000-01-01'],
  ] as const) {
    eachActor(
      `changing the ${column} of the stranger's invitation`,
      expectations(denied, {
        service_role: fails({ code: '42501', message: 'only the status of an invitation changes' }),
      }),
      (actor) =>
        w.write(actor, `update public.invitations set ${column} = $2 where id = $1 returning 1`, [
          ids.toStranger,
          value,
        ]),
    )
  }
})

describe('invitations: delete', () => {
  eachActor(
    "deleting the stranger's invitation",
    expectations(denied, { service_role: affected(1) }),
    (actor) => w.write(actor, 'delete from public.invitations where id = $1 returning 1', [ids.toStranger]),
  )
})

describe('invitations: the invitee’s answers', () => {
  const privateDenied = fails({ code: '42501', message: 'permission denied for schema private' })

  eachActor(
    "accepting the stranger's invitation",
    expectations(notFound, {
      anon: privateDenied,
      stranger: affected(1),
      service_role: fails({ code: '42501', message: 'permission denied for function accept_invitation' }),
    }),
    (actor) => w.write(actor, 'select 1 from private.accept_invitation($1)', [ids.toStranger]),
  )

  eachActor(
    "declining the stranger's invitation",
    expectations(notFound, {
      anon: privateDenied,
      stranger: affected(1),
      service_role: fails({ code: '42501', message: 'permission denied for function decline_invitation' }),
    }),
    (actor) => w.write(actor, 'select 1 from private.decline_invitation($1)', [ids.toStranger]),
  )

  eachActor(
    'listing their own open invitations',
    expectations(sees(), {
      anon: privateDenied,
      stranger: sees('toStranger', 'inB'),
      service_role: fails({ code: '42501', message: 'permission denied for function my_invitations' }),
    }),
    (actor) => w.read(actor, 'select id::text as key from private.my_invitations()'),
  )

  it('should make the invitee a member with the offered role and end the invitation, stamped', async () => {
    const result = await w.as('stranger', async (tx) => {
      const answer = await tx.query('select * from private.accept_invitation($1)', [ids.toStranger])
      const canSee = await tx.query<{ key: string }>(`select id::text as key from public.customers`)
      const rows = await asSuperuserWithin(
        tx,
        'stranger',
        `select m.role, i.status, i.ended_by = $3 as ended_by_invitee, i.ended_at = now() as ended_now
         from public.memberships m, public.invitations i
         where m.org_id = $1 and m.user_id = $3 and i.id = $2`,
        [w.f.orgA, ids.toStranger, w.f.users.stranger.id],
      )
      return { answer, customers: canSee.map((r) => w.labels.get(r.key)).sort(), rows }
    })
    expect(result).toEqual({
      answer: [{ org_id: w.f.orgA, role: 'viewer', already_member: false }],
      customers: ['rep2Owned', 'repOwned'],
      rows: [{ role: 'viewer', status: 'accepted', ended_by_invitee: true, ended_now: true }],
    })
  })

  it('should record a decline with its invitee and make nobody a member', async () => {
    const result = await w.as('stranger', async (tx) => {
      await tx.query('select private.decline_invitation($1)', [ids.toStranger])
      return asSuperuserWithin(
        tx,
        'stranger',
        `select i.status, i.ended_by = $2 as by_invitee,
                exists (select from public.memberships m where m.org_id = i.org_id and m.user_id = $2) as member
         from public.invitations i where i.id = $1`,
        [ids.toStranger, w.f.users.stranger.id],
      )
    })
    expect(result).toEqual([{ status: 'declined', by_invitee: true, member: false }])
  })

  const answerAfter = (setUp: string, answer = 'accept') =>
    w
      .as('stranger', async (tx) => {
        await asSuperuserWithin(tx, 'stranger', setUp, [ids.toStranger])
        return tx.query(`select * from private.${answer}_invitation($1)`, [ids.toStranger])
      })
      .catch(dbErrorOf)

  it.each([
    [
      'revoked',
      `update public.invitations set status = 'revoked' where id = $1`,
      'invitation was already revoked',
    ],
    [
      'declined',
      `update public.invitations set status = 'declined' where id = $1`,
      'invitation was already declined',
    ],
    [
      'accepted',
      `update public.invitations set status = 'accepted' where id = $1`,
      'invitation was already accepted',
    ],
    [
      'expired',
      `update public.invitations set status = 'expired' where id = $1`,
      'invitation was already expired',
    ],
  ])('should refuse accepting and declining an invitation that was %s', async (_, setUp, message) => {
    for (const answer of ['accept', 'decline']) {
      expect(await answerAfter(setUp, answer)).toEqual({ code: '55000', message })
    }
  })

  it('should refuse accepting and declining an invitation past its expiry', async () => {
    // Created and expired in the past, as the service role may write it.
    const setUp = `with gone as (delete from public.invitations where id = $1 returning org_id, email, invited_by)
      insert into public.invitations (id, org_id, email, invited_by, created_at, expires_at)
      select $1, org_id, email, invited_by, now() - interval '8 days', now() - interval '1 day' from gone`
    for (const answer of ['accept', 'decline']) {
      expect(await answerAfter(setUp, answer)).toEqual({ code: '55000', message: 'invitation has expired' })
    }
  })

  it('should refuse an invitation whose inviter has since lost the right to make it', async () => {
    expect(
      await answerAfter(
        `update public.memberships set role = 'manager'
         where user_id = (select invited_by from public.invitations where id = $1)`,
      ),
    ).toEqual({ code: '55000', message: 'whoever invited you can no longer offer this role' })
    expect(
      await answerAfter(
        `delete from public.memberships where user_id = (select invited_by from public.invitations where id = $1)`,
      ),
    ).toEqual({ code: '55000', message: 'whoever invited you can no longer offer this role' })
  })

  it('should not match an address the invitee has not verified', async () => {
    expect(
      await answerAfter(
        `update auth.users set email_confirmed_at = null
         where lower(email) = (select email from public.invitations where id = $1)`,
      ),
    ).toEqual({ code: 'P0002', message: 'invitation not found' })
  })

  it('should never demote an existing member, and promote one offered a higher role', async () => {
    const roles = await w.as('rep', async (tx) => {
      const invite = (role: string) =>
        asSuperuserWithin(
          tx,
          'rep',
          `insert into public.invitations (org_id, email, role, invited_by) values ($1, $2, $3, $4) returning id`,
          [w.f.orgA, w.f.users.rep.email, role, w.f.users.admin.id],
        ).then((rows) => (rows[0] as { id: string }).id)
      const lower = await tx.query('select * from private.accept_invitation($1)', [await invite('viewer')])
      const higher = await tx.query('select * from private.accept_invitation($1)', [await invite('manager')])
      return { lower, higher }
    })
    expect(roles).toEqual({
      lower: [{ org_id: w.f.orgA, role: 'rep', already_member: true }],
      higher: [{ org_id: w.f.orgA, role: 'manager', already_member: true }],
    })
  })
})

describe('invitations: rules beyond the matrix', () => {
  it('should stamp the inviter, the clock and seven days on an admin’s invitation, and store the address lower case', async () => {
    const [row] = await w.as('admin', (tx) =>
      tx.query(
        `insert into public.invitations (org_id, email, role) values ($1, '  New.Person@Example.COM ', 'rep')
         returning email, invited_by = (select auth.uid()) as by_caller, created_at = now() as now,
                   expires_at = now() + interval '7 days' as week, status`,
        [w.f.orgA],
      ),
    )
    expect(row).toEqual({
      email: 'new.person@example.com',
      by_caller: true,
      now: true,
      week: true,
      status: 'open',
    })
  })

  it('should replace an expired open invitation to the same address, recording it as expired', async () => {
    const result = await w.as('admin', async (tx) => {
      // The service role writes an expired one (an admin cannot backdate).
      const [old] = await asSuperuserWithin(
        tx,
        'admin',
        `insert into public.invitations (org_id, email, invited_by, created_at, expires_at)
         values ($1, 'late@example.com', $2, now() - interval '9 days', now() - interval '2 days') returning id`,
        [w.f.orgA, w.f.users.admin.id],
      )
      await tx.query(`insert into public.invitations (org_id, email) values ($1, 'LATE@example.com')`, [
        w.f.orgA,
      ])
      return tx.query(
        `select status, ended_by, ended_at = expires_at as ended_at_expiry from public.invitations where id = $1`,
        [(old as { id: string }).id],
      )
    })
    expect(result).toEqual([{ status: 'expired', ended_by: null, ended_at_expiry: true }])
  })

  it('should let nobody but the database stamp the end of an invitation', async () => {
    await expectDbError(
      w.as('admin', (tx) =>
        tx.query(`update public.invitations set status = 'revoked', ended_by = $2 where id = $1`, [
          ids.toStranger,
          w.f.users.owner.id,
        ]),
      ),
      permissionDenied('invitations'),
    )
    const [row] = await w.as('admin', (tx) =>
      tx.query<{ by_admin: boolean }>(
        `update public.invitations set status = 'revoked' where id = $1 returning ended_by = $2 as by_admin`,
        [ids.toStranger, w.f.users.admin.id],
      ),
    )
    expect(row).toEqual({ by_admin: true })
  })

  it('should show members of org A who are not admins none of its invitations', async () => {
    for (const member of membersOfA.filter((m) => m !== 'owner' && m !== 'admin')) {
      expect(await w.read(member, 'select id::text as key from public.invitations')).toEqual(sees())
    }
  })
})

import { describe, expect, it } from 'vitest'
import { dbErrorOf } from './expect-db-error.ts'
import { useWorld } from './matrix.ts'

/**
 * Issue 17, hole 2: memberships without consent. Each attempt is what a
 * signed-in user can send straight to Postgres (PostgREST-shaped SQL as
 * `authenticated`); each must be refused by the database itself.
 */
const w = useWorld()

const outcome = (attempt: Promise<unknown>) =>
  attempt.then(
    (rows) => ({ rows }),
    (error) => dbErrorOf(error),
  )

describe('memberships arise only from an accepted invitation', () => {
  it('should refuse a stranger who creates an organization and adds another user to it', async () => {
    const result = await outcome(
      w.as('stranger', async (tx) => {
        const [org] = await tx.query<{ id: string }>(
          `insert into public.organizations (name) values ('Trap') returning id`,
        )
        return tx.query(
          'insert into public.memberships (org_id, user_id, role) values ($1, $2, $3) returning 1',
          [org?.id, w.f.users.rep.id, 'viewer'],
        )
      }),
    )
    expect(result).toEqual({ code: '42501', message: 'permission denied for table memberships' })
  })

  it('should refuse an admin of org A who adds any user to org A', async () => {
    const result = await outcome(
      w.as('admin', (tx) =>
        tx.query('insert into public.memberships (org_id, user_id, role) values ($1, $2, $3) returning 1', [
          w.f.orgA,
          w.f.users.stranger.id,
          'viewer',
        ]),
      ),
    )
    expect(result).toEqual({ code: '42501', message: 'permission denied for table memberships' })
  })

  it('should refuse an admin who invites someone above their own role', async () => {
    const result = await outcome(
      w.as('admin', (tx) =>
        tx.query(
          `insert into public.invitations (org_id, email, role) values ($1, 'boss@example.com', 'owner') returning 1`,
          [w.f.orgA],
        ),
      ),
    )
    expect(result).toEqual({
      code: '42501',
      message: 'new row violates row-level security policy for table "invitations"',
    })
  })

  it('should refuse a user who accepts an invitation addressed to another email, whatever their token claims', async () => {
    const result = await outcome(
      w.as('stranger', async (tx) => {
        await tx.query(`select set_config('role', 'service_role', true)`)
        const [invitation] = await tx.query<{ id: string }>(
          `insert into public.invitations (org_id, email, role, invited_by) values ($1, $2, 'viewer', $3) returning id`,
          [w.f.orgA, 'someone-else@example.com', w.f.users.admin.id],
        )
        // The stranger's token names the invitee's email: only the verified email in auth.users counts.
        await tx.query(`select set_config('role', 'authenticated', true)`)
        await tx.query(`select set_config('request.jwt.claims', $1, true)`, [
          JSON.stringify({
            sub: w.f.users.stranger.id,
            role: 'authenticated',
            email: 'someone-else@example.com',
          }),
        ])
        return tx.query('select * from private.accept_invitation($1)', [invitation?.id])
      }),
    )
    expect(result).toEqual({ code: 'P0002', message: 'invitation not found' })
  })
})

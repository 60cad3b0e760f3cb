import { describe } from 'vitest'
import {
  affected,
  eachActor,
  expectations,
  fails,
  membersOfA,
  noPrivilege,
  sees,
  useWorld,
} from './matrix.ts'

/**
 * The money columns (issue 19) follow their rows' rules: an organization's
 * admins set its currency and default rate; whoever may edit a customer sets
 * its deal value, close date, next step and its services' rates. When the
 * customer entered its phase is the database's. The value views show what
 * the reader's own policies show.
 */
const w = useWorld()

const viewDenied = (view: string) => fails({ code: '42501', message: `permission denied for view ${view}` })
const writersOfRepOwned = ['owner', 'admin', 'manager', 'rep', 'service_role'] as const
const byRepOwnedWriters = (table: string) =>
  expectations(affected(0), {
    ...Object.fromEntries(writersOfRepOwned.map((actor) => [actor, affected(1)])),
    anon: noPrivilege(table),
  })

describe('organizations: currency and default rate', () => {
  const admins = { owner: affected(1), admin: affected(1), service_role: affected(1) }
  eachActor(
    'setting org A’s currency and default hourly rate',
    expectations(affected(0), { ...admins, anon: noPrivilege('organizations') }),
    (actor) =>
      w.write(
        actor,
        `update public.organizations set currency = 'USD', default_hourly_rate = 120.50 where id = $1 returning 1`,
        [w.f.orgA],
      ),
  )

  const unknown = fails({
    code: '23514',
    message: 'new row for relation "organizations" violates check constraint "organizations_currency_known"',
  })
  eachActor(
    'setting org A’s currency to a code that is not ISO 4217',
    expectations(affected(0), {
      owner: unknown,
      admin: unknown,
      service_role: unknown,
      anon: noPrivilege('organizations'),
    }),
    (actor) =>
      w.write(actor, `update public.organizations set currency = 'XXY' where id = $1 returning 1`, [
        w.f.orgA,
      ]),
  )

  const negative = fails({
    code: '23514',
    message:
      'new row for relation "organizations" violates check constraint "organizations_default_hourly_rate_range"',
  })
  eachActor(
    'setting org A’s default hourly rate below zero',
    expectations(affected(0), {
      owner: negative,
      admin: negative,
      service_role: negative,
      anon: noPrivilege('organizations'),
    }),
    (actor) =>
      w.write(actor, 'update public.organizations set default_hourly_rate = -1 where id = $1 returning 1', [
        w.f.orgA,
      ]),
  )
})

describe('customers: deal value, close date, next step', () => {
  eachActor(
    "setting repOwned's deal value, close date and next step",
    byRepOwnedWriters('customers'),
    (actor) =>
      w.write(
        actor,
        `update public.customers set deal_value = 25000.00, expected_close_date = current_date + 30,
         next_step = 'Send the revised proposal' where id = $1 returning 1`,
        [w.f.customers.repOwned],
      ),
  )

  eachActor(
    "backdating repOwned's phase_entered_at",
    expectations(noPrivilege('customers'), { service_role: affected(1) }),
    (actor) =>
      w.write(
        actor,
        `update public.customers set phase_entered_at = '2001-02-03' where id = $1 returning 1`,
        [w.f.customers.repOwned],
      ),
  )

  eachActor(
    "setting org B's customer's deal value",
    expectations(affected(0), {
      anon: noPrivilege('customers'),
      outsider: affected(1),
      service_role: affected(1),
    }),
    (actor) =>
      w.write(actor, 'update public.customers set deal_value = 1 where id = $1 returning 1', [
        w.f.customers.orgB,
      ]),
  )
})

describe('services: hourly rate', () => {
  eachActor("setting the hourly rate of repOwned's services", byRepOwnedWriters('services'), (actor) =>
    w.write(actor, 'update public.services set hourly_rate = 95 where customer_id = $1 returning 1', [
      w.f.customers.repOwned,
    ]),
  )
})

describe('the value views', () => {
  for (const view of ['customer_values', 'service_values']) {
    const key = view === 'customer_values' ? 'id' : 'customer_id'
    eachActor(
      `selecting all of ${view}`,
      expectations(sees(), {
        anon: viewDenied(view),
        ...Object.fromEntries(membersOfA.map((m) => [m, sees('repOwned', 'rep2Owned')])),
        outsider: sees('orgBCustomer'),
        service_role: sees('repOwned', 'rep2Owned', 'orgBCustomer'),
      }),
      (actor) => w.read(actor, `select ${key}::text as key from public.${view}`),
    )

    eachActor(
      `writing through ${view}`,
      // Not an updatable view (it aggregates and joins): refused before privileges are looked at.
      expectations(fails({ code: '55000', message: `cannot delete from view "${view}"` }), {}),
      (actor) => w.write(actor, `delete from public.${view} returning 1`),
    )
  }
})

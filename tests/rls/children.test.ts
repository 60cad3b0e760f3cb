import { describe } from 'vitest'
import {
  affected,
  eachActor,
  expectations,
  fails,
  membersOfA,
  noPrivilege,
  type Outcome,
  refusedByRls,
  sees,
  useWorld,
} from './matrix.ts'

/**
 * A customer's children share one rule: the organization reads them, whoever
 * may write the customer writes them (managers and up, or the rep who owns it).
 */
const w = useWorld()

type CustomerLabel = 'repOwned' | 'rep2Owned' | 'orgB'

interface ChildTable {
  table: string
  /** Selects `key`, the row's label key (see loadLabels). */
  keySql: string
  /** Inserts one new row for ($1 org, $2 customer) `returning 1`. */
  insertSql: string
  /** Changes a plain column of the rows of customer $1, `returning 1`. */
  updateSql: string
  /** Whether authenticated callers may update rows at all (external ids are link or unlink only). */
  updatable: boolean
  /**
   * Documents: org and customer are chosen once, on insert (column grants), since the file lives in
   * the customer's folder; even the service role cannot move one.
   */
  fixedPlacement?: boolean
}

const children: ChildTable[] = [
  {
    table: 'contacts',
    keySql: 'select id::text as key from public.contacts',
    insertSql: `insert into public.contacts (org_id, customer_id, name) values ($1, $2, 'New contact') returning 1`,
    updateSql: `update public.contacts set name = 'Renamed' where customer_id = $1 returning 1`,
    updatable: true,
  },
  {
    table: 'teams',
    keySql: 'select id::text as key from public.teams',
    insertSql: `insert into public.teams (org_id, customer_id, name, finance_code) values ($1, $2, 'New team', 'NEW-1') returning 1`,
    updateSql: `update public.teams set finance_code = 'CHANGED-1' where customer_id = $1 returning 1`,
    updatable: true,
  },
  {
    table: 'processes',
    keySql: 'select id::text as key from public.processes',
    insertSql: `insert into public.processes (org_id, customer_id, name) values ($1, $2, 'New process') returning 1`,
    updateSql: `update public.processes set status = 'in_progress' where customer_id = $1 returning 1`,
    updatable: true,
  },
  {
    table: 'services',
    keySql: 'select id::text as key from public.services',
    insertSql: `insert into public.services (org_id, customer_id, name, monthly_hours) values ($1, $2, 'New service', 4) returning 1`,
    updateSql: 'update public.services set monthly_hours = 20 where customer_id = $1 returning 1',
    updatable: true,
  },
  {
    table: 'documents',
    keySql: 'select id::text as key from public.documents',
    // The database builds the path; a signed-in user's document is pending until its file is seen.
    insertSql: `insert into public.documents (org_id, customer_id, name) values ($1, $2, 'new.pdf') returning 1`,
    updateSql: `update public.documents set category = 'contract' where customer_id = $1 returning 1`,
    updatable: true,
    fixedPlacement: true,
  },
  {
    table: 'customer_external_ids',
    keySql: `select org_id || '/' || provider || '/' || external_id as key from public.customer_external_ids`,
    insertSql: `insert into public.customer_external_ids (org_id, customer_id, provider, external_id)
                values ($1, $2, 'pipedrive', 'pd-new') returning 1`,
    updateSql: `update public.customer_external_ids set external_id = 'hs-changed' where customer_id = $1 returning 1`,
    updatable: false,
  },
]

const writersOf: Record<CustomerLabel, readonly string[]> = {
  repOwned: ['owner', 'admin', 'manager', 'rep', 'service_role'],
  rep2Owned: ['owner', 'admin', 'manager', 'rep2', 'service_role'],
  orgB: ['outsider', 'service_role'],
}

/** `outcome` for whoever may write the customer, `others` for everyone else; anon never gets in. */
function byWriters(customer: CustomerLabel, table: string, outcome: Outcome, others: Outcome) {
  return expectations(others, {
    ...Object.fromEntries(writersOf[customer].map((actor) => [actor, outcome])),
    anon: noPrivilege(table),
  })
}

for (const child of children) {
  const { table } = child
  const customerId = (label: CustomerLabel) => w.f.customers[label]
  const orgOf = (label: CustomerLabel) => (label === 'orgB' ? w.f.orgB : w.f.orgA)

  describe(`${table}: select`, () => {
    eachActor(
      `selecting all ${table}`,
      expectations(sees(), {
        anon: noPrivilege(table),
        ...Object.fromEntries(membersOfA.map((m) => [m, sees('repOwned', 'rep2Owned')])),
        outsider: sees('orgBCustomer'),
        service_role: sees('repOwned', 'rep2Owned', 'orgBCustomer'),
      }),
      (actor) => w.read(actor, child.keySql),
    )
  })

  describe(`${table}: insert`, () => {
    for (const customer of ['repOwned', 'rep2Owned', 'orgB'] as const) {
      eachActor(
        `adding ${table} to ${customer}`,
        byWriters(customer, table, affected(1), refusedByRls(table)),
        (actor) => w.write(actor, child.insertSql, [orgOf(customer), customerId(customer)]),
      )
    }
  })

  describe(`${table}: update`, () => {
    eachActor(
      `editing the ${table} of repOwned`,
      child.updatable
        ? byWriters('repOwned', table, affected(1), affected(0))
        : expectations(noPrivilege(table), { service_role: affected(1) }),
      (actor) => w.write(actor, child.updateSql, [customerId('repOwned')]),
    )

    eachActor(
      `moving the ${table} of repOwned to org B`,
      // Signed-in users update named columns only (documents 20261204110000, the others 20261204100200);
      // the trigger holds for the service role.
      expectations(noPrivilege(table), {
        service_role: fails({ code: '42501', message: 'org_id cannot be changed' }),
      }),
      (actor) =>
        w.write(actor, `update public.${table} set org_id = $2 where customer_id = $1 returning 1`, [
          customerId('repOwned'),
          w.f.orgB,
        ]),
    )

    if (child.updatable) {
      eachActor(
        `moving the ${table} of repOwned to rep2Owned`,
        child.fixedPlacement
          ? expectations(noPrivilege(table), {
              service_role: fails({
                code: '42501',
                message:
                  "a document cannot move to another customer: its file lives in the customer's folder",
              }),
            })
          : // A child stays under its customer for signed-in users (20261204100200); a CRM sync
            // (the service role) may move a contact to its new company.
            expectations(noPrivilege(table), { service_role: affected(1) }),
        (actor) =>
          w.write(actor, `update public.${table} set customer_id = $2 where customer_id = $1 returning 1`, [
            customerId('repOwned'),
            customerId('rep2Owned'),
          ]),
      )
    }
  })

  describe(`${table}: delete`, () => {
    for (const customer of ['repOwned', 'orgB'] as const) {
      eachActor(
        `deleting the ${table} of ${customer}`,
        byWriters(customer, table, affected(1), affected(0)),
        (actor) =>
          w.write(actor, `delete from public.${table} where customer_id = $1 returning 1`, [
            customerId(customer),
          ]),
      )
    }
  })
}

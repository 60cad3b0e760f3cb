// The endpoints the bench drives, each twice over: the HTTP requests autocannon
// sends, and the SQL statements the handler sends for them (copied from
// functions/queries/*, built from the same exported fragments), so the baseline
// runs the same statements without HTTP. `caller` is the text the API sends
// under RLS; `superuser` adds, where RLS would add a policy, the equivalent
// explicit `org_id = …` / `owner_id = …` condition.

import {
  customerColumns as customerColumnsSql,
  customerCountSubqueries as customerCountSubqueriesSql,
  customerCountsJoin as customerCountsJoinSql,
  customerCounts as customerCountsSql,
} from '../../functions/queries/customers.ts'
import { dailyMetricsStatement, todayMetricsStatement } from '../../functions/queries/daily-metrics.ts'
import { overviewStatement } from '../../functions/queries/metrics.ts'
import {
  closingsStatement,
  figuresContextStatement,
  forecastByCloseMonthStatement,
  pipelineMonthAgoStatement,
  stuckCustomersStatement,
  valueByPhaseStatement,
} from '../../functions/queries/sales-figures.ts'
import { eventColumns as eventColumnsSql } from '../../functions/queries/timeline.ts'

// The API's fragments without parameters, as text to splice into the bench's own statements.
const customerColumns = customerColumnsSql.text
const customerCountSubqueries = customerCountSubqueriesSql.text
const customerCounts = customerCountsSql.text
const customerCountsJoin = customerCountsJoinSql.text
const eventColumns = eventColumnsSql.text

/** A statement the API builds, as the text and parameters the baseline sends. */
const statementOf = ({ text, params }: { text: string; params: unknown[] }): Statement => ({ text, params })

/** The people and rows the bench acts on, picked from the seeded database. */
export interface Fixture {
  orgId: string
  orgName: string
  orgCustomers: number
  repId: string
  repEmail: string
  /** Customers the rep owns: the PATCH pool. */
  repCustomers: string[]
  /** Customers of the org (any owner): detail and timeline pages. */
  orgSample: string[]
  /** The phase the list filters on (the org's most common one). */
  listPhase: string
  /** Words taken from customer names of the org. */
  searchTerms: string[]
  /** The 90-day metrics range, both ends included (UTC dates). */
  rangeFrom: string
  rangeTo: string
}

export interface HttpRequestSpec {
  method: 'GET' | 'POST' | 'PATCH'
  path: string
  body?: unknown
}

export interface Statement {
  text: string
  params: unknown[]
}

export type SqlAs = 'caller' | 'superuser'

export interface Endpoint {
  name: string
  kind: 'read' | 'write'
  /** As docs/api.md writes it. */
  route: string
  /** What autocannon cycles through (one shared counter over all connections). */
  requests(f: Fixture, basePath: string): HttpRequestSpec[]
  /** The statements the handler sends for the i-th request (the i-th of `requests`, modulo its length). */
  statements(f: Fixture, i: number, as: SqlAs, now: string): Statement[]
}

export const pageSize = 50
/** PATCH alternates each customer of the pool between these two. */
export const patchPhases = ['qualified', 'proposal'] as const
const createNames = 1000

const at = <T>(list: readonly T[], i: number): T => list[i % list.length] as T
const orgVisible = (f: Fixture): Statement => ({
  text: 'select 1 from public.organizations where id = $1',
  params: [f.orgId],
})
/** Adds `and <alias>.org_id = $n` to the correlated subqueries of the column lists. */
const scopedColumns = (text: string, orgParam: string) =>
  text
    .replaceAll('where e.customer_id = c.id', `where e.customer_id = c.id and e.org_id = ${orgParam}`)
    .replaceAll('where x.customer_id = c.id', `where x.customer_id = c.id and x.org_id = ${orgParam}`)

const customerPage = (where: string) => `select ${customerColumns}, c.updated_at::text as sort_value
       from public.customers c
       where ${where}
       order by c.updated_at desc, c.id desc
       limit $3`

export const patchItem = (f: Fixture, i: number) => ({
  id: at(f.repCustomers, i),
  phase: patchPhases[Math.floor(i / f.repCustomers.length) % 2] as string,
})

export const endpoints: Endpoint[] = [
  {
    name: 'customers list',
    kind: 'read',
    route: 'GET /orgs/{orgId}/customers?phase=…&sort=-updated_at&limit=50',
    requests: (f, base) => [
      {
        method: 'GET',
        path: `${base}/orgs/${f.orgId}/customers?phase=${f.listPhase}&sort=-updated_at&limit=50`,
      },
    ],
    statements: (f, _i, as) => [
      orgVisible(f),
      {
        // The API's condition as the caller (the phase's stored position, which RLS lets an index
        // use); the plain one as the superuser.
        text: customerPage(
          as === 'caller'
            ? 'c.org_id = $1 and c.phase_position = (select private.customer_phase_position($2::public.customer_phase))'
            : 'c.org_id = $1 and c.phase = $2::public.customer_phase',
        ),
        params: [f.orgId, f.listPhase, pageSize + 1],
      },
    ],
  },
  {
    name: 'customer detail',
    kind: 'read',
    route: 'GET /customers/{id}',
    requests: (f, base) => f.orgSample.map((id) => ({ method: 'GET', path: `${base}/customers/${id}` })),
    statements: (f, i, as) =>
      as === 'caller'
        ? [
            {
              text: `select ${customerColumns}, ${customerCounts} from public.customers c ${customerCountsJoin} where c.id = $1`,
              params: [at(f.orgSample, i)],
            },
          ]
        : [
            {
              text: `select ${scopedColumns(customerColumns, '$2')}, ${scopedColumns(customerCountSubqueries, '$2')}
                     from public.customers c where c.id = $1 and c.org_id = $2`,
              params: [at(f.orgSample, i), f.orgId],
            },
          ],
  },
  {
    name: 'customers search',
    kind: 'read',
    route: 'GET /orgs/{orgId}/customers?q=…&sort=-updated_at&limit=50',
    requests: (f, base) =>
      f.searchTerms.map((q) => ({
        method: 'GET',
        path: `${base}/orgs/${f.orgId}/customers?q=${encodeURIComponent(q)}&sort=-updated_at&limit=50`,
      })),
    statements: (f, i, as) => [
      orgVisible(f),
      {
        // The API's condition as the caller (ids from the trigram index through a membership-checked
        // helper, as RLS keeps ilike from using it); the plain one as the superuser.
        text: customerPage(
          as === 'caller'
            ? 'c.org_id = $1 and c.id in (select private.customer_ids_matching($1, $2))'
            : 'c.org_id = $1 and c.name ilike $2',
        ),
        params: [f.orgId, `%${at(f.searchTerms, i)}%`, pageSize + 1],
      },
    ],
  },
  {
    name: 'timeline page',
    kind: 'read',
    route: 'GET /customers/{id}/timeline?limit=50',
    requests: (f, base) =>
      f.orgSample.map((id) => ({ method: 'GET', path: `${base}/customers/${id}/timeline?limit=50` })),
    statements: (f, i, as) => {
      const id = at(f.orgSample, i)
      return [
        as === 'caller'
          ? { text: 'select 1 from public.customers where id = $1', params: [id] }
          : { text: 'select 1 from public.customers where id = $1 and org_id = $2', params: [id, f.orgId] },
        {
          text: `select ${eventColumns}, e.occurred_at::text as sort_value
                 from public.timeline_events e
                 where e.customer_id = $1 and e.org_id = (select c.org_id from public.customers c where c.id = $1)
                 order by e.occurred_at desc, e.id desc
                 limit $2`,
          params: [id, pageSize + 1],
        },
      ]
    },
  },
  {
    name: 'metrics overview',
    kind: 'read',
    route: 'GET /orgs/{orgId}/metrics/overview',
    requests: (f, base) => [{ method: 'GET', path: `${base}/orgs/${f.orgId}/metrics/overview` }],
    statements: (f, _i, _as, now) => [statementOf(overviewStatement(f.orgId, now))],
  },
  {
    name: 'sales figures (forecast)',
    kind: 'read',
    route: 'GET /orgs/{orgId}/metrics/sales',
    requests: (f, base) => [{ method: 'GET', path: `${base}/orgs/${f.orgId}/metrics/sales` }],
    // The handler's six statements, sent together in one transaction.
    statements: (f, _i, _as, now) => {
      const clock = new Date(now)
      return [
        figuresContextStatement(f.orgId, clock),
        valueByPhaseStatement(f.orgId),
        forecastByCloseMonthStatement(f.orgId, clock),
        closingsStatement(f.orgId, clock, 90),
        stuckCustomersStatement(f.orgId, 10),
        pipelineMonthAgoStatement(f.orgId, clock),
      ].map(statementOf)
    },
  },
  {
    name: 'metrics range (90 days)',
    kind: 'read',
    route: 'GET /orgs/{orgId}/metrics/daily?from=…&to=… (90 days)',
    requests: (f, base) => [
      { method: 'GET', path: `${base}/orgs/${f.orgId}/metrics/daily?from=${f.rangeFrom}&to=${f.rangeTo}` },
    ],
    // What one request costs without the API's 30-second cache of today's row (today-cache.ts):
    // the stored days, then today computed live. The API computes today at most twice a minute
    // per organization, so it can outrun this baseline.
    statements: (f, _i, _as, now) => [
      statementOf(dailyMetricsStatement(f.orgId, f.rangeFrom, f.rangeTo, now)),
      statementOf(todayMetricsStatement(f.orgId, f.rangeTo, now)),
    ],
  },
  {
    name: 'create customer',
    kind: 'write',
    route: 'POST /orgs/{orgId}/customers',
    requests: (f, base) =>
      Array.from({ length: createNames }, (_, i) => ({
        method: 'POST' as const,
        path: `${base}/orgs/${f.orgId}/customers`,
        body: { name: `Bench customer ${i}` },
      })),
    statements: (f, i, as) => [
      orgVisible(f),
      {
        text: `with c as (
           insert into public.customers (org_id, name, phase, owner_id)
           values ($1, $2, coalesce($3::public.customer_phase, 'lead'),
                   case when $4::boolean then $5::uuid else auth.uid() end)
           returning *
         )
         select ${customerColumns} from c`,
        // As the caller the owner defaults to auth.uid(); the superuser names the rep.
        params:
          as === 'caller'
            ? [f.orgId, `Bench customer ${i % createNames}`, null, false, null]
            : [f.orgId, `Bench customer ${i % createNames}`, null, true, f.repId],
      },
    ],
  },
  {
    name: 'phase change',
    kind: 'write',
    route: 'PATCH /customers/{id} {phase}',
    requests: (f, base) =>
      Array.from({ length: f.repCustomers.length * 2 }, (_, i) => {
        const { id, phase } = patchItem(f, i)
        return { method: 'PATCH' as const, path: `${base}/customers/${id}`, body: { phase } }
      }),
    statements: (f, i, as) => {
      const { id, phase } = patchItem(f, i)
      return [
        as === 'caller'
          ? {
              text: `with c as (
                 update public.customers set phase = $2::public.customer_phase where id = $1 returning *
               )
               select ${customerColumns} from c`,
              params: [id, phase],
            }
          : {
              text: `with c as (
                 update public.customers set phase = $2::public.customer_phase
                 where id = $1 and org_id = $3 and owner_id = $4 returning *
               )
               select ${customerColumns} from c`,
              params: [id, phase, f.orgId, f.repId],
            },
      ]
    },
  },
]

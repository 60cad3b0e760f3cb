import { beforeAll, describe } from 'vitest'
import {
  affected,
  eachActor,
  expectations,
  fails,
  noPrivilege,
  refusedByRls,
  sees,
  useWorld,
} from './matrix.ts'

/**
 * Integrations are admin business: admins and owners of the organization read
 * and manage them; everyone else sees none. Secrets are readable by the
 * service role alone. Webhook events and sync state are read by admins and
 * written only by the service role (the receiver and the retry job).
 */
const w = useWorld()
const ids = { integrationA: '', integrationB: '', eventA: '', eventB: '' }

beforeAll(async () => {
  const db = w.t.db
  const integration = async (orgId: string, label: string) => {
    const [row] = await db.query<{ id: string }>(
      `insert into public.integrations (org_id, provider, name) values ($1, 'hubspot', $2) returning id`,
      [orgId, label],
    )
    const id = (row as { id: string }).id
    await db.query(
      `insert into private.integration_secrets (integration_id, secrets) values ($1, '["s3cret"]')`,
      [id],
    )
    const [event] = await db.query<{ id: string }>(
      `insert into public.webhook_events (org_id, integration_id, provider, event_id, body, status)
       values ($1, $2, 'hubspot', 'e1', '{}', 'dead') returning id`,
      [orgId, id],
    )
    await db.query(
      `insert into public.integration_objects (org_id, integration_id, kind, external_id) values ($1, $2, 'customer', 'x1')`,
      [orgId, id],
    )
    w.labels.set(id, label)
    w.labels.set((event as { id: string }).id, `event of ${label}`)
    w.labels.set(`${id}/x1`, `object of ${label}`)
    return { id, eventId: (event as { id: string }).id }
  }
  for (const word of ['replayed', 'not replayed']) w.labels.set(word, word)
  const a = await integration(w.f.orgA, 'integrationA')
  const b = await integration(w.f.orgB, 'integrationB')
  Object.assign(ids, { integrationA: a.id, integrationB: b.id, eventA: a.eventId, eventB: b.eventId })
})

const adminsOfA = { owner: 1, admin: 1 }

describe('integrations: select', () => {
  eachActor(
    'selecting all integrations',
    expectations(sees(), {
      anon: noPrivilege('integrations'),
      owner: sees('integrationA'),
      admin: sees('integrationA'),
      outsider: sees('integrationB'),
      service_role: sees('integrationA', 'integrationB'),
    }),
    (actor) => w.read(actor, 'select id::text as key from public.integrations'),
  )
})

describe('integrations: insert, update, delete', () => {
  eachActor(
    'adding an integration to org A',
    expectations(refusedByRls('integrations'), {
      anon: noPrivilege('integrations'),
      ...Object.fromEntries(Object.keys(adminsOfA).map((r) => [r, affected(1)])),
      service_role: affected(1),
    }),
    (actor) =>
      w.write(
        actor,
        `insert into public.integrations (org_id, provider, name) values ($1, 'pipedrive', 'New') returning 1`,
        [w.f.orgA],
      ),
  )
  eachActor(
    'disabling integration A',
    expectations(affected(0), {
      anon: noPrivilege('integrations'),
      owner: affected(1),
      admin: affected(1),
      service_role: affected(1),
    }),
    (actor) =>
      w.write(actor, 'update public.integrations set enabled = false where id = $1 returning 1', [
        ids.integrationA,
      ]),
  )
  eachActor(
    'changing the provider of integration A',
    expectations(noPrivilege('integrations'), { service_role: affected(1) }),
    (actor) =>
      w.write(actor, `update public.integrations set provider = 'pipedrive' where id = $1 returning 1`, [
        ids.integrationA,
      ]),
  )
  eachActor(
    'deleting integration A',
    expectations(affected(0), {
      anon: noPrivilege('integrations'),
      owner: affected(1),
      admin: affected(1),
      service_role: affected(1),
    }),
    (actor) =>
      w.write(actor, 'delete from public.integrations where id = $1 returning 1', [ids.integrationA]),
  )
})

describe('integration secrets', () => {
  eachActor(
    'reading the secrets',
    expectations(noPrivilege('integration_secrets'), {
      anon: fails({ code: '42501', message: 'permission denied for schema private' }),
      service_role: sees('integrationA', 'integrationB'),
    }),
    (actor) => w.read(actor, 'select integration_id::text as key from private.integration_secrets'),
  )
  eachActor(
    "setting integration A's secret through the helper",
    expectations(fails({ code: '42501', message: "only an admin can set an integration's secret" }), {
      anon: fails({ code: '42501', message: 'permission denied for schema private' }),
      owner: affected(1),
      admin: affected(1),
      service_role: affected(1),
    }),
    (actor) =>
      w.write(actor, `select private.set_integration_secret($1, 'new-secret', true)`, [ids.integrationA]),
  )
})

for (const [table, key, labelA, labelB] of [
  ['webhook_events', 'id::text', 'event of integrationA', 'event of integrationB'],
  [
    'integration_objects',
    "integration_id || '/' || external_id",
    'object of integrationA',
    'object of integrationB',
  ],
] as const) {
  describe(`${table}: read by admins, written by the service role`, () => {
    eachActor(
      `selecting all ${table}`,
      expectations(sees(), {
        anon: noPrivilege(table),
        owner: sees(labelA),
        admin: sees(labelA),
        outsider: sees(labelB),
        service_role: sees(labelA, labelB),
      }),
      (actor) => w.read(actor, `select ${key} as key from public.${table}`),
    )
    eachActor(
      `updating ${table} of org A`,
      expectations(noPrivilege(table), { service_role: affected(1) }),
      (actor) =>
        w.write(actor, `update public.${table} set org_id = org_id where integration_id = $1 returning 1`, [
          ids.integrationA,
        ]),
    )
    eachActor(
      `deleting ${table} of org A`,
      expectations(noPrivilege(table), { service_role: affected(1) }),
      (actor) =>
        w.write(actor, `delete from public.${table} where integration_id = $1 returning 1`, [
          ids.integrationA,
        ]),
    )
  })
}

describe('webhook_events: insert and replay', () => {
  eachActor(
    'inserting a webhook event',
    expectations(noPrivilege('webhook_events'), { service_role: affected(1) }),
    (actor) =>
      w.write(
        actor,
        `insert into public.webhook_events (org_id, integration_id, provider, event_id, body)
         values ($1, $2, 'hubspot', 'forged', '{}') returning 1`,
        [w.f.orgA, ids.integrationA],
      ),
  )
  eachActor(
    "replaying org A's dead letter",
    expectations(sees('not replayed'), {
      anon: fails({ code: '42501', message: 'permission denied for schema private' }),
      owner: sees('replayed'),
      admin: sees('replayed'),
    }),
    (actor) =>
      w.read(
        actor,
        `select case when private.replay_webhook_event($1) then 'replayed' else 'not replayed' end as key`,
        [ids.eventA],
      ),
  )
})

import type { Queryable } from '../../../functions/db/database.ts'
import type { Fixture } from '../../support/fixtures.ts'
import type { Operation } from './operations.ts'

/** One real record of organization A per kind a path can name, keyed by the path's first segment. */
export type OrgARecords = Record<string, string>

/**
 * Adds what the fixture lacks (an integration and a dead-lettered webhook
 * event, written as the superuser) and reads one id of every kind in org A.
 */
export async function recordsOfOrgA(db: Queryable, f: Fixture): Promise<OrgARecords> {
  const one = async (sql: string, params: unknown[]) => {
    const [row] = await db.query<{ id: string }>(sql, params)
    if (!row) throw new Error(`no row for ${sql}`)
    return row.id
  }
  const integration = await one(
    `insert into public.integrations (org_id, provider, name) values ($1, 'pipedrive', 'Pipedrive A') returning id`,
    [f.orgA],
  )
  const webhookEvent = await one(
    `insert into public.webhook_events (org_id, integration_id, provider, event_id, body, status)
     values ($1, $2, 'pipedrive', 'evt-a-1', '{}', 'dead') returning id`,
    [f.orgA, integration],
  )
  // Addressed to nobody of the fixture: only org A's admins and owner see it.
  const invitation = await one(
    `insert into public.invitations (org_id, email, role, invited_by) values ($1, 'invitee@example.com', 'viewer', $2) returning id`,
    [f.orgA, f.users.admin.id],
  )
  // The rep's own task on the rep's customer: a viewer, rep2 or an outsider may not change it.
  const task = await one(
    `insert into public.tasks (org_id, customer_id, assignee_id, title) values ($1, $2, $3, 'Security suite task') returning id`,
    [f.orgA, f.customers.repOwned, f.users.rep.id],
  )
  // The rep's, about that task: nobody else sees it, not even org A's owner.
  const notification = await one(
    `insert into public.notifications (org_id, user_id, kind, task_id, title)
     values ($1, $2, 'task_overdue', $3, 'Task overdue: Security suite task') returning id`,
    [f.orgA, f.users.rep.id, task],
  )
  const child = (table: string) =>
    one(`select id from public.${table} where customer_id = $1`, [f.customers.repOwned])
  return {
    orgs: f.orgA,
    customers: f.customers.repOwned,
    contacts: await child('contacts'),
    teams: await child('teams'),
    processes: await child('processes'),
    services: await child('services'),
    documents: await child('documents'),
    tasks: task,
    notifications: notification,
    chat: await one(`select id from public.chat_sessions where org_id = $1 and user_id = $2`, [
      f.orgA,
      f.users.rep.id,
    ]),
    integrations: integration,
    'webhook-events': webhookEvent,
    invitations: invitation,
    // {userId} of /orgs/{orgId}/members/{userId}: a member whom a viewer or rep may see but not change.
    members: f.users.manager.id,
  }
}

/**
 * The path parameters of an operation, filled with org A's records. A route
 * whose first segment names no known kind throws: a new kind of record must be
 * added here, so it is enumerated rather than silently skipped.
 */
export function orgAParams(op: Operation, records: OrgARecords): Record<string, string> {
  const kind = op.path.split('/')[1] as string
  const params: Record<string, string> = {}
  for (const name of op.pathParams) {
    // {phase} of /orgs/{orgId}/phase-settings/{phase} names a phase of the organization, not a record.
    const value =
      name === 'orgId'
        ? records.orgs
        : name === 'userId'
          ? records.members
          : name === 'phase'
            ? 'proposal'
            : records[kind]
    if (!value) throw new Error(`${op.method} ${op.path}: no record of org A for {${name}} (add "${kind}")`)
    params[name] = value
  }
  return params
}

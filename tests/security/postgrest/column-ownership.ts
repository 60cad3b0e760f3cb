/**
 * Which columns a client chooses. Every column of every exposed table that is
 * not listed here is server-owned: the attack suites try to write each one
 * as every caller, on insert and on update, and fail if the caller's value is
 * stored. A column added later is therefore attacked as server-owned until
 * someone argues here that clients may write it.
 *
 * `insert`: chosen when the row is created, never changed afterwards.
 * `write`: chosen on insert and changed by updates.
 * Who among the callers may write which rows is RLS's business (tests/rls/);
 * this file says only what any client may ever put in a column.
 */
export type ClientWrite = 'insert' | 'write'

export const clientColumns: Record<string, Record<string, { write: ClientWrite; why: string }>> = {
  'public.organizations': {
    name: { write: 'write', why: 'what the team calls itself' },
    time_zone: { write: 'write', why: 'where the team works; checked against the known zones' },
    currency: { write: 'write', why: 'the currency its figures are in (ISO 4217, from the vocabulary)' },
    default_hourly_rate: { write: 'write', why: 'the rate of a service that names none' },
  },
  'public.users': {
    username: { write: 'write', why: 'the profile’s handle, chosen by its user' },
    display_name: { write: 'write', why: 'the profile’s name, chosen by its user' },
  },
  'public.customers': {
    org_id: { write: 'insert', why: 'the organization the customer is created in' },
    name: { write: 'write', why: 'the customer’s name' },
    phase: { write: 'write', why: 'where the customer stands in the pipeline' },
    owner_id: { write: 'write', why: 'the rep responsible (a member of the organization)' },
    deal_value: { write: 'write', why: 'the one-off value of the deal' },
    expected_close_date: {
      write: 'write',
      why: 'when the rep expects the deal to close (finite, 1900–2999: a check)',
    },
    next_step: { write: 'write', why: 'what the rep will do next' },
  },
  'public.customer_external_ids': {
    org_id: { write: 'insert', why: 'the customer’s organization' },
    customer_id: { write: 'insert', why: 'the customer the external id names' },
    provider: { write: 'insert', why: 'which CRM' },
    external_id: { write: 'insert', why: 'the CRM’s own id' },
  },
  'public.contacts': childColumns({
    email: { write: 'write', why: 'the contact’s email' },
    phone: { write: 'write', why: 'the contact’s phone' },
    role: { write: 'write', why: 'the contact’s job title' },
  }),
  'public.teams': childColumns({
    finance_code: { write: 'write', why: 'the team’s finance code' },
  }),
  'public.processes': childColumns({
    status: { write: 'write', why: 'how far the process is' },
    phase: { write: 'write', why: 'the pipeline phase the process belongs to' },
  }),
  'public.services': childColumns({
    monthly_hours: { write: 'write', why: 'the hours sold per month' },
    hourly_rate: { write: 'write', why: 'the rate sold (none: the organization’s default)' },
  }),
  'public.phase_settings': {
    probability: { write: 'write', why: 'the team’s estimate of an open phase’s chance (admins, by policy)' },
    stuck_after_days: { write: 'write', why: 'when the team calls a customer stuck in the phase (admins)' },
  },
  'public.tasks': {
    org_id: { write: 'insert', why: 'the customer’s organization' },
    customer_id: { write: 'insert', why: 'the customer the task is about' },
    assignee_id: { write: 'write', why: 'who does it (a member; only managers hand it to someone else)' },
    title: { write: 'write', why: 'what to do' },
    due_at: { write: 'write', why: 'when it is due (finite, 1900–2999: a check)' },
    done_at: {
      write: 'write',
      why: 'done or not: the client sets or clears it; the moment is the database’s clock (a trigger)',
    },
  },
  'public.activities': {
    org_id: { write: 'insert', why: 'the customer’s organization' },
    customer_id: { write: 'insert', why: 'the customer the activity was with' },
    kind: { write: 'insert', why: 'call, email or meeting' },
    outcome: { write: 'insert', why: 'how it went' },
    summary: { write: 'insert', why: 'what was said' },
    occurred_at: {
      write: 'insert',
      why: 'when it happened (not in the future: a trigger; finite, from 1900: a check)',
    },
  },
  'public.notifications': {
    read_at: {
      write: 'write',
      why: 'the recipient marks it read or unread; the time is the database’s clock, the first read kept (a trigger)',
    },
  },
  'public.documents': {
    org_id: { write: 'insert', why: 'the customer’s organization' },
    customer_id: { write: 'insert', why: 'the customer the document belongs to' },
    name: { write: 'write', why: 'the document’s title (the file name in its path is derived from it once)' },
    category: { write: 'write', why: 'contract, proposal, …' },
  },
  'public.timeline_events': {
    org_id: { write: 'insert', why: 'the customer’s organization' },
    customer_id: { write: 'insert', why: 'the customer a note is about' },
    type: { write: 'insert', why: 'a user writes notes only (the policy refuses every other type)' },
    description: { write: 'insert', why: 'the note’s text' },
    payload: { write: 'insert', why: 'the note’s structured part' },
  },
  'public.chat_sessions': {
    org_id: { write: 'insert', why: 'the organization the chat is about' },
    title: { write: 'write', why: 'the chat’s title' },
  },
  'public.chat_messages': {
    org_id: { write: 'insert', why: 'the session’s organization' },
    session_id: { write: 'insert', why: 'the caller’s own session' },
    content: { write: 'insert', why: 'the message' },
  },
  'public.invitations': {
    org_id: { write: 'insert', why: 'the organization an admin invites to' },
    email: { write: 'insert', why: 'whom the admin invites (stored lower case)' },
    role: { write: 'insert', why: 'the role offered, at most the inviter’s own (the insert policy)' },
    status: { write: 'write', why: 'an admin revokes an open invitation; the trigger allows nothing else' },
  },
  'public.idempotency_keys': {
    key: { write: 'insert', why: 'the Idempotency-Key header the caller sent' },
    method: { write: 'insert', why: 'the request the key was sent with (only ever compared with it)' },
    path: { write: 'insert', why: 'the request the key was sent with (only ever compared with it)' },
    request_hash: { write: 'insert', why: 'the request the key was sent with (only ever compared with it)' },
    status: { write: 'write', why: 'the caller’s own recorded answer, replayed only to the caller' },
    response: { write: 'write', why: 'the caller’s own recorded answer, replayed only to the caller' },
  },
  'public.integrations': {
    org_id: { write: 'insert', why: 'the organization the CRM is connected to' },
    provider: { write: 'insert', why: 'which CRM' },
    name: { write: 'write', why: 'the integration’s name' },
    enabled: { write: 'write', why: 'the switch' },
    mapping: { write: 'write', why: 'how CRM fields map to ours' },
  },
  'public.memberships': {
    role: {
      write: 'write',
      why: 'changed by admins, never above their own (the policies and triggers say who)',
    },
  },
}

/** Customer children: placed under a customer once, then named and described. */
function childColumns(extra: Record<string, { write: ClientWrite; why: string }>) {
  return {
    org_id: { write: 'insert' as const, why: 'the customer’s organization' },
    customer_id: { write: 'insert' as const, why: 'the customer the row belongs to' },
    name: { write: 'write' as const, why: 'its name' },
    ...extra,
  }
}

/** May a client put its own value in this column, on this kind of write? */
export function clientMayWrite(table: string, column: string, on: 'insert' | 'update'): boolean {
  const declared = clientColumns[table]?.[column]
  if (!declared) return false
  return on === 'insert' || declared.write === 'write'
}

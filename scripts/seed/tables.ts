/**
 * The columns the seed writes, table by table, with how each value is typed.
 * The loader (unnest casts) and the SQL file (literals) both read this, so a
 * row means the same thing in both.
 *
 * `ago` is a timestamp given as whole seconds before the moment of loading
 * (`now()`): the generator never reads the clock, so its output, and the
 * committed seed.sql, are the same on every run while the data stays recent.
 * A negative `ago` is in the future (a task due tomorrow). `day` is a date
 * given as whole days after the day of loading (negative: before it).
 */
export type ColumnType =
  | 'uuid'
  | 'text'
  | 'bigint'
  | 'numeric'
  | 'smallint'
  | 'integer'
  | 'jsonb'
  | 'ago'
  | 'day'
  | `public.${string}`

export type Value = string | number | null | Record<string, unknown>

export interface TableSpec<R extends object = Record<string, Value>> {
  readonly name: string
  readonly columns: { readonly [K in keyof R]: ColumnType }
}

export interface RowBatch<R extends object = Record<string, Value>> {
  readonly table: TableSpec<R>
  readonly rows: readonly R[]
}

const table = <R extends object>(name: string, columns: { [K in keyof R]: ColumnType }): TableSpec<R> => ({
  name,
  columns,
})

export const columnNames = (spec: TableSpec<object>): string[] => Object.keys(spec.columns)

export interface AuthUserRow {
  instance_id: string
  id: string
  aud: string
  role: string
  email: string
  encrypted_password: string
  email_confirmed_at: number
  confirmation_token: string
  recovery_token: string
  email_change_token_new: string
  email_change: string
  raw_app_meta_data: Record<string, unknown>
  raw_user_meta_data: Record<string, unknown>
  created_at: number
  updated_at: number
}
export const authUsers = table<AuthUserRow>('auth.users', {
  instance_id: 'uuid',
  id: 'uuid',
  aud: 'text',
  role: 'text',
  email: 'text',
  encrypted_password: 'text',
  email_confirmed_at: 'ago',
  confirmation_token: 'text',
  recovery_token: 'text',
  email_change_token_new: 'text',
  email_change: 'text',
  raw_app_meta_data: 'jsonb',
  raw_user_meta_data: 'jsonb',
  created_at: 'ago',
  updated_at: 'ago',
})

export interface IdentityRow {
  id: string
  provider_id: string
  user_id: string
  identity_data: Record<string, unknown>
  provider: string
  last_sign_in_at: number
  created_at: number
  updated_at: number
}
export const authIdentities = table<IdentityRow>('auth.identities', {
  id: 'uuid',
  provider_id: 'text',
  user_id: 'uuid',
  identity_data: 'jsonb',
  provider: 'text',
  last_sign_in_at: 'ago',
  created_at: 'ago',
  updated_at: 'ago',
})

export interface OrganizationRow {
  id: string
  name: string
  created_by: string
  /** ISO 4217, from the vocabulary's currencies. */
  currency: string
  /** numeric(12,2), as text: money is never a float. */
  default_hourly_rate: string
  created_at: number
  updated_at: number
}
export const organizations = table<OrganizationRow>('public.organizations', {
  id: 'uuid',
  name: 'text',
  created_by: 'uuid',
  currency: 'text',
  default_hourly_rate: 'numeric',
  created_at: 'ago',
  updated_at: 'ago',
})

export interface PhaseSettingRow {
  org_id: string
  phase: string
  probability: number | null
  stuck_after_days: number | null
  updated_at: number
}
export const phaseSettings = table<PhaseSettingRow>('public.phase_settings', {
  org_id: 'uuid',
  phase: 'public.customer_phase',
  probability: 'smallint',
  stuck_after_days: 'integer',
  updated_at: 'ago',
})

export interface MembershipRow {
  org_id: string
  user_id: string
  role: string
  created_at: number
  updated_at: number
}
export const memberships = table<MembershipRow>('public.memberships', {
  org_id: 'uuid',
  user_id: 'uuid',
  role: 'public.membership_role',
  created_at: 'ago',
  updated_at: 'ago',
})

export interface CustomerRow {
  id: string
  org_id: string
  name: string
  phase: string
  owner_id: string | null
  /** numeric(14,2) as text, or none. */
  deal_value: string | null
  expected_close_date: number | null
  next_step: string | null
  phase_entered_at: number
  created_at: number
  updated_at: number
}
export const customers = table<CustomerRow>('public.customers', {
  id: 'uuid',
  org_id: 'uuid',
  name: 'text',
  phase: 'public.customer_phase',
  owner_id: 'uuid',
  deal_value: 'numeric',
  expected_close_date: 'day',
  next_step: 'text',
  phase_entered_at: 'ago',
  created_at: 'ago',
  updated_at: 'ago',
})

/** What every child of a customer carries. */
interface ChildRow {
  id: string
  org_id: string
  customer_id: string
  name: string
  created_at: number
  updated_at: number
}
const childColumns = {
  id: 'uuid',
  org_id: 'uuid',
  customer_id: 'uuid',
  name: 'text',
  created_at: 'ago',
  updated_at: 'ago',
} as const

export interface ContactRow extends ChildRow {
  email: string | null
  phone: string | null
  role: string | null
}
export const contacts = table<ContactRow>('public.contacts', {
  ...childColumns,
  email: 'text',
  phone: 'text',
  role: 'text',
})

export interface TeamRow extends ChildRow {
  finance_code: string
}
export const teams = table<TeamRow>('public.teams', { ...childColumns, finance_code: 'text' })

export interface ProcessRow extends ChildRow {
  status: string
  phase: string | null
}
export const processes = table<ProcessRow>('public.processes', {
  ...childColumns,
  status: 'public.process_status',
  phase: 'public.customer_phase',
})

export interface ServiceRow extends ChildRow {
  /** numeric(8,2), kept as text so no float rounding creeps in. */
  monthly_hours: string
  /** numeric(12,2) as text; none: the organization's default rate. */
  hourly_rate: string | null
}
export const services = table<ServiceRow>('public.services', {
  ...childColumns,
  monthly_hours: 'numeric',
  hourly_rate: 'numeric',
})

export interface DocumentRow extends ChildRow {
  category: string
  storage_path: string
  size_bytes: number
  content_type: string
  uploaded_by: string | null
}
export const documents = table<DocumentRow>('public.documents', {
  ...childColumns,
  category: 'public.document_category',
  storage_path: 'text',
  size_bytes: 'bigint',
  content_type: 'text',
  uploaded_by: 'uuid',
})

export interface ExternalIdRow {
  org_id: string
  customer_id: string
  provider: string
  external_id: string
  created_at: number
}
export const customerExternalIds = table<ExternalIdRow>('public.customer_external_ids', {
  org_id: 'uuid',
  customer_id: 'uuid',
  provider: 'text',
  external_id: 'text',
  created_at: 'ago',
})

export interface TimelineEventRow {
  id: string
  org_id: string
  customer_id: string
  type: string
  description: string
  occurred_at: number
  actor_id: string | null
  payload: Record<string, unknown>
}
export const timelineEvents = table<TimelineEventRow>('public.timeline_events', {
  id: 'uuid',
  org_id: 'uuid',
  customer_id: 'uuid',
  type: 'public.timeline_event_type',
  description: 'text',
  occurred_at: 'ago',
  actor_id: 'uuid',
  payload: 'jsonb',
})

export interface ChatSessionRow {
  id: string
  org_id: string
  user_id: string
  title: string
  created_at: number
  updated_at: number
}
export const chatSessions = table<ChatSessionRow>('public.chat_sessions', {
  id: 'uuid',
  org_id: 'uuid',
  user_id: 'uuid',
  title: 'text',
  created_at: 'ago',
  updated_at: 'ago',
})

export interface ChatMessageRow {
  id: string
  org_id: string
  session_id: string
  role: string
  content: string
  created_at: number
}
export const chatMessages = table<ChatMessageRow>('public.chat_messages', {
  id: 'uuid',
  org_id: 'uuid',
  session_id: 'uuid',
  role: 'public.chat_role',
  content: 'text',
  created_at: 'ago',
})

export interface TaskRow {
  id: string
  org_id: string
  customer_id: string
  assignee_id: string | null
  title: string
  due_at: number
  done_at: number | null
  created_by: string | null
  created_at: number
  updated_at: number
}
export const tasks = table<TaskRow>('public.tasks', {
  id: 'uuid',
  org_id: 'uuid',
  customer_id: 'uuid',
  assignee_id: 'uuid',
  title: 'text',
  due_at: 'ago',
  done_at: 'ago',
  created_by: 'uuid',
  created_at: 'ago',
  updated_at: 'ago',
})

export interface ActivityRow {
  id: string
  org_id: string
  customer_id: string
  kind: string
  outcome: string
  summary: string | null
  occurred_at: number
  actor_id: string | null
  created_at: number
}
export const activities = table<ActivityRow>('public.activities', {
  id: 'uuid',
  org_id: 'uuid',
  customer_id: 'uuid',
  kind: 'text',
  outcome: 'text',
  summary: 'text',
  occurred_at: 'ago',
  actor_id: 'uuid',
  created_at: 'ago',
})

export interface NotificationRow {
  id: string
  org_id: string
  user_id: string
  kind: string
  task_id: string
  title: string
  created_at: number
  read_at: number | null
}
export const notifications = table<NotificationRow>('public.notifications', {
  id: 'uuid',
  org_id: 'uuid',
  user_id: 'uuid',
  kind: 'text',
  task_id: 'uuid',
  title: 'text',
  created_at: 'ago',
  read_at: 'ago',
})

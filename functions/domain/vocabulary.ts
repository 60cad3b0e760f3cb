/**
 * The domain's vocabularies, each written once: the API's zod enums are built
 * from these lists, and the dashboard, the webhook mappings, the importer and
 * the seed import them. The database holds the same names as enums and CHECK
 * constraints, a second source by nature: tests/catalogue.test.ts fails when
 * the two differ, value or order.
 *
 * Plain data and types only (no zod, no Node or Deno API), so the dashboard's
 * bundle takes the lists it iterates without the validation library.
 */

// Customers

/** public.customer_phase, in pipeline order (the enum's order: the API sorts and reports by it). */
export const customerPhases = [
  'lead',
  'qualified',
  'proposal',
  'negotiation',
  'won',
  'onboarding',
  'active',
  'churned',
  'lost',
] as const
export type CustomerPhase = (typeof customerPhases)[number]

/**
 * Where a phase stands: a deal still being worked (open), a deal won and the
 * customer since (won), a deal lost, or a customer who left (churned).
 */
export type PhaseOutcome = 'open' | 'won' | 'lost' | 'churned'
export const phaseOutcomes = {
  lead: 'open',
  qualified: 'open',
  proposal: 'open',
  negotiation: 'open',
  won: 'won',
  onboarding: 'won',
  active: 'won',
  churned: 'churned',
  lost: 'lost',
} as const satisfies Record<CustomerPhase, PhaseOutcome>

/** The phases with one outcome, in pipeline order. */
export const phasesOf = (outcome: PhaseOutcome): CustomerPhase[] =>
  customerPhases.filter((phase) => phaseOutcomes[phase] === outcome)

/** The customers list's sort keys: a column, ascending, or `-column`, descending. */
export const customerSorts = [
  'name',
  '-name',
  'updated_at',
  '-updated_at',
  'created_at',
  '-created_at',
] as const
export type CustomerSort = (typeof customerSorts)[number]
export type CustomerSortColumn = Exclude<CustomerSort, `-${string}`>
/** Recently changed first: what the list shows when the client names no sort. */
export const defaultCustomerSort = '-updated_at' satisfies CustomerSort

/**
 * A new organization's phase settings (public.phase_settings, created by the database;
 * each organization's admins change its own): the win probability of each open phase,
 * in percent (a won phase counts 100, lost and churned 0), and after how many days in
 * a phase a customer counts as stuck (none: never).
 */
export const defaultPhaseProbabilities = {
  lead: 10,
  qualified: 25,
  proposal: 50,
  negotiation: 75,
} as const satisfies Partial<Record<CustomerPhase, number>>
export const defaultStuckAfterDays = {
  lead: 30,
  qualified: 21,
  proposal: 21,
  negotiation: 14,
  won: 14,
  onboarding: 30,
  active: null,
  churned: null,
  lost: null,
} as const satisfies Record<CustomerPhase, number | null>

// Money

/**
 * The currencies an organization can keep its figures in (organizations_currency_known):
 * ISO 4217 codes, each one Intl.NumberFormat formats. Amounts are numeric in the
 * database and decimal strings in JSON, never floats.
 */
export const currencies = [
  'EUR',
  'USD',
  'GBP',
  'CHF',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
  'CZK',
  'HUF',
  'RON',
  'CAD',
  'AUD',
  'NZD',
  'JPY',
  'CNY',
  'INR',
  'SGD',
  'HKD',
  'BRL',
  'MXN',
  'ZAR',
  'ILS',
  'AED',
] as const
export type Currency = (typeof currencies)[number]

// Organizations

/** public.membership_role, from fewest rights to most: the enum's order, which SQL compares (`role >= 'admin'`). */
export const membershipRoles = ['viewer', 'rep', 'manager', 'admin', 'owner'] as const
export type MembershipRole = (typeof membershipRoles)[number]

/** True when `role` has at least the rights of `needed`, by the order above. */
export const roleAtLeast = (role: MembershipRole, needed: MembershipRole) =>
  membershipRoles.indexOf(role) >= membershipRoles.indexOf(needed)

/** The roles a member can be given by a role change: ownership moves only by an explicit transfer. */
export const assignableRoles = [
  'viewer',
  'rep',
  'manager',
  'admin',
] as const satisfies readonly MembershipRole[]

/** public.invitation_status; `expired` is also what an open invitation past its expiry reads as. */
export const invitationStatuses = ['open', 'accepted', 'declined', 'revoked', 'expired'] as const
export type InvitationStatus = (typeof invitationStatuses)[number]

// A customer's records

/** public.document_category. */
export const documentCategories = ['contract', 'proposal', 'invoice', 'report', 'other'] as const
export type DocumentCategory = (typeof documentCategories)[number]

/** public.document_status: pending until the server has seen the uploaded file. */
export const documentStatuses = ['pending', 'ready'] as const
export type DocumentStatus = (typeof documentStatuses)[number]

/** public.process_status, in business order (lists sort by it). */
export const processStatuses = ['planned', 'in_progress', 'blocked', 'done', 'cancelled'] as const
export type ProcessStatus = (typeof processStatuses)[number]

/** Processes still to do: what "open processes" counts. */
export const openProcessStatuses = [
  'planned',
  'in_progress',
  'blocked',
] as const satisfies readonly ProcessStatus[]

/** public.timeline_event_type: what the database records (by trigger) and what people add (note). */
export const timelineEventTypes = [
  'customer_created',
  'phase_changed',
  'owner_changed',
  'process_status_changed',
  'document_added',
  'customer_deleted',
  'note',
  'crm_sync',
  'document_deleted',
  'task_completed',
  'activity_logged',
] as const
export type TimelineEventType = (typeof timelineEventTypes)[number]

// Tasks, activities, notifications

/** What a logged activity was (activities_kind_known). */
export const activityKinds = ['call', 'email', 'meeting'] as const
export type ActivityKind = (typeof activityKinds)[number]

/** How a logged activity went (activities_outcome_known). */
export const activityOutcomes = [
  'completed',
  'no_answer',
  'left_message',
  'follow_up',
  'not_interested',
] as const
export type ActivityOutcome = (typeof activityOutcomes)[number]

/** What a notification is about (notifications_kind_known). */
export const notificationKinds = ['task_overdue'] as const
export type NotificationKind = (typeof notificationKinds)[number]

/** Which tasks a list holds: not yet done, done, or both. */
export const taskStatuses = ['open', 'done', 'all'] as const
export type TaskStatus = (typeof taskStatuses)[number]

/** The tasks list's sort keys; by due time, undated tasks come after every dated one. */
export const taskSorts = [
  'due_at',
  '-due_at',
  'created_at',
  '-created_at',
  'updated_at',
  '-updated_at',
] as const
export type TaskSort = (typeof taskSorts)[number]
export type TaskSortColumn = Exclude<TaskSort, `-${string}`>
/** What is due first: what a list of things to do shows when the client names no sort. */
export const defaultTaskSort = 'due_at' satisfies TaskSort

// Chat

/** public.chat_role. */
export const chatRoles = ['user', 'assistant', 'system'] as const
export type ChatRole = (typeof chatRoles)[number]

// CRM integrations

/** The CRMs that send webhooks (integrations_provider_known); each is a module in functions/webhooks/providers. */
export const integrationProviders = ['hubspot', 'pipedrive', 'standard_webhooks'] as const
export type IntegrationProvider = (typeof integrationProviders)[number]

/** What a company deleted at the source does here: delete the customer (the default) or keep it, unlinked. */
export const integrationOnDelete = ['delete', 'keep'] as const
export type IntegrationOnDelete = (typeof integrationOnDelete)[number]

/**
 * The kinds of CRM record an integration keeps sync state for
 * (integration_objects_kind_known): companies become customers, contacts
 * contacts, and a deal's value and close date go to its company's customer.
 */
export const crmObjectKinds = ['customer', 'contact', 'deal'] as const
export type CrmObjectKind = (typeof crmObjectKinds)[number]

/**
 * A received webhook event (webhook_events_status_known): pending until handled,
 * failed while retries remain, dead after the last, processed or ignored once done.
 */
export const webhookEventStatuses = ['pending', 'failed', 'processed', 'ignored', 'dead'] as const
export type WebhookEventStatus = (typeof webhookEventStatuses)[number]

// Scheduled jobs

/** A row of public.job_runs (job_runs_status_known): running until it finishes one of the other three ways. */
export const jobRunStatuses = ['running', 'succeeded', 'failed', 'skipped'] as const
export type JobRunStatus = (typeof jobRunStatuses)[number]

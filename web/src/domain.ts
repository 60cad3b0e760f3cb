import type {
  ActivityKind,
  ActivityOutcome,
  CustomerPhase,
  MembershipRole,
  ProcessStatus,
  TimelineEventType,
} from '../../functions/domain/vocabulary.ts'

/**
 * What the dashboard calls the domain's values. The values themselves, and
 * their order, come from functions/domain/vocabulary.ts; each Record here must
 * name every one of them, so a new value fails the type check until it has a label.
 */
export const phaseLabels: Record<CustomerPhase, string> = {
  lead: 'Lead',
  qualified: 'Qualified',
  proposal: 'Proposal',
  negotiation: 'Negotiation',
  won: 'Won',
  onboarding: 'Onboarding',
  active: 'Active',
  churned: 'Churned',
  lost: 'Lost',
}

export const processStatusLabels: Record<ProcessStatus, string> = {
  planned: 'Planned',
  in_progress: 'In progress',
  blocked: 'Blocked',
  done: 'Done',
  cancelled: 'Cancelled',
}

export const roleLabels: Record<MembershipRole, string> = {
  owner: 'Owner',
  admin: 'Admin',
  manager: 'Manager',
  rep: 'Sales rep',
  viewer: 'Viewer',
}

export const eventTypeLabels: Record<TimelineEventType, string> = {
  customer_created: 'Customer created',
  phase_changed: 'Phase changed',
  owner_changed: 'Owner changed',
  process_status_changed: 'Process status changed',
  document_added: 'Document added',
  document_deleted: 'Document deleted',
  crm_sync: 'CRM sync',
  customer_deleted: 'Customer deleted',
  note: 'Note',
  task_completed: 'Task completed',
  activity_logged: 'Activity logged',
}

/** A logged activity's kind, as a person says it. */
export const activityKindLabels: Record<ActivityKind, string> = {
  call: 'Call',
  email: 'Email',
  meeting: 'Meeting',
}

/** How a logged activity went, as a person says it. */
export const activityOutcomeLabels: Record<ActivityOutcome, string> = {
  completed: 'Completed',
  no_answer: 'No answer',
  left_message: 'Left a message',
  follow_up: 'Follow-up needed',
  not_interested: 'Not interested',
}

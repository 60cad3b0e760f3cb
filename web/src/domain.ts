import type { DocumentCategory, Phase, ProcessStatus, Role, TimelineEventType } from './api/types.ts'

/**
 * The API's enums as values the browser can iterate, in the API's order. The
 * `satisfies` checks each entry against the API's types; domain.test.ts checks
 * that none is missing.
 */
export const phases = [
  'lead',
  'qualified',
  'proposal',
  'negotiation',
  'won',
  'onboarding',
  'active',
  'churned',
  'lost',
] as const satisfies readonly Phase[]

export const phaseLabels: Record<Phase, string> = {
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

export const processStatuses = [
  'planned',
  'in_progress',
  'blocked',
  'done',
  'cancelled',
] as const satisfies readonly ProcessStatus[]

export const processStatusLabels: Record<ProcessStatus, string> = {
  planned: 'Planned',
  in_progress: 'In progress',
  blocked: 'Blocked',
  done: 'Done',
  cancelled: 'Cancelled',
}

export const documentCategories = [
  'contract',
  'proposal',
  'invoice',
  'report',
  'other',
] as const satisfies readonly DocumentCategory[]

export const roleLabels: Record<Role, string> = {
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
} as Record<TimelineEventType, string>

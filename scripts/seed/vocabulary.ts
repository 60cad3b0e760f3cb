import type { customerPhases } from '../../functions/routes/customers/customers.schemas.ts'
import type { processStatuses } from '../../functions/routes/processes/processes.schemas.ts'

/** The product's vocabulary as the seed uses it, in the order the enums declare it. */
export const membershipRoles = ['owner', 'admin', 'manager', 'rep', 'viewer'] as const
export type MembershipRole = (typeof membershipRoles)[number]

// The API's schemas are the single source of these names (DESIGN.md, Conventions).
export { customerPhases } from '../../functions/routes/customers/customers.schemas.ts'
export { processStatuses } from '../../functions/routes/processes/processes.schemas.ts'
export type CustomerPhase = (typeof customerPhases)[number]
export type ProcessStatus = (typeof processStatuses)[number]

/** The way forward through the pipeline; churned and lost branch off it. */
const pipeline: readonly CustomerPhase[] = [
  'lead',
  'qualified',
  'proposal',
  'negotiation',
  'won',
  'onboarding',
  'active',
]

/**
 * The phases a customer went through to reach `phase`, starting at lead, so its
 * timeline has one phase_changed event per step. `exitAt` picks where a lost
 * deal dropped out (0..3: lead..negotiation) or a churned one left (5..6).
 */
export function phasePath(phase: CustomerPhase, exitAt: number): CustomerPhase[] {
  if (phase === 'lost') return [...pipeline.slice(0, Math.min(exitAt, 3) + 1), 'lost']
  if (phase === 'churned') return [...pipeline.slice(0, Math.max(5, Math.min(exitAt, 6)) + 1), 'churned']
  return pipeline.slice(0, pipeline.indexOf(phase) + 1)
}

/** The status changes a process went through to reach `status` (created as planned). */
export function statusPath(status: ProcessStatus): ProcessStatus[] {
  switch (status) {
    case 'planned':
      return ['planned']
    case 'in_progress':
      return ['planned', 'in_progress']
    case 'cancelled':
      return ['planned', 'cancelled']
    default:
      return ['planned', 'in_progress', status]
  }
}

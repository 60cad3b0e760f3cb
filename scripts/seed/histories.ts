import {
  type CustomerPhase,
  type ProcessStatus,
  phaseOutcomes,
  phasesOf,
} from '../../functions/domain/vocabulary.ts'

/** The way forward through the pipeline: the open phases, then won and after. Lost and churned branch off it. */
const forward = [...phasesOf('open'), ...phasesOf('won')]
const lastOpen = phasesOf('open').length - 1
const firstAfterWon = forward.indexOf('won') + 1

/**
 * The phases a customer went through to reach `phase`, starting at lead, so its
 * timeline has one phase_changed event per step. `exitAt` picks where a lost
 * deal dropped out (0..3: lead..negotiation) or a churned one left (5..6:
 * onboarding..active).
 */
export function phasePath(phase: CustomerPhase, exitAt: number): CustomerPhase[] {
  const outcome = phaseOutcomes[phase]
  if (outcome === 'lost') return [...forward.slice(0, Math.min(exitAt, lastOpen) + 1), phase]
  if (outcome === 'churned') {
    const leftAt = Math.max(firstAfterWon, Math.min(exitAt, forward.length - 1))
    return [...forward.slice(0, leftAt + 1), phase]
  }
  return forward.slice(0, forward.indexOf(phase) + 1)
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

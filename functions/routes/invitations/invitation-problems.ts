import { isPostgresError } from '../../problems/postgres-errors.ts'
import { ApiProblem, problems } from '../../problems/problem.ts'

/**
 * Why an invitation cannot be answered, as private.invitation_for_answer and
 * private.accept_invitation raise it (SQLSTATE 55000, the reason in the error's
 * constraint): the stable codes of docs/api.md.
 */
const conflicts: Record<string, { code: string; detail: string }> = {
  invitation_accepted: { code: 'invitation_accepted', detail: 'This invitation was already accepted.' },
  invitation_declined: { code: 'invitation_declined', detail: 'This invitation was declined.' },
  invitation_revoked: { code: 'invitation_revoked', detail: 'This invitation was withdrawn.' },
  invitation_expired: {
    code: 'invitation_expired',
    detail: 'This invitation has expired: ask for a new one.',
  },
  invitation_inviter_lacks_rights: {
    code: 'invitation_inviter_lacks_rights',
    detail: 'Whoever invited you can no longer offer this role: ask an admin for a new invitation.',
  },
}

/** 404 for an invitation not addressed to the caller's verified email, 409 for one that cannot be answered. */
export function answerProblem(error: unknown): ApiProblem | undefined {
  if (!isPostgresError(error)) return undefined
  if (error.code === 'P0002') return problems.notFound('invitation')
  const reason = error.constraint ?? error.constraint_name
  const conflict = error.code === '55000' && reason ? conflicts[reason] : undefined
  return conflict ? new ApiProblem(409, conflict.code, 'Conflict', conflict.detail) : undefined
}

/** The same reasons for an invitation an admin finds already ended. */
export function endedProblem(status: string): ApiProblem {
  const conflict = conflicts[`invitation_${status}`] ?? conflicts.invitation_expired
  return new ApiProblem(409, conflict?.code ?? 'conflict', 'Conflict', conflict?.detail)
}

/** Runs a statement; a refusal it explains becomes its problem, anything else is rethrown. */
export async function explained<T>(work: Promise<T>, explain: (error: unknown) => ApiProblem | undefined) {
  try {
    return await work
  } catch (error) {
    throw explain(error) ?? error
  }
}

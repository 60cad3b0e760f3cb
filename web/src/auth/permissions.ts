import { roleAtLeast } from '../../../functions/domain/vocabulary.ts'
import type { Customer, Role } from '../api/types.ts'

/**
 * What the signed-in role may do, mirroring the database's policies
 * (supabase/migrations, docs/schema.md) so the UI hides or disables what
 * would be refused. The server refuses it anyway: this is courtesy, not security.
 * Roles compare by the vocabulary's order, the membership_role enum's.
 */

/** Reps create customers for themselves; managers and up for anyone. */
export const canCreateCustomer = (role: Role) => roleAtLeast(role, 'rep')

/** Writers of a customer: managers and up, and the rep who owns it. */
export const canWriteCustomer = (role: Role, userId: string, customer: Pick<Customer, 'owner_id'>) =>
  roleAtLeast(role, 'manager') || (role === 'rep' && customer.owner_id === userId)

/** Only managers and up hand a customer to someone else. */
export const canReassignCustomer = (role: Role) => roleAtLeast(role, 'manager')

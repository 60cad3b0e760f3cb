import type { Transaction } from '../../../../functions/db/database.ts'

/** What one attacking statement came to. */
export type Attempt<T> =
  | { ok: true; rows: T[] }
  | {
      ok: false
      code: string
      message: string
      /** The named constraint the value broke, when it is a real one of the table. */
      constraint?: string
    }

let counter = 0

/**
 * Runs `sql` inside a savepoint and rolls back to it afterwards. When it
 * succeeds, `look` inspects the database before that rollback (it may switch
 * to the superuser: the rollback undoes the switch too), so the transaction's
 * role and claims are what they were before.
 */
export async function attempt<T extends object, L = undefined>(
  tx: Transaction,
  sql: string,
  params: unknown[],
  look?: (result: Attempt<T>) => Promise<L>,
): Promise<{ result: Attempt<T>; looked: L | undefined }> {
  const savepoint = `attack_${++counter}`
  await tx.query(`savepoint ${savepoint}`)
  let result: Attempt<T>
  try {
    result = { ok: true, rows: await tx.query<T>(sql, params) }
  } catch (error) {
    const e = error as { code?: string; message?: string; constraint?: string; constraint_name?: string }
    if (typeof e?.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) throw error
    result = {
      ok: false,
      code: e.code,
      message: e.message ?? '',
      ...(e.constraint_name || e.constraint ? { constraint: e.constraint_name ?? e.constraint } : {}),
    }
    // An aborted transaction answers nothing until it is rolled back to the savepoint;
    // a statement that failed changed nothing, so there is nothing to look at.
    await tx.query(`rollback to savepoint ${savepoint}`)
    return { result, looked: undefined }
  }
  const looked = look ? await look(result) : undefined
  await tx.query(`rollback to savepoint ${savepoint}`)
  return { result, looked }
}

/**
 * A refusal that says nothing about the caller's rights: the value itself
 * broke a check, a key or a type, so the attack must be redone with a valid
 * value before it proves anything. `constraints` are the real constraint and
 * unique index names of the table (a trigger may name a pseudo-constraint in
 * its error, and is a guard).
 */
export function isInconclusive(result: Attempt<unknown>, constraints: Set<string>): boolean {
  if (result.ok) return false
  if (result.code.startsWith('22')) return true
  if (result.code === '23502') return true
  // A trigger may raise these codes too, naming no constraint or a made-up one: that is a guard.
  if (['23503', '23505', '23514', '23P01'].includes(result.code))
    return result.constraint !== undefined && constraints.has(result.constraint)
  return false
}

export const describeAttempt = (result: Attempt<unknown>) =>
  result.ok ? `ok (${result.rows.length} rows)` : `${result.code} ${result.message}`

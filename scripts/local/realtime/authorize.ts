import { randomUUID } from 'node:crypto'
import type { Database, Transaction } from '../../../functions/db/database.ts'
import type { RealtimeIdentity } from './tokens.ts'

/**
 * Private channels are authorised by the `realtime.messages` policies, probed
 * the way the Realtime server does it (Realtime.Tenants.Authorization), in a
 * transaction that is always rolled back:
 * - read (may join): the server inserts a probe message for the topic, then as
 *   the user (role, request.jwt.claims, realtime.topic set for the transaction)
 *   selects it: seen means allowed;
 * - write (may broadcast): as the user, inserts a message for the topic: an
 *   insufficient_privilege error (a refused `with check`) means not allowed.
 * Nothing is ever committed, so a probe never reaches anyone.
 */
export async function canReadTopic(db: Database, topic: string, identity: RealtimeIdentity) {
  const id = randomUUID()
  return rolledBack(db, async (tx) => {
    await tx.query(`insert into realtime.messages (id, topic, extension) values ($1, $2, 'broadcast')`, [
      id,
      topic,
    ])
    await actAs(tx, topic, identity)
    const rows = await tx.query('select id from realtime.messages where id = $1', [id])
    return rows.length === 1
  })
}

export async function canWriteTopic(db: Database, topic: string, identity: RealtimeIdentity) {
  try {
    return await rolledBack(db, async (tx) => {
      await actAs(tx, topic, identity)
      await tx.query(`insert into realtime.messages (topic, extension) values ($1, 'broadcast')`, [topic])
      return true
    })
  } catch (error) {
    if ((error as { code?: unknown }).code === '42501') return false
    throw error
  }
}

function actAs(tx: Transaction, topic: string, identity: RealtimeIdentity) {
  return tx.query(
    `select set_config('role', $1, true), set_config('realtime.topic', $2, true),
            set_config('request.jwt.claims', $3, true), set_config('request.jwt.claim.sub', $4, true),
            set_config('request.jwt.claim.role', $1, true)`,
    [identity.role, topic, JSON.stringify(identity.claims), String(identity.claims.sub ?? '')],
  )
}

class Rollback<T> {
  constructor(readonly value: T) {}
}

async function rolledBack<T>(db: Database, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  try {
    await db.transaction(async (tx) => {
      throw new Rollback(await fn(tx))
    })
  } catch (error) {
    if (error instanceof Rollback) return error.value as T
    throw error
  }
  throw new Error('unreachable: the probe always rolls back')
}

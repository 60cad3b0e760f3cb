import { afterAll, beforeAll, expect, it } from 'vitest'
import { waitFor } from '../../../tests/realtime/support.ts'
import { createTestDatabase, type TestDatabase } from '../../../tests/support/test-database.ts'
import { type DatabaseMessage, startFeed } from './feed.ts'

/** The shim's NOTIFY, through the driver's listen, into the server; and the janitor. */
let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase()
})
afterAll(() => t?.close())

it('should deliver committed messages in order, reading one too big for NOTIFY from the table', async () => {
  const received: DatabaseMessage[] = []
  const stop = await startFeed({ db: t.db, log: () => {}, onMessage: (m) => received.push(m) })
  try {
    const big = 'x'.repeat(20_000)
    await t.db.transaction(async (tx) => {
      await tx.query(`select realtime.send($1::jsonb, 'big', 'chat:t', true)`, [
        JSON.stringify({ n: 1, big }),
      ])
      await tx.query(`select realtime.send('{"n": 2}', 'small', 'chat:t', true)`)
    })
    // Rolled back: never announced.
    await t.db
      .transaction(async (tx) => {
        await tx.query(`select realtime.send('{"n": 3}', 'lost', 'chat:t', true)`)
        throw new Error('roll back')
      })
      .catch(() => {})
    await t.db.query(`select realtime.send('{"n": 4}', 'public', 'lobby', false)`)
    await waitFor(() => received.length === 3, 'three messages')
    expect(received.map((m) => [m.event, m.topic, m.private, (m.payload as { n: number }).n])).toEqual([
      ['big', 'chat:t', true, 1],
      ['small', 'chat:t', true, 2],
      ['public', 'lobby', false, 4],
    ])
    expect(received[0]?.payload).toMatchObject({ big })
  } finally {
    await stop()
  }
})

it('should delete messages older than the retention', async () => {
  await t.db.query(`select realtime.send('{"old": true}', 'e', 'lobby', false)`)
  await t.db.query(`update realtime.messages set inserted_at = inserted_at - interval '2 hours'`)
  await t.db.query(`select realtime.send('{"new": true}', 'e', 'lobby', false)`)
  const stop = await startFeed({
    db: t.db,
    log: () => {},
    onMessage: () => {},
    retentionMs: 60 * 60_000,
    janitorIntervalMs: 20,
  })
  try {
    const remaining = async () =>
      (await t.db.query<{ payload: object }>('select payload from realtime.messages')).map((r) => r.payload)
    const deadline = Date.now() + 5_000
    while ((await remaining()).length > 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20))
    expect(await remaining()).toEqual([{ new: true, id: expect.any(String) }])
  } finally {
    await stop()
  }
})

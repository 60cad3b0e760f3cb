import type { Database } from '../../../functions/db/database.ts'

/** A committed row of realtime.messages, as the shim's trigger announces it. */
export interface DatabaseMessage {
  id: string
  topic: string
  event: string
  private: boolean
  payload: unknown
}

/** The channel the platform shim's trigger notifies (supabase/local/platform.sql). */
export const notifyChannel = 'realtime_broadcast'

export interface FeedOptions {
  db: Database
  onMessage: (message: DatabaseMessage) => void
  log: (line: string) => void
  /** How long messages stay in realtime.messages (Supabase keeps a few days of partitions). */
  retentionMs?: number
  janitorIntervalMs?: number
}

/**
 * Messages from the database to the hub: LISTEN on the shim's channel (where
 * Supabase's server reads the table by logical replication), and a janitor
 * that deletes old rows so the table stays bounded.
 */
export async function startFeed(options: FeedOptions): Promise<() => Promise<void>> {
  const { db, log } = options
  if (!db.listen) throw new Error('The local realtime server needs a database that can LISTEN')

  // In commit order, even when one message must first be read from the table.
  let delivered = Promise.resolve()
  const unlisten = await db.listen(notifyChannel, (text) => {
    delivered = delivered
      .then(() => deliver(text))
      .catch((error: unknown) => {
        log(
          `realtime: could not deliver a database message: ${error instanceof Error ? error.message : error}`,
        )
      })
  })

  async function deliver(text: string) {
    const note = JSON.parse(text) as Partial<DatabaseMessage> & { truncated?: boolean }
    if (!note.truncated) return options.onMessage(note as DatabaseMessage)
    // Too big for NOTIFY (8000 bytes): read it from the table.
    const [row] = await db.query<DatabaseMessage>(
      'select id, topic, event, private, payload from realtime.messages where id = $1',
      [note.id],
    )
    if (row) options.onMessage(row)
  }

  const retentionMs = options.retentionMs ?? 60 * 60_000
  const janitor = setInterval(() => {
    db.query(`delete from realtime.messages where inserted_at < now() - make_interval(secs => $1)`, [
      retentionMs / 1000,
    ]).catch((error: unknown) =>
      log(`realtime: janitor failed: ${error instanceof Error ? error.message : error}`),
    )
  }, options.janitorIntervalMs ?? 60_000)
  janitor.unref()

  return async () => {
    clearInterval(janitor)
    await unlisten()
  }
}

import type { Database } from '../db/database.ts'
import { type JobRun, runLockedJobAsServiceRole } from '../jobs/job-runs.ts'
import { deleteAbandonedUploads } from '../queries/documents.ts'
import { type DocumentStorage, isDocumentObjectName } from './document-storage.ts'

export const abandonedUploadsJob = 'documents-abandoned-uploads'

/** A pending upload older than this was abandoned: well past the life of its upload URL. */
export const abandonedAfterHours = 24

/** At most this many per run; the next night takes the rest. */
const batchSize = 500

/**
 * Removes uploads that never completed: documents still pending a day after
 * their upload URL was issued, with whatever part of the file reached
 * Storage. Objects first, then the rows (only those still pending), so a
 * failure leaves rows to retry rather than files nobody points at. Recorded in
 * job_runs like the other nightly jobs.
 */
export function cleanUpAbandonedUploadsAsServiceRole(
  db: Database,
  storage: DocumentStorage,
  now: Date = new Date(),
): Promise<JobRun> {
  return runLockedJobAsServiceRole(db, {
    job: abandonedUploadsJob,
    lockedWith: [],
    async work(tx) {
      // Rows first, files second, and only the files of rows this delete removed: an upload
      // completed meanwhile (status no longer pending) keeps both its row and its file.
      const deleted = await deleteAbandonedUploads(tx, { now, hours: abandonedAfterHours, limit: batchSize })
      // A path the server did not build (a row older than 20261204110000) is not sent to Storage.
      const files = deleted.filter(isDocumentObjectName)
      if (files.length > 0) await storage.remove(files)
      return deleted.length
    },
  })
}

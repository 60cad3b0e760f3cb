import type { Database } from '../db/database.ts'
import { type JobRun, runLockedJobAsServiceRole } from '../jobs/job-runs.ts'
import { namesWithoutDocument } from '../queries/documents.ts'
import { type DocumentStorage, isDocumentObjectName, type ListedEntry } from './document-storage.ts'

export const orphanedFilesJob = 'documents-orphaned-files'

/**
 * An object younger than this is left alone, whatever the rows say. It must
 * outlive any upload URL (two hours, see signedUploadUrlSeconds): a file may
 * arrive that long after its URL was issued, and a row written while the sweep
 * lists is only seen by the next one.
 */
export const orphanGraceHours = 24

/** Storage's page size for a folder listing (its search function returns at most 1,500). */
const defaultListPageSize = 1000

/**
 * Removes objects in the documents bucket that no document row names, once
 * they are older than the grace period: a file uploaded through a signed URL
 * after its document was deleted, or left by a removal that failed. Walks the
 * bucket one folder level at a time with Storage's list API, reads each
 * folder whole before touching it (removing shifts the pages of an
 * offset-paged listing), and asks the database which of a folder's objects no
 * row names. Recorded in job_runs like the other nightly jobs.
 */
export function removeOrphanedFilesAsServiceRole(
  db: Database,
  storage: DocumentStorage,
  now: Date = new Date(),
  /** Objects per listing request; smaller only to test a folder of several pages cheaply. */
  listPageSize = defaultListPageSize,
): Promise<JobRun> {
  const olderThan = now.getTime() - orphanGraceHours * 3_600_000
  return runLockedJobAsServiceRole(db, {
    job: orphanedFilesJob,
    lockedWith: [],
    async work(tx) {
      let removed = 0
      const folders = ['']
      for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
        const entries = await wholeFolder(storage, folder, listPageSize)
        folders.push(...entries.filter((e) => e.id === null).map((e) => `${folder}${e.name}/`))
        const old = entries
          .filter((e) => e.id !== null && stampOf(e) < olderThan)
          .map((e) => `${folder}${e.name}`)
        // Only names of the server's shape are sent to Storage with the service key; another name can only
        // be written around the policies (20261204110100), and is left for a person to look at.
        const orphans = await namesWithoutDocument(tx, old.filter(isDocumentObjectName))
        if (orphans.length > 0) {
          await storage.remove(orphans)
          removed += orphans.length
        }
      }
      return removed
    },
  })
}

async function wholeFolder(
  storage: DocumentStorage,
  folder: string,
  pageSize: number,
): Promise<ListedEntry[]> {
  const entries: ListedEntry[] = []
  for (;;) {
    const page = await storage.list(folder, { limit: pageSize, offset: entries.length })
    entries.push(...page)
    if (page.length < pageSize) return entries
  }
}

/** When the object was last written; an object without stamps counts as new. */
function stampOf(entry: ListedEntry): number {
  const stamp = Date.parse(entry.updated_at ?? entry.created_at ?? '')
  return Number.isNaN(stamp) ? Number.POSITIVE_INFINITY : stamp
}

import type { ZodError } from 'zod'
import type { Queryable, Transaction } from '../db/database.ts'
import { roleAtLeast } from '../domain/vocabulary.ts'
import { problems } from '../problems/problem.ts'
import { callerRole, memberEmails } from '../queries/members.ts'
import type { SourceRow } from './source.ts'

/** Runs `fn` in one transaction as the importing user (the endpoint's asCaller, the CLI's withUser). */
export type RunAsCaller = <T>(fn: (tx: Transaction) => Promise<T>) => Promise<T>

/** A row that cannot be imported: the line of the file, the field, why. */
export interface RowError {
  line: number
  field: string
  message: string
}

export interface ChunkReport {
  chunk: number
  first_line: number
  last_line: number
  rows: number
  /** `rejected`: some row is bad (all listed in `errors`) and nothing of the chunk was written. */
  status: 'imported' | 'rejected'
  created: number
  updated: number
  unchanged: number
  errors: RowError[]
}

export interface ImportReport {
  rows: number
  created: number
  updated: number
  unchanged: number
  rejected_rows: number
  chunks: ChunkReport[]
}

export const defaultChunkSize = 1000

/** What a chunk's writer returns: its rows' errors, or what it wrote. */
export type ChunkOutcome = { errors: RowError[] } | { created: number; updated: number; unchanged: number }

/**
 * Cuts the rows into chunks and hands each to `writeChunk` in a transaction of
 * its own: a chunk whose writer reports errors throws them out of the
 * transaction, so it rolls back and none of its rows stay.
 */
export async function importInChunks(
  rows: SourceRow[],
  chunkSize: number,
  run: RunAsCaller,
  writeChunk: (tx: Transaction, rows: SourceRow[]) => Promise<ChunkOutcome>,
): Promise<ImportReport> {
  const report: ImportReport = {
    rows: rows.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected_rows: 0,
    chunks: [],
  }
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunkRows = rows.slice(start, start + chunkSize)
    const chunk: ChunkReport = {
      chunk: report.chunks.length + 1,
      first_line: chunkRows[0]?.line ?? 0,
      last_line: chunkRows.at(-1)?.line ?? 0,
      rows: chunkRows.length,
      status: 'imported',
      created: 0,
      updated: 0,
      unchanged: 0,
      errors: [],
    }
    try {
      const outcome = await run(async (tx) => {
        const result = await writeChunk(tx, chunkRows)
        if ('errors' in result) throw new RejectedChunk(result.errors)
        return result
      })
      Object.assign(chunk, outcome)
      report.created += outcome.created
      report.updated += outcome.updated
      report.unchanged += outcome.unchanged
    } catch (error) {
      if (!(error instanceof RejectedChunk)) throw error
      chunk.status = 'rejected'
      chunk.errors = error.errors.sort((a, b) => a.line - b.line)
      report.rejected_rows += chunkRows.length
    }
    report.chunks.push(chunk)
  }
  return report
}

class RejectedChunk extends Error {
  constructor(readonly errors: RowError[]) {
    super('rejected chunk')
  }
}

/** A zod failure as row errors, naming each field as the import calls it. */
export function rowErrorsOf(line: number, error: ZodError): RowError[] {
  return error.issues.map((issue) => ({
    line,
    field: issue.path.map(String).join('.') || 'row',
    message: issue.message,
  }))
}

export interface ImportContext {
  /** Members of the organization: user id by lower-case email, and the set of ids. */
  memberIdByEmail: Map<string, string>
  memberIds: Set<string>
}

/**
 * Only owners and admins import (the database's RLS would let a manager write
 * too, but a bulk change is an administrator's decision). An organization the
 * caller is not a member of is a 404, like any row RLS hides.
 */
export async function assertCanImport(tx: Queryable, orgId: string): Promise<void> {
  const role = await callerRole(tx, orgId)
  if (!role) throw problems.notFound('organization')
  if (!roleAtLeast(role, 'admin')) throw problems.forbidden('Only owners and admins may import.')
}

/** Checks the caller may import, and reads the members an owner column may name. */
export async function prepareImport(tx: Queryable, orgId: string): Promise<ImportContext> {
  await assertCanImport(tx, orgId)
  const members = await memberEmails(tx, orgId)
  return {
    memberIdByEmail: new Map(members.map((m) => [m.email.toLowerCase(), m.user_id])),
    memberIds: new Set(members.map((m) => m.user_id)),
  }
}

/** A cell as an optional value: absent column → undefined, empty cell → null. */
export function cellOrNull(value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  return trimmed === '' ? null : trimmed
}

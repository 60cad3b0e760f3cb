import { defineChildResource } from '../customer-children/define-child-resource.ts'
import { Process, ProcessCreate, ProcessPatch } from './processes.schemas.ts'

export const processesRouter = defineChildResource({
  table: 'processes',
  noun: 'process',
  schemas: { row: Process, create: ProcessCreate, patch: ProcessPatch },
  columns: { name: 'text', status: 'public.process_status', phase: 'public.customer_phase' },
  // Enums sort in business order: planned, in_progress, blocked, done, cancelled.
  sortKeys: ['status'],
  defaultSort: 'name',
})

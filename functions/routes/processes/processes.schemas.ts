import { z } from '@hono/zod-openapi'
import { processStatuses } from '../../domain/vocabulary.ts'
import { patchOf } from '../../http/patch-body.ts'
import { childName, childRow } from '../customer-children/child-schemas.ts'
import { CustomerPhase } from '../customers/customers.schemas.ts'

export const ProcessStatus = z.enum(processStatuses).openapi('ProcessStatus')

/** A piece of work with the customer; a status change is recorded on the customer's timeline. */
export const Process = childRow({
  name: z.string(),
  status: ProcessStatus,
  phase: CustomerPhase.nullable().openapi({ description: 'The customer phase this process belongs to' }),
}).openapi('Process')

export const ProcessCreate = z
  .strictObject({
    name: childName,
    status: ProcessStatus.optional().openapi({ description: 'Defaults to planned' }),
    phase: CustomerPhase.nullable().optional(),
  })
  .openapi('ProcessCreate')

export const ProcessPatch = patchOf(ProcessCreate).openapi('ProcessPatch')

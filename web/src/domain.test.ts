import { describe, expect, it } from 'vitest'
import { customerPhases } from '../../functions/routes/customers/customers.schemas.ts'
import { documentCategories as apiCategories } from '../../functions/routes/documents/documents.schemas.ts'
import { processStatuses as apiStatuses } from '../../functions/routes/processes/processes.schemas.ts'
import { TimelineEventType } from '../../functions/routes/timeline/timeline.schemas.ts'
import { documentCategories, eventTypeLabels, phaseLabels, phases, processStatuses } from './domain.ts'

describe('the dashboard’s copies of the API’s enums', () => {
  it('should list every value in the API’s order, with a label for each', () => {
    expect(phases).toEqual(customerPhases)
    expect(processStatuses).toEqual(apiStatuses)
    expect(documentCategories).toEqual(apiCategories)
    expect(Object.keys(phaseLabels)).toEqual([...customerPhases])
    expect(Object.keys(eventTypeLabels).sort()).toEqual([...TimelineEventType.options].sort())
  })
})

import { describe, expect, it } from 'vitest'
import { OrganizationCreate, OrganizationPatch, TimeZone } from './orgs.schemas.ts'

describe('organization schemas', () => {
  it('should take a time zone on create and on change through one schema, so the two cannot drift', () => {
    expect(OrganizationCreate.shape.time_zone.unwrap()).toBe(TimeZone)
    expect(OrganizationPatch.shape.time_zone?.unwrap()).toBe(TimeZone)
  })
})

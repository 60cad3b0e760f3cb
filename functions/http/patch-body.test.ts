import { z } from '@hono/zod-openapi'
import { describe, expect, it } from 'vitest'
import { CustomerPatch } from '../routes/customers/customers.schemas.ts'
import { OrganizationPatch, PhaseSettingPatch } from '../routes/orgs/orgs.schemas.ts'
import { TaskPatch } from '../routes/tasks/tasks.schemas.ts'
import { patchOf } from './patch-body.ts'

describe('patchOf', () => {
  const Patch = patchOf(z.strictObject({ name: z.string(), note: z.string().nullable() }))

  it('should take any one of the fields, null where the field allows it', () => {
    expect(Patch.safeParse({ name: 'A' }).success).toBe(true)
    expect(Patch.safeParse({ note: null }).success).toBe(true)
  })

  it('should refuse an empty patch and a field nobody may set', () => {
    const empty = Patch.safeParse({})
    expect(empty.error?.issues).toEqual([
      expect.objectContaining({ path: [], message: 'send at least one field to change' }),
    ])
    expect(Patch.safeParse({ name: 'A', id: 'x' }).error?.issues[0]?.code).toBe('unrecognized_keys')
  })

  it('should be what every resource’s patch refuses an empty body with', () => {
    for (const [name, schema] of Object.entries({
      CustomerPatch,
      OrganizationPatch,
      PhaseSettingPatch,
      TaskPatch,
    }))
      expect(schema.safeParse({}).error?.issues, name).toEqual([
        expect.objectContaining({ path: [], message: 'send at least one field to change' }),
      ])
  })
})

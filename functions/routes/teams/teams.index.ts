import { defineChildResource } from '../customer-children/define-child-resource.ts'
import { Team, TeamCreate, TeamPatch } from './teams.schemas.ts'

export const teamsRouter = defineChildResource({
  table: 'teams',
  noun: 'team',
  schemas: { row: Team, create: TeamCreate, patch: TeamPatch },
  columns: { name: 'text', finance_code: 'text' },
  sortKeys: ['finance_code'],
  defaultSort: 'name',
})

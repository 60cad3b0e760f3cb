import { defineChildResource } from '../customer-children/define-child-resource.ts'
import { Service, ServiceCreate, ServicePatch } from './services.schemas.ts'

export const servicesRouter = defineChildResource({
  table: 'services',
  noun: 'service',
  schemas: { row: Service, create: ServiceCreate, patch: ServicePatch },
  columns: { name: 'text', monthly_hours: 'numeric' },
  // numeric(8,2) reaches JavaScript as a string; float8 makes it a JSON number (exact at two decimals).
  readAs: { monthly_hours: 'float8' },
  sortKeys: ['monthly_hours'],
  defaultSort: 'name',
})

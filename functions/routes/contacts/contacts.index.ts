import { defineChildResource } from '../customer-children/define-child-resource.ts'
import { Contact, ContactCreate, ContactPatch } from './contacts.schemas.ts'

export const contactsRouter = defineChildResource({
  table: 'contacts',
  noun: 'contact',
  schemas: { row: Contact, create: ContactCreate, patch: ContactPatch },
  columns: { name: 'text', email: 'text', phone: 'text', role: 'text' },
  defaultSort: 'name',
})

import {
  customerPhases,
  documentCategories,
  processStatuses,
} from '../../../../functions/domain/vocabulary.ts'
import type { Contact, Document, Process, Service, Team } from '../../api/types.ts'
import { phaseLabels, processStatusLabels } from '../../domain.ts'
import { formatBytes, formatHours } from '../../format/numbers.ts'
import type { ChildField } from './child-form.ts'

/**
 * What differs between the kinds of records a customer has: the fields of
 * their form, the columns of their table, and their words. One table and one
 * form (child-table.ts) are driven by these.
 */
export interface ChildKind<T extends { id: string; name: string; version: string }> {
  /** The API's path segment: GET /customers/{id}/<kind>, PATCH /<kind>/{id}. */
  path: 'contacts' | 'teams' | 'processes' | 'services' | 'documents'
  /** One record in words: "contact". */
  noun: string
  plural: string
  fields: readonly ChildField[]
  columns: readonly { key: string; label: string; numeric?: boolean; cell: (record: T) => string }[]
  /** A 409 in words (a unique value taken), and the field it is about. */
  conflict?: { field: string; message: string }
  /** What else goes when a record is deleted, for the confirmation. */
  deleteNote?: string
}

const text = (value: string | null) => value ?? '—'

export const contactKind: ChildKind<Contact> = {
  path: 'contacts',
  noun: 'contact',
  plural: 'contacts',
  fields: [
    { key: 'name', label: 'Name', input: 'text', required: true, autocomplete: 'off' },
    { key: 'email', label: 'Email', input: 'email', nullable: true, autocomplete: 'off' },
    { key: 'phone', label: 'Phone', input: 'tel', nullable: true, autocomplete: 'off' },
    { key: 'role', label: 'Role at the customer', input: 'text', nullable: true, hint: 'For example CFO' },
  ],
  columns: [
    { key: 'name', label: 'Name', cell: (c) => c.name },
    { key: 'role', label: 'Role', cell: (c) => text(c.role) },
    { key: 'email', label: 'Email', cell: (c) => text(c.email) },
    { key: 'phone', label: 'Phone', cell: (c) => text(c.phone) },
  ],
}

export const teamKind: ChildKind<Team> = {
  path: 'teams',
  noun: 'team',
  plural: 'teams',
  fields: [
    { key: 'name', label: 'Name', input: 'text', required: true, autocomplete: 'off' },
    {
      key: 'finance_code',
      label: 'Finance code',
      input: 'text',
      required: true,
      autocomplete: 'off',
      hint: 'Letters, digits and . _ / - (up to 40), unique for this customer',
    },
  ],
  columns: [
    { key: 'name', label: 'Name', cell: (t) => t.name },
    { key: 'finance_code', label: 'Finance code', cell: (t) => t.finance_code },
  ],
  conflict: {
    field: 'finance_code',
    message: 'Another team of this customer already uses this finance code. Choose a different one.',
  },
}

export const processKind: ChildKind<Process> = {
  path: 'processes',
  noun: 'process',
  plural: 'processes',
  fields: [
    { key: 'name', label: 'Name', input: 'text', required: true, autocomplete: 'off' },
    {
      key: 'status',
      label: 'Status',
      input: 'select',
      defaultValue: 'planned',
      options: processStatuses.map((s) => ({ value: s, label: processStatusLabels[s] })),
    },
    {
      key: 'phase',
      label: 'Customer phase',
      input: 'select',
      nullable: true,
      options: [
        { value: '', label: 'No phase' },
        ...customerPhases.map((p) => ({ value: p, label: phaseLabels[p] })),
      ],
    },
  ],
  // The status column is a select for writers (child-table.ts), text for everyone else.
  columns: [
    { key: 'name', label: 'Name', cell: (p) => p.name },
    { key: 'status', label: 'Status', cell: (p) => processStatusLabels[p.status] },
    { key: 'phase', label: 'Phase', cell: (p) => (p.phase ? phaseLabels[p.phase] : '—') },
  ],
}

export const serviceKind: ChildKind<Service> = {
  path: 'services',
  noun: 'service',
  plural: 'services',
  fields: [
    { key: 'name', label: 'Name', input: 'text', required: true, autocomplete: 'off' },
    {
      key: 'monthly_hours',
      label: 'Monthly hours',
      input: 'number',
      min: 0,
      max: 10000,
      step: 0.25,
      defaultValue: '0',
    },
  ],
  columns: [
    { key: 'name', label: 'Name', cell: (s) => s.name },
    {
      key: 'monthly_hours',
      label: 'Monthly hours',
      numeric: true,
      cell: (s) => formatHours(s.monthly_hours),
    },
  ],
}

export const documentCategoryLabels: Record<Document['category'], string> = {
  contract: 'Contract',
  proposal: 'Proposal',
  invoice: 'Invoice',
  report: 'Report',
  other: 'Other',
}

export const categoryOptions = documentCategories.map((c) => ({ value: c, label: documentCategoryLabels[c] }))

/** Documents are created by uploading (documents-tab.ts); the form renames and recategorizes them. */
export const documentKind: ChildKind<Document> = {
  path: 'documents',
  noun: 'document',
  plural: 'documents',
  deleteNote: 'Its file is deleted from storage too.',
  fields: [
    { key: 'name', label: 'File name', input: 'text', required: true, autocomplete: 'off' },
    { key: 'category', label: 'Category', input: 'select', defaultValue: 'other', options: categoryOptions },
  ],
  columns: [
    { key: 'name', label: 'Name', cell: (d) => d.name },
    { key: 'category', label: 'Category', cell: (d) => documentCategoryLabels[d.category] },
    { key: 'size_bytes', label: 'Size', numeric: true, cell: (d) => formatBytes(d.size_bytes) },
  ],
}

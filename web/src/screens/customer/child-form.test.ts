import { describe, expect, it } from 'vitest'
import { bodyOf, type ChildField, checkValues, fieldErrorsOf, valuesOf } from './child-form.ts'

const fields: ChildField[] = [
  { key: 'name', label: 'Name', input: 'text', required: true },
  { key: 'email', label: 'Email', input: 'email', nullable: true },
  { key: 'hours', label: 'Monthly hours', input: 'number', min: 0, max: 10000, defaultValue: '0' },
]

describe('the customer record form', () => {
  it('should send every filled field on create, trimmed and typed', () => {
    const values = { name: '  Ada ', email: '', hours: '12.5' }
    expect(bodyOf(fields, values)).toEqual({ name: 'Ada', hours: 12.5 })
  })

  it('should send only what changed on an edit, and null for a cleared optional field', () => {
    const before = valuesOf(fields, { name: 'Ada', email: 'ada@example.com', hours: 3 })
    expect(before).toEqual({ name: 'Ada', email: 'ada@example.com', hours: '3' })
    expect(bodyOf(fields, { ...before, email: '' }, before)).toEqual({ email: null })
    expect(bodyOf(fields, before, before)).toEqual({})
  })

  it('should start a new record with the defaults', () => {
    expect(valuesOf(fields)).toEqual({ name: '', email: '', hours: '0' })
  })

  it('should say in words what is missing or out of range', () => {
    expect(checkValues(fields, { name: ' ', email: '', hours: '-1' })).toEqual({
      name: 'Enter a name.',
      hours: 'Enter at least 0.',
    })
  })

  it('should put the API’s field errors next to their fields, and others apart', () => {
    const errors = [
      { field: 'body.email', message: 'Invalid email address' },
      { field: 'body.name', message: 'Too small: expected string to have >=1 characters' },
      { field: 'body.org_id', message: 'is not a field you can set' },
    ]
    expect(fieldErrorsOf(fields, errors)).toEqual({
      email: 'Enter a valid email address.',
      name: 'This cannot be empty.',
      '': 'Is not a field you can set.',
    })
  })
})

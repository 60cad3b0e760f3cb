import { describe, expect, it } from 'vitest'
import { bucketFolders, customerOfObject, objectFiles, parseObjectKey } from './paths.ts'

const org = 'aaaaaaaa-1111-4111-8111-bbbbbbbbbbbb'
const customer = '22222222-2222-4222-8222-222222222222'

describe('object names', () => {
  it('should refuse names that could leave the bucket folder or hide a control character', () => {
    for (const key of ['', '/etc/passwd', 'a/../b', './a', 'a//b', 'a/', 'a\\..\\b', 'a\u0000b', '..']) {
      expect(() => parseObjectKey(key), JSON.stringify(key)).toThrow(/Invalid key/)
    }
    expect(parseObjectKey('org/x/a b.pdf')).toEqual(['org', 'x', 'a b.pdf'])
  })

  it('should keep every file inside its bucket and metadata folders', () => {
    const folders = bucketFolders('/data/storage', 'documents')
    expect(objectFiles(folders, 'org/x/a.pdf')).toEqual({
      data: '/data/storage/documents/org/x/a.pdf',
      metadata: '/data/storage/.metadata/documents/org/x/a.pdf.json',
    })
    expect(() => objectFiles(folders, '../other/a.pdf')).toThrow(/Invalid key/)
  })

  it('should read the organization and customer from the documents layout only', () => {
    expect(customerOfObject(`org/${org}/customers/${customer}/d/a.pdf`)).toEqual({
      orgId: org,
      customerId: customer,
    })
    expect(customerOfObject(`org/${org}/customers/${customer}`)).toBeNull()
    expect(customerOfObject(`org/${org.toUpperCase()}/customers/${customer}/d/a.pdf`)).toBeNull()
    expect(customerOfObject(`x/org/${org}/customers/${customer}/d/a.pdf`)).toBeNull()
  })
})

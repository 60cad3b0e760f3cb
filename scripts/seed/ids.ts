import { createHash } from 'node:crypto'

/**
 * Every seeded id is a name-based UUID (RFC 9562 version 5: SHA-1 of a fixed
 * namespace and a name such as `customer:42`), so the same row gets the same id
 * on every run and at every scale, whatever order the generator calls faker in.
 */
const namespace = Buffer.from('5eed0000-5a1e-4d5b-8a5e-000000000000'.replace(/-/g, ''), 'hex')

export function seedUuid(name: string): string {
  const hash = createHash('sha1').update(namespace).update(name).digest()
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50 // version 5
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80 // RFC variant
  const hex = hash.toString('hex', 0, 16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

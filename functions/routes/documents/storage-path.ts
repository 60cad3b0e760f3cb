/**
 * The file-name part of a document's storage path: ASCII letters, digits and
 * `. _ -` only (Storage keys end up in URLs and S3 keys; accents, spaces and
 * slashes invite trouble), at most 100 characters, keeping the extension.
 */
export function storageFileName(name: string): string {
  const trimmed = name.trim()
  const match = /\.([A-Za-z0-9]{1,10})$/.exec(trimmed)
  const extension = match ? `.${match[1]}` : ''
  const stem = (match ? trimmed.slice(0, -match[0].length) : trimmed)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+/, '')
    .slice(0, 100 - extension.length)
    .replace(/[-.]+$/, '')
  return `${stem || 'file'}${extension}`
}

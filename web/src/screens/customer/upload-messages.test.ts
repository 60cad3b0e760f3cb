import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api/api-error.ts'
import { acceptedTypesOf, byteLimitOf, describeUploadError, StorageUploadError } from './upload-messages.ts'

const problem = (status: number, code: string, detail: string) =>
  new ApiError(status, code, detail, { status, code, detail })
const exe = { name: 'setup.exe', type: 'application/x-msdownload', size: 1200 }

describe('upload errors in plain words', () => {
  it('should name the refused type and the accepted ones', () => {
    const error = problem(
      415,
      'document_type_not_allowed',
      'Accepted types: application/pdf, image/png, text/plain.',
    )
    expect(acceptedTypesOf(error.problem?.detail)).toEqual(['PDF', 'PNG image', 'text file'])
    expect(describeUploadError(error, exe)).toBe(
      '“setup.exe” cannot be uploaded: this kind of file (application/x-msdownload) is not accepted. ' +
        'Upload a PDF, PNG image or text file.',
    )
  })

  it('should give the size and the limit of a file that is too large', () => {
    const error = problem(413, 'document_too_large', 'The limit is 26214400 bytes.')
    expect(byteLimitOf(error.problem?.detail)).toBe(26214400)
    expect(describeUploadError(error, { ...exe, name: 'big.pdf', size: 27_000_000 })).toMatch(
      /^“big\.pdf” is too large \(27 MB\)\. Files can be at most 26[.,]2 MB\.$/,
    )
  })

  it('should explain a failed transfer and a mismatch without jargon', () => {
    expect(describeUploadError(new StorageUploadError(0, 'network'), exe)).toMatch(/connection dropped/)
    expect(describeUploadError(problem(422, 'upload_mismatch', 'x'), exe)).toMatch(
      /changed while it was uploading/,
    )
    expect(describeUploadError(problem(409, 'conflict', 'x'), exe)).toMatch(/did not arrive in storage/)
  })
})

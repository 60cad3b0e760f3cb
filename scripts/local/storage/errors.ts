/**
 * Storage's error body, as supabase/storage renders a StorageBackendError
 * (src/internal/errors/storage-error.ts): `statusCode` is the error's own
 * status as a string, while the HTTP status is 400 for every client error and
 * 500 for the server's own (src/http/error-handler.ts). storage-js reads the
 * HTTP status and `statusCode` separately, so both are kept as the server
 * sends them.
 */
export interface StorageErrorBody {
  statusCode: string
  code: string
  error: string
  message: string
}

export class StorageError extends Error {
  override name = 'StorageError'
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** The legacy `error` field; the code when the server sets none. */
    readonly error: string = code,
  ) {
    super(message)
  }

  get httpStatus(): 400 | 500 {
    return this.statusCode >= 500 ? 500 : 400
  }

  toBody(): StorageErrorBody {
    return { statusCode: String(this.statusCode), code: this.code, error: this.error, message: this.message }
  }
}

/** The errors this stand-in raises, named and worded as in storage's ERRORS (src/internal/errors/codes.ts). */
export const storageErrors = {
  accessDenied: (message = 'Access denied') => new StorageError(403, 'AccessDenied', message, 'Unauthorized'),
  /** What a policy refusing the `storage.objects` insert becomes (src/storage/database/errors.ts). */
  rowLevelSecurity: () =>
    new StorageError(403, 'AccessDenied', 'new row violates row-level security policy', 'Unauthorized'),
  invalidJwt: (message = 'Invalid JWT') => new StorageError(400, 'InvalidJWT', message),
  invalidSignature: (message = 'Invalid signature') => new StorageError(400, 'InvalidSignature', message),
  expiredSignature: () => new StorageError(400, 'ExpiredToken', 'The provided token has expired.'),
  invalidKey: (key: string) => new StorageError(400, 'InvalidKey', `Invalid key: ${key}`),
  invalidRequest: (message: string) => new StorageError(400, 'InvalidRequest', message),
  noContentProvided: () => new StorageError(400, 'InvalidRequest', 'No content provided'),
  noSuchBucket: () => new StorageError(404, 'NoSuchBucket', 'Bucket not found', 'Bucket not found'),
  noSuchKey: () => new StorageError(404, 'NoSuchKey', 'Object not found', 'not_found'),
  alreadyExists: () =>
    new StorageError(409, 'ResourceAlreadyExists', 'The resource already exists', 'Duplicate'),
  entityTooLarge: () =>
    new StorageError(
      413,
      'EntityTooLarge',
      'The object exceeded the maximum allowed size',
      'Payload too large',
    ),
  invalidMimeType: (mimeType: string) =>
    new StorageError(415, 'InvalidMimeType', `mime type ${mimeType} is not supported`, 'invalid_mime_type'),
  internal: () => new StorageError(500, 'InternalError', 'Internal server error'),
}

import { type JWTPayload, jwtVerify, SignJWT } from 'jose'
import { storageErrors } from './errors.ts'

export type SignedUrlScope = 'upload' | 'download'

export interface SignedUrlClaims extends JWTPayload {
  /** `<bucket>/<object name>`: the one object the URL opens. */
  url: string
  scope: SignedUrlScope
  /** Upload tokens: who asked, recorded as the object's owner. */
  owner?: string
  upsert?: boolean
  exp: number
}

/**
 * The token a signed URL carries, made as storage makes it
 * (src/storage/object.ts signObjectUrl / signUploadObjectUrl): an HS256 JWT
 * with the project's secret holding the object's `url`, the `scope`, and for
 * uploads the `owner` and `upsert`. The URL itself is the capability.
 */
export function createUrlSigner(jwtSecret: string, clock: () => Date) {
  const key = new TextEncoder().encode(jwtSecret)

  async function sign(
    claims: { url: string; scope: SignedUrlScope; owner?: string | undefined; upsert?: boolean },
    expiresInSeconds: number,
  ): Promise<string> {
    const now = Math.floor(clock().getTime() / 1000)
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(now)
      .setExpirationTime(now + expiresInSeconds)
      .sign(key)
  }

  /** Checks in storage's order (verifyObjectSignature): signature and expiry, scope, then the object. */
  async function verify(token: string, url: string, scope: SignedUrlScope): Promise<SignedUrlClaims> {
    let payload: JWTPayload
    try {
      ;({ payload } = await jwtVerify(token, key, { algorithms: ['HS256'], currentDate: clock() }))
    } catch (error) {
      throw storageErrors.invalidJwt(error instanceof Error ? error.message : undefined)
    }
    if (payload.scope !== scope) throw storageErrors.invalidSignature(`Token is not scoped for ${scope}`)
    if (payload.url !== url) throw storageErrors.invalidSignature()
    if (typeof payload.exp !== 'number' || payload.exp * 1000 < clock().getTime()) {
      throw storageErrors.expiredSignature()
    }
    return payload as SignedUrlClaims
  }

  return { sign, verify }
}

export type UrlSigner = ReturnType<typeof createUrlSigner>

import { describe, expect, it } from 'vitest'
import type { UserClaims } from '../../db/with-user.ts'
import { cacheVerifiedTokens } from './verified-token-cache.ts'

const sub = '00000000-0000-4000-8000-000000000001'
const t0 = Date.UTC(2026, 10, 25, 12, 0, 0)

/** A verifier that counts its calls and accepts tokens named in `valid`, with these claims. */
function countingVerifier(valid: Record<string, Partial<UserClaims>>) {
  const calls: string[] = []
  const verify = async (token: string): Promise<UserClaims> => {
    calls.push(token)
    const claims = valid[token]
    if (!claims) throw new Error(`refused ${token}`)
    return { sub, role: 'authenticated', ...claims }
  }
  return { verify, calls }
}

function setup(valid: Record<string, Partial<UserClaims>>, maxEntries?: number) {
  let now = t0
  const { verify, calls } = countingVerifier(valid)
  const cached = cacheVerifiedTokens(verify, {
    clock: () => new Date(now),
    clockToleranceSeconds: 30,
    maxAgeMs: 60_000,
    ...(maxEntries ? { maxEntries } : {}),
  })
  return { cached, calls, advance: (ms: number) => (now += ms) }
}

const inOneHour = t0 / 1000 + 3600

describe('cacheVerifiedTokens', () => {
  it('should verify a token once and answer the same claims from memory after', async () => {
    const { cached, calls } = setup({ a: { exp: inOneHour, iat: t0 / 1000 } })
    const first = await cached('a')
    const second = await cached('a')
    expect(second).toEqual(first)
    expect(second).not.toBe(first) // a copy: a caller changing its claims changes nobody else's
    expect(calls).toEqual(['a'])
  })

  it('should verify again once the token has expired by the clock, and pass on the refusal', async () => {
    const exp = t0 / 1000 + 10
    const { cached, calls, advance } = setup({ a: { exp } })
    await cached('a')
    advance(10_000 + 29_000) // within exp + 30 s tolerance: still from memory
    await cached('a')
    expect(calls).toEqual(['a'])
    advance(2_000) // past it: checked again
    await cached('a')
    expect(calls).toEqual(['a', 'a'])
  })

  it('should check the signature again after the maximum age, however long the token lives', async () => {
    const { cached, calls, advance } = setup({ a: { exp: inOneHour } })
    await cached('a')
    advance(59_000)
    await cached('a')
    advance(2_000)
    await cached('a')
    expect(calls).toEqual(['a', 'a'])
  })

  it('should never remember a refusal, and treat any other token text as a new token', async () => {
    const { cached, calls } = setup({ a: { exp: inOneHour } })
    await expect(cached('a-tampered')).rejects.toThrow('refused a-tampered')
    await expect(cached('a-tampered')).rejects.toThrow('refused a-tampered')
    await cached('a')
    expect(calls).toEqual(['a-tampered', 'a-tampered', 'a'])
  })

  it('should not answer from memory while the clock is before the token’s iat or nbf', async () => {
    const { cached, calls, advance } = setup({ a: { exp: inOneHour, nbf: t0 / 1000 + 60 - 30 } })
    await cached('a')
    advance(-31_000) // the clock went back before nbf − tolerance
    await cached('a')
    expect(calls).toEqual(['a', 'a'])
  })

  it('should forget the oldest token beyond its size', async () => {
    const { cached, calls } = setup(
      { a: { exp: inOneHour }, b: { exp: inOneHour }, c: { exp: inOneHour } },
      2,
    )
    await cached('a')
    await cached('b')
    await cached('c') // a is forgotten
    await cached('b')
    await cached('a')
    expect(calls).toEqual(['a', 'b', 'c', 'a'])
  })
})

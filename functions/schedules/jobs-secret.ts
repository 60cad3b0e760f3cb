/**
 * Whether a presented secret equals the configured one, in constant time:
 * both are hashed first (SHA-256, Web Crypto, as on Node, Workers and Deno),
 * so neither the comparison's duration nor an early length check tells a
 * caller how much of a guess was right. No configured secret matches nothing.
 */
export async function jobsSecretMatches(presented: string | undefined, configured: string | undefined) {
  if (!configured || presented === undefined) return false
  const encoder = new TextEncoder()
  const [a, b] = await Promise.all(
    [presented, configured].map(
      async (s) => new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(s))),
    ),
  )
  let difference = 0
  for (let i = 0; i < 32; i++) difference |= (a?.[i] ?? 0) ^ (b?.[i] ?? 0)
  return difference === 0
}

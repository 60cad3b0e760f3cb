/**
 * What an attack found: `crossings` are holes (a row seen, a value stored, a
 * tenant changed); `inconclusive` are attempts refused for their own value (a
 * check, a key) rather than for the caller, which prove nothing until the
 * attack is given a valid value. Both must be empty.
 */
export interface Findings {
  crossings: string[]
  inconclusive: string[]
}

export const noFindings = (): Findings => ({ crossings: [], inconclusive: [] })

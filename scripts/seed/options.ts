import { DEMO_ORGANIZATION_COUNT, MAX_ORGANIZATIONS } from './generated-organizations.ts'

/** `--scale N`: customers in total. */
export function parseScale(text: string): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1 || n > 10_000_000) {
    throw new Error(`--scale must be a whole number of customers between 1 and 10,000,000, not "${text}"`)
  }
  return n
}

/** `--organizations N`: organizations in total, the three demo ones included. */
export function parseOrganizations(text: string): number {
  const n = Number(text)
  if (text.trim() === '' || !Number.isInteger(n) || n < DEMO_ORGANIZATION_COUNT || n > MAX_ORGANIZATIONS) {
    throw new Error(
      `--organizations must be a whole number of organizations between ${DEMO_ORGANIZATION_COUNT} ` +
        `(the demo ones) and ${MAX_ORGANIZATIONS}, not "${text}"`,
    )
  }
  return n
}

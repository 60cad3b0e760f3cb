import { z } from '@hono/zod-openapi'

/**
 * Money on the wire: an exact decimal as text ("12500.00"), never a float, in
 * the organization's currency (organizations.currency). Postgres keeps it as
 * numeric; JSON numbers would round through binary floating point.
 */
export const Money = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .openapi({ description: 'An exact decimal amount in the organization’s currency', example: '12500.00' })

/**
 * An amount a client sends: text or a JSON number, at most two decimals, not
 * negative, and with at most `integerDigits` digits before the point: what its
 * column holds (numeric(p, 2) keeps p − 2), so a larger amount is a 400 naming
 * the field rather than the database's overflow. Passed on as text so nothing
 * rounds on the way. `about` says what the amount is, in the OpenAPI document.
 */
export const moneyInput = (integerDigits: number, about?: string) => {
  const rule = `an amount ≥ 0 with at most two decimals, below 10^${integerDigits}`
  return z
    .union([z.string().trim(), z.number()])
    .transform((value) => String(value))
    .pipe(
      z
        .string()
        .regex(
          new RegExp(`^\\d{1,${integerDigits}}(\\.\\d{1,2})?$`),
          `must be an amount ≥ 0 with at most two decimals and ${integerDigits} digits before the point, like "1250.50"`,
        ),
    )
    .openapi({
      type: 'string',
      description: about ? `${about}: ${rule}` : `A${rule.slice(1)}`,
      example: '1250.50',
    })
}

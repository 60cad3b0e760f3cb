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
 * negative, below 10^12; passed on as text so nothing rounds on the way.
 */
export const MoneyInput = z
  .union([z.string().trim(), z.number()])
  .transform((value) => String(value))
  .pipe(
    z
      .string()
      .regex(/^\d{1,12}(\.\d{1,2})?$/, 'must be an amount ≥ 0 with at most two decimals, like "1250.50"'),
  )
  .openapi({ type: 'string', description: 'An amount ≥ 0 with at most two decimals', example: '1250.50' })

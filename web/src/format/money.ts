/**
 * Money as people read it: in the organization's currency (the API's
 * `currency`), in the browser's language, from the exact decimal text the API
 * sends ("12500.00"). Intl.NumberFormat formats a numeric string exactly
 * (ECMA-402 since 2023), so no amount passes through a float on its way to
 * the screen; arithmetic (a change against last month) is done in BigInt.
 */

/** An exact decimal amount as the API sends it: "12500.00", "-3.5". */
export type Amount = string

/** From this size a KPI shows "€1.2M"; below it, every cent fits. */
export const compactFrom = 100_000n

const formatters = new Map<string, Intl.NumberFormat>()

function formatter(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`
  let found = formatters.get(key)
  if (!found) {
    found = new Intl.NumberFormat(locale, options)
    formatters.set(key, found)
  }
  return found
}

const decimalPattern = /^(-?)(\d+)(?:\.(\d+))?$/

function parts(amount: Amount): { negative: boolean; whole: string; fraction: string } {
  const match = decimalPattern.exec(amount)
  if (!match) throw new RangeError(`Not a decimal amount: ${JSON.stringify(amount)}`)
  return { negative: match[1] === '-', whole: match[2] as string, fraction: match[3] ?? '' }
}

/** The currency's usual decimals: 2 for EUR, 0 for JPY, 3 for KWD. */
function currencyDigits(currency: string, locale: string | undefined): number {
  return formatter(locale, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
}

/**
 * The whole amount, for tables and for screen readers: "€12,500.00",
 * "12.500,00 €". At least the currency's usual decimals, and every digit the
 * amount has beyond them (a yen amount with cents keeps its cents): nothing is
 * rounded away.
 */
export function formatMoney(amount: Amount, currency: string, locale?: string): string {
  const { fraction } = parts(amount)
  const usual = currencyDigits(currency, locale)
  const digits = Math.min(Math.max(usual, fraction.replace(/0+$/, '').length), 20)
  return formatter(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: Math.min(usual, digits),
    maximumFractionDigits: digits,
  }).format(amount as Intl.StringNumericLiteral)
}

/** Always shortened: "€1.24M", "€20k", "€950" (a chart's axis). Three significant digits, the locale's abbreviations. */
export function formatMoneyCompact(amount: Amount, currency: string, locale?: string): string {
  parts(amount)
  return formatter(locale, {
    style: 'currency',
    currency,
    notation: 'compact',
    maximumSignificantDigits: 3,
  }).format(amount as Intl.StringNumericLiteral)
}

/**
 * For a KPI's big number: shortened from 100,000 up ("€1.24M"), the whole
 * amount below that.
 */
export function formatMoneyShort(amount: Amount, currency: string, locale?: string): string {
  const { whole } = parts(amount)
  if (BigInt(whole) < compactFrom) return formatMoney(amount, currency, locale)
  return formatMoneyCompact(amount, currency, locale)
}

/** An amount as an integer of its smallest unit at `scale` decimals (exact, any size). */
function scaled(amount: Amount, scale: number): bigint {
  const { negative, whole, fraction } = parts(amount)
  const n = BigInt(whole + fraction.padEnd(scale, '0'))
  return negative ? -n : n
}

function unscaled(n: bigint, scale: number): Amount {
  const sign = n < 0n ? '-' : ''
  const digits = (n < 0n ? -n : n).toString().padStart(scale + 1, '0')
  return scale === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`
}

/** a + b, exactly: a column's total when a card joins it ("-" before b subtracts). */
export function addAmounts(a: Amount, b: Amount): Amount {
  const scale = Math.max(parts(a).fraction.length, parts(b).fraction.length)
  return unscaled(scaled(a, scale) + scaled(b, scale), scale)
}

/** −a, exactly ("0.00" stays unsigned). */
export function negateAmount(a: Amount): Amount {
  const { negative, whole, fraction } = parts(a)
  const text = fraction ? `${whole}.${fraction}` : whole
  return negative || /^[0.]*$/.test(text) ? text : `-${text}`
}

export interface MoneyChange {
  /** now − before, exact: "1250.50", "-300.00", "0.00". */
  difference: Amount
  /** The change in percent of `before`; null when `before` is zero (nothing to divide by). */
  percent: number | null
}

/** How far an amount moved from an earlier one, exactly; the percent is for reading, to one decimal. */
export function moneyChange(now: Amount, before: Amount): MoneyChange {
  const scale = Math.max(parts(now).fraction.length, parts(before).fraction.length)
  const a = scaled(now, scale)
  const b = scaled(before, scale)
  const difference = unscaled(a - b, scale)
  if (b === 0n) return { difference, percent: null }
  // Per mille in BigInt, rounded half away from zero, then one decimal: exact for any size of amount.
  const base = b < 0n ? -b : b
  const x = (a - b) * 1000n
  let perMille = x / base
  const rest = x % base
  if (2n * (rest < 0n ? -rest : rest) >= base) perMille += x < 0n ? -1n : 1n
  return { difference, percent: Number(perMille) / 10 }
}

/** A signed amount for a change line: "+€1,250.50", "−€300.00" (a real minus), "±€0.00". */
export function formatMoneyChange(difference: Amount, currency: string, locale?: string): string {
  const { negative, whole, fraction } = parts(difference)
  const magnitude = fraction ? `${whole}.${fraction}` : whole
  const zero = /^0*$/.test(whole + fraction)
  const sign = zero ? '±' : negative ? '−' : '+'
  return `${sign}${formatMoneyShort(magnitude, currency, locale)}`
}

/** An amount as a number, for drawing only (a chart's bar heights); never for sums or display. */
export const amountForChart = (amount: Amount) => Number(amount)

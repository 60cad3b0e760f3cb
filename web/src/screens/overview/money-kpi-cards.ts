import type { SalesFigures } from '../../api/types.ts'
import { formatDay } from '../../format/dates.ts'
import { type Amount, formatMoney, formatMoneyChange, formatMoneyShort } from '../../format/money.ts'
import { formatChange, formatCount, formatPointChange, formatRate } from '../../format/numbers.ts'
import { html } from '../../html.ts'
import { Kpi, KpiChange } from './kpi.ts'
import { type MoneyFigure, type MoneyKpis, moneyKpiFigures } from './money-kpis.ts'

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`

/**
 * The overview's first row: pipeline value, weighted forecast, won this
 * month and win rate (GET /metrics/sales), each with its change. Big numbers
 * are shortened ("€1.24M") with the whole amount on hover and in the spoken
 * sentence.
 */
export function MoneyKpiCards({ sales }: { sales: SalesFigures }) {
  const k = moneyKpiFigures(sales)
  const full = (amount: Amount) => formatMoney(amount, k.currency)
  const short = (amount: Amount) => formatMoneyShort(amount, k.currency)
  const since = k.monthAgo ? formatDay(k.monthAgo) : ''
  const won = k.wonThisMonth
  const rate = k.winRate
  return html`<div class="kpi-grid kpi-money">
    <${Kpi}
      id="kpi-pipeline"
      label="Pipeline value"
      value=${short(k.pipeline.amount)}
      title=${full(k.pipeline.amount)}
      spoken=${`${full(k.pipeline.amount)} in ${plural(k.pipeline.customers, 'open customer', 'open customers')}; ${spokenChange(k.pipeline, k.currency, `since ${since}`)}`}
    >
      <${ChangeLine} figure=${k.pipeline} currency=${k.currency} against=${`vs ${since}`} />
      <p class="kpi-sub" aria-hidden="true">${plural(k.pipeline.customers, 'open customer', 'open customers')}</p>
    </${Kpi}>
    <${Kpi}
      id="kpi-weighted"
      label="Weighted forecast"
      value=${short(k.weighted.amount)}
      title=${full(k.weighted.amount)}
      spoken=${`${full(k.weighted.amount)}, the pipeline weighted by each phase’s probability; ${spokenChange(k.weighted, k.currency, `since ${since}`)}`}
    >
      <${ChangeLine} figure=${k.weighted} currency=${k.currency} against=${`vs ${since}`} />
      <p class="kpi-sub" aria-hidden="true">Pipeline × phase probability</p>
    </${Kpi}>
    <${Kpi}
      id="kpi-won"
      label="Won this month"
      value=${short(won.amount)}
      title=${full(won.amount)}
      spoken=${`${full(won.amount)} won this month, ${plural(won.customers, 'customer', 'customers')}; ${spokenChange(won, k.currency, 'against the same days last month')} (${plural(won.previousCustomers, 'customer', 'customers')}, ${full(won.previous ?? '0')}).`}
    >
      <${ChangeLine} figure=${won} currency=${k.currency} against="vs same days last month" />
      <p class="kpi-sub" aria-hidden="true">${plural(won.customers, 'customer', 'customers')} won so far</p>
    </${Kpi}>
    <${Kpi}
      id="kpi-win-rate"
      label="Win rate"
      value=${rate.rate === null ? '–' : formatRate(rate.rate)}
      spoken=${winRateSentence(rate)}
    >
      <${KpiChange} trend=${rate.trend}>
        ${
          rate.rate === null
            ? 'None won or lost yet'
            : rate.previous === null
              ? `No history yet: none closed in the ${rate.days} days before`
              : `${formatPointChange(rate.rate, rate.previous)} vs the ${rate.days} days before (${formatRate(rate.previous)})`
        }
      </${KpiChange}>
      <p class="kpi-sub" aria-hidden="true">
        ${formatCount(rate.won)} won, ${formatCount(rate.lost)} lost in the last ${rate.days} days
      </p>
    </${Kpi}>
  </div>`
}

/** "▲ +€12.5k (+4.2%) vs 5 Nov 2026", or "No history yet" before the nightly run has a month of snapshots. */
function ChangeLine({
  figure,
  currency,
  against,
}: {
  figure: MoneyFigure
  currency: string
  against: string
}) {
  if (!figure.change)
    return html`<${KpiChange} trend="new">No history yet<span class="kpi-why">: a month of nightly figures first</span></${KpiChange}>`
  // Up from zero has no percent; nothing then and nothing now has no parenthesis at all.
  const percent =
    figure.change.percent !== null
      ? ` (${formatChange(figure.change.percent)})`
      : figure.trend === 'flat'
        ? ''
        : ' (from nothing)'
  return html`<${KpiChange} trend=${figure.trend}>
    ${formatMoneyChange(figure.change.difference, currency)}${percent} ${against}
  </${KpiChange}>`
}

function spokenChange(figure: MoneyFigure, currency: string, against: string): string {
  if (!figure.change || figure.previous === null) return 'no history yet to compare with.'
  const difference = figure.change.difference
  const size = formatMoney(difference.replace(/^-/, ''), currency)
  const direction =
    figure.trend === 'up' ? `up ${size}` : figure.trend === 'down' ? `down ${size}` : 'unchanged'
  const percent = figure.change.percent === null ? '' : ` (${formatChange(figure.change.percent)})`
  return `${direction}${percent} ${against}, from ${formatMoney(figure.previous, currency)}.`
}

function winRateSentence(rate: MoneyKpis['winRate']): string {
  const counts = `${formatCount(rate.won)} won and ${formatCount(rate.lost)} lost in the last ${rate.days} days`
  if (rate.rate === null) return `No win rate yet: no customer was won or lost in the last ${rate.days} days.`
  const before =
    rate.previous === null
      ? 'no history yet: none closed in the days before.'
      : `${formatPointChange(rate.rate, rate.previous)} against ${formatRate(rate.previous)} in the ${rate.days} days before.`
  return `Win rate ${formatRate(rate.rate)}: ${counts}; ${before}`
}

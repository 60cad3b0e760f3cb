import type { SalesFigures } from '../../api/types.ts'
import { PhaseBadge } from '../../components/phase-badge.ts'
import { Empty } from '../../components/states.ts'
import { formatMoney } from '../../format/money.ts'
import { formatCount } from '../../format/numbers.ts'
import { html } from '../../html.ts'
import { hrefOf } from '../../router/use-route.ts'

type Stuck = SalesFigures['stuck']

const days = (n: number) => `${formatCount(n)} ${n === 1 ? 'day' : 'days'}`

/**
 * Customers longer in their phase than the organization's threshold for it,
 * the furthest past it first (the API sends ten and the total): who needs a
 * push. Each name leads to the customer's timeline, where the stall shows.
 * On a phone the phase badge moves under the name (one of the two is
 * display: none at any width, so it is read once), leaving room for the numbers.
 */
export function StuckCustomers(props: { org: string; stuck: Stuck; currency: string }) {
  const { total, customers } = props.stuck
  return html`<section class="card stuck-customers" aria-labelledby="stuck-title">
    <h2 id="stuck-title">Stuck customers</h2>
    ${
      total === 0
        ? html`<${Empty}>No customer is past its phase’s threshold.</${Empty}>`
        : html`<p class="stuck-note">
            <strong class="stuck-total">${formatCount(total)}</strong> longer in their phase than its threshold${
              customers.length < total
                ? `; the ${formatCount(customers.length)} furthest past it:`
                : ', furthest past it first:'
            }
          </p>
          <table class="stuck-table" aria-label="Stuck customers">
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col" class="stuck-phase">Phase</th>
                <th scope="col" class="num"><abbr title="Days in the phase / the phase’s threshold in days">Days / limit</abbr></th>
                <th scope="col" class="num">Value</th>
              </tr>
            </thead>
            <tbody>
              ${customers.map(
                (c) => html`<tr key=${c.id} class="stuck-item" data-customer=${c.id}>
                  <th scope="row" class="stuck-name-cell">
                    <a class="stuck-name" href=${hrefOf({ name: 'customer', org: props.org, id: c.id, tab: 'timeline' })}>${c.name}</a>
                    <span class="stuck-phase-inline"><${PhaseBadge} phase=${c.phase} /></span>
                  </th>
                  <td class="stuck-phase"><${PhaseBadge} phase=${c.phase} /></td>
                  <td class="num stuck-days" title=${`${days(c.days_in_phase)} in phase; stuck after ${days(c.stuck_after_days)}`}>
                    ${formatCount(c.days_in_phase)}<span class="stuck-threshold"> / ${formatCount(c.stuck_after_days)}</span>
                  </td>
                  <td class="num stuck-value">${formatMoney(c.value, props.currency)}</td>
                </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`
}

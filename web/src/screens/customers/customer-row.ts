import { Component } from 'preact'
import { customerPhases } from '../../../../functions/domain/vocabulary.ts'
import type { Customer, Phase } from '../../api/types.ts'
import { PhaseBadge } from '../../components/phase-badge.ts'
import { phaseLabels } from '../../domain.ts'
import { formatDateTime, formatRelative } from '../../format/dates.ts'
import { html } from '../../html.ts'
import { hrefOf } from '../../router/use-route.ts'

export interface CustomerRowProps {
  org: string
  customer: Customer
  ownerName: string
  /** The viewer may change this customer (auth/permissions.ts): a phase select instead of a badge. */
  writable: boolean
  /** A change to this row is being saved: its select waits, so two changes never race each other. */
  saving: boolean
  onPhase: (customer: Customer, phase: Phase) => void
}

/**
 * One customer in the table. A class with shouldComponentUpdate so that
 * appending page 40 does not re-render the 1,950 rows above it.
 */
export class CustomerRow extends Component<CustomerRowProps> {
  override shouldComponentUpdate(next: CustomerRowProps) {
    const p = this.props
    return (
      next.customer !== p.customer ||
      next.ownerName !== p.ownerName ||
      next.writable !== p.writable ||
      next.saving !== p.saving ||
      next.onPhase !== p.onPhase ||
      next.org !== p.org
    )
  }

  override render() {
    const { org, customer, ownerName, writable, saving, onPhase } = this.props
    return html`<tr data-id=${customer.id}>
      <th scope="row" class="customer-name">
        <a href=${hrefOf({ name: 'customer', org, id: customer.id, tab: 'contacts' })}>${customer.name}</a>
      </th>
      <td>
        ${
          writable
            ? html`<select
                class=${`phase-select phase-border-${customer.phase}`}
                aria-label=${`Phase of ${customer.name}`}
                value=${customer.phase}
                disabled=${saving}
                aria-busy=${saving ? 'true' : undefined}
                onChange=${(e: Event) => onPhase(customer, (e.target as HTMLSelectElement).value as Phase)}
              >
                ${customerPhases.map((p) => html`<option key=${p} value=${p}>${phaseLabels[p]}</option>`)}
              </select>`
            : html`<${PhaseBadge} phase=${customer.phase} />`
        }
      </td>
      <td>${ownerName}</td>
      <td><time datetime=${customer.updated_at} title=${formatDateTime(customer.updated_at)}>${formatRelative(customer.updated_at)}</time></td>
      <td><time datetime=${customer.created_at} title=${formatDateTime(customer.created_at)}>${formatRelative(customer.created_at)}</time></td>
    </tr>`
  }
}

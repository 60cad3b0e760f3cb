import { Component } from 'preact'
import { customerPhases } from '../../../../functions/domain/vocabulary.ts'
import type { Customer, Phase } from '../../api/types.ts'
import { phaseLabels } from '../../domain.ts'
import { formatDateTime, formatRelative } from '../../format/dates.ts'
import { formatMoney, formatMoneyCompact } from '../../format/money.ts'
import { formatCount } from '../../format/numbers.ts'
import { html } from '../../html.ts'
import { hrefOf } from '../../router/use-route.ts'
import { neighbourPhase } from './board-state.ts'

export interface BoardCardProps {
  org: string
  customer: Customer
  ownerName: string
  /** The organization's currency; undefined until the sales figures answered (no amount shown meanwhile). */
  currency: string | undefined
  /** The viewer may move it (auth/permissions.ts): draggable, with a "Move to" select and Alt+Arrow keys. */
  writable: boolean
  saving: boolean
  onMove: (customer: Customer, to: Phase) => void
  onDragStart: (customer: Customer) => void
  onDragEnd: () => void
}

/**
 * A customer on the board. Writable cards move three ways: dragged, with the
 * "Move to…" select, or Alt+ArrowLeft/Right from anywhere in the card.
 * Only re-rendered when its own props change.
 */
export class BoardCard extends Component<BoardCardProps> {
  override shouldComponentUpdate(next: BoardCardProps) {
    const p = this.props
    return (
      next.customer !== p.customer ||
      next.ownerName !== p.ownerName ||
      next.currency !== p.currency ||
      next.writable !== p.writable ||
      next.saving !== p.saving ||
      next.onMove !== p.onMove
    )
  }

  onKeyDown = (event: KeyboardEvent) => {
    const { customer, writable, onMove } = this.props
    if (!writable || !event.altKey || (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight')) return
    event.preventDefault()
    const to = neighbourPhase(customer.phase, event.key === 'ArrowLeft' ? -1 : 1)
    if (to) onMove(customer, to)
  }

  override render() {
    const { org, customer, ownerName, currency, writable, saving, onMove, onDragStart, onDragEnd } =
      this.props
    const href = hrefOf({ name: 'customer', org, id: customer.id, tab: 'contacts' })
    return html`<li
      class=${`board-card${writable ? ' board-card-writable' : ''}${saving ? ' board-card-saving' : ''}`}
      data-id=${customer.id}
      draggable=${writable}
      aria-busy=${saving ? 'true' : undefined}
      onDragStart=${
        writable
          ? (e: DragEvent) => {
              e.dataTransfer?.setData('text/plain', customer.id)
              if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move'
              onDragStart(customer)
            }
          : undefined
      }
      onDragEnd=${writable ? onDragEnd : undefined}
      onKeyDown=${this.onKeyDown}
    >
      <a
        id=${`card-${customer.id}`}
        class="board-card-name"
        href=${href}
        draggable=${false}
        aria-keyshortcuts=${writable ? 'Alt+ArrowLeft Alt+ArrowRight' : undefined}
        aria-describedby=${writable ? 'board-keys' : undefined}
      >${customer.name}</a>
      <p class="board-card-money">
        ${
          currency &&
          html`<span class="board-card-value" title=${`Value ${formatMoney(customer.value, currency)}`}
            ><span aria-hidden="true">${formatMoneyCompact(customer.value, currency)}</span
            ><span class="visually-hidden">Value ${formatMoney(customer.value, currency)}</span></span
          >`
        }
        <span class="board-card-days" title=${`In ${phaseLabels[customer.phase]} since ${formatDateTime(customer.phase_entered_at)}`}>${daysInPhase(customer.days_in_phase)}</span>
      </p>
      ${
        customer.next_step &&
        html`<p class="board-card-next" title=${customer.next_step}><span class="visually-hidden">Next step: </span>${customer.next_step}</p>`
      }
      <p class="board-card-meta">
        <span>${ownerName}</span>
        <time datetime=${customer.updated_at} title=${formatDateTime(customer.updated_at)}>${formatRelative(customer.updated_at)}</time>
      </p>
      ${
        writable &&
        html`<label class="board-move">
          <span class="visually-hidden">Move ${customer.name} to</span>
          <select
            id=${`move-${customer.id}`}
            value=""
            disabled=${saving}
            onChange=${(e: Event) => {
              const to = (e.target as HTMLSelectElement).value as Phase
              if (to) onMove(customer, to)
            }}
          >
            <option value="">Move to…</option>
            ${customerPhases
              .filter((p) => p !== customer.phase)
              .map((p) => html`<option key=${p} value=${p}>${phaseLabels[p]}</option>`)}
          </select>
        </label>`
      }
    </li>`
  }
}

/** "3 days in phase"; the phase is the column's, so the card does not repeat it. */
const daysInPhase = (days: number) => `${formatCount(days)} ${days === 1 ? 'day' : 'days'} in phase`

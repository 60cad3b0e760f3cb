import type { CrmObjectKind, CustomerPhase, IntegrationOnDelete } from '../../domain/vocabulary.ts'

/**
 * What every provider module gives the pipeline: a check of a delivery's
 * authenticity over its raw bytes, the events it carries (each with the
 * provider's own event id), and the change each event means for us.
 */

export interface Delivery {
  method: string
  /** The URL the sender called, as it signed it (scheme and host as seen by the sender). */
  url: string
  headers: Headers
  rawBody: Uint8Array
  /** Milliseconds since the epoch, from the app's clock. */
  now: number
}

/** One provider event as stored: its id (unique per integration) and its JSON text. */
export interface ReceivedEvent {
  eventId: string
  body: string
}

/** What an event means for our data, provider-neutral. */
export interface CrmChange {
  kind: CrmObjectKind
  externalId: string
  action: 'upsert' | 'delete'
  /** When the change happened at the source, ms since the epoch. */
  occurredAt: number
  /**
   * Changed properties, in our vocabulary: for a company name and phase
   * (already mapped to a customer phase or absent); for a contact email,
   * phone, role, firstname, lastname; for a deal deal_value and
   * expected_close_date (as the source sent them: checked when applied); for
   * a contact or a deal, customer (its company's external id).
   */
  properties: Record<string, string | null>
  /**
   * The source removed the object's link to this company: its `customer`
   * becomes null, but only if it still names that company (a link to another
   * company made since stays).
   */
  dissociatedFrom?: string
  /** How the timeline describes it, e.g. "company.propertyChange". */
  label: string
}

export type Interpretation = { change: CrmChange } | { ignored: string }

export interface IntegrationMapping {
  /** What a deletion at the source does here: delete the customer (default) or keep it unlinked. */
  on_delete?: IntegrationOnDelete
  /** The source property that holds the customer's phase. */
  phase_property?: string
  /** Source values of that property → our phases. */
  phase_values?: Record<string, CustomerPhase>
}

export interface Provider {
  /** True only when the delivery carries a valid, fresh signature for one of the secrets. */
  verify(delivery: Delivery, secrets: readonly string[]): Promise<boolean>
  /** The events in a verified delivery; throws on a body that is not what the provider sends. */
  events(delivery: Delivery): ReceivedEvent[]
  interpret(body: string, mapping: IntegrationMapping): Interpretation
}

export const FIVE_MINUTES_MS = 5 * 60 * 1000

export class MalformedDelivery extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MalformedDelivery'
  }
}

export const textOf = (value: unknown): string | null =>
  value === null || value === undefined ? null : typeof value === 'string' ? value : String(value)

/** The phase a source value maps to, if the mapping names one. */
export function phaseOf(
  value: string | null,
  mapping: IntegrationMapping,
  defaults: Record<string, CustomerPhase>,
): CustomerPhase | undefined {
  if (value === null) return undefined
  const table = { ...defaults, ...mapping.phase_values }
  return table[value] ?? table[value.toLowerCase()]
}

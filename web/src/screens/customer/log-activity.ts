import { useState } from 'preact/hooks'
import {
  type ActivityKind,
  type ActivityOutcome,
  activityKinds,
  activityOutcomes,
} from '../../../../functions/domain/vocabulary.ts'
import { isApiError } from '../../api/api-error.ts'
import { newIdempotencyKey } from '../../api/client.ts'
import { describeError } from '../../api/describe-error.ts'
import { Dialog } from '../../components/dialog.ts'
import { useServices } from '../../context.ts'
import { activityKindLabels, activityOutcomeLabels } from '../../domain.ts'
import { html } from '../../html.ts'
import { dueAtOf } from './customer-tasks.ts'

/** A datetime-local input's value for an instant, in this browser's time zone (to the minute). */
export function localInputValue(at: Date): string {
  const local = new Date(at.getTime() - at.getTimezoneOffset() * 60_000)
  return local.toISOString().slice(0, 16)
}

/**
 * Logs a call, email or meeting with how it went: the database writes it into
 * the customer's timeline in the caller's name, dated when it happened (now
 * unless told; never in the future, which the database refuses too).
 */
export function LogActivityDialog(props: { customerId: string; onClose: () => void }) {
  const { api, toasts } = useServices()
  const [kind, setKind] = useState<ActivityKind>('call')
  const [outcome, setOutcome] = useState<ActivityOutcome>('completed')
  const [summary, setSummary] = useState('')
  const [now] = useState(() => new Date())
  const [when, setWhen] = useState(() => localInputValue(now))
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // One key per dialog: a double submit or a retry after a lost answer logs it once.
  const [idempotencyKey] = useState(newIdempotencyKey)

  const submit = async (event: Event) => {
    event.preventDefault()
    const occurredAt = dueAtOf(when)
    if (occurredAt && Date.parse(occurredAt) > Date.now()) {
      setError('An activity is logged once it has happened: pick a time in the past.')
      return
    }
    setBusy(true)
    setError(null)
    try {
      await api.post(`/customers/${props.customerId}/activities`, {
        body: {
          kind,
          outcome,
          summary: summary.trim() || null,
          ...(occurredAt ? { occurred_at: occurredAt } : {}),
        },
        idempotencyKey,
      })
      toasts.show(
        'success',
        `${activityKindLabels[kind]} logged: ${activityOutcomeLabels[outcome].toLowerCase()}`,
      )
      props.onClose()
    } catch (e) {
      setBusy(false)
      setError(
        isApiError(e) && e.problem?.errors?.length
          ? e.problem.errors.map((x) => x.message).join(' ')
          : describeError(e, 'this activity'),
      )
    }
  }

  return html`<${Dialog} title="Log activity" onClose=${props.onClose}>
    <form onSubmit=${submit} noValidate>
      <fieldset class="field activity-kinds">
        <legend>What</legend>
        ${activityKinds.map(
          (k) => html`<label key=${k} class="choice">
            <input type="radio" name="activity-kind" value=${k} checked=${kind === k} onChange=${() => setKind(k)} />
            ${activityKindLabels[k]}
          </label>`,
        )}
      </fieldset>
      <div class="field">
        <label for="activity-outcome">Outcome</label>
        <select
          id="activity-outcome"
          value=${outcome}
          onChange=${(e: Event) => setOutcome((e.currentTarget as HTMLSelectElement).value as ActivityOutcome)}
        >
          ${activityOutcomes.map((o) => html`<option key=${o} value=${o}>${activityOutcomeLabels[o]}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="activity-when">When</label>
        <input
          id="activity-when"
          type="datetime-local"
          max=${localInputValue(now)}
          value=${when}
          onInput=${(e: Event) => setWhen((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <div class="field">
        <label for="activity-summary">Summary <span class="optional">(optional)</span></label>
        <textarea
          id="activity-summary"
          rows="3"
          maxlength="2000"
          value=${summary}
          onInput=${(e: Event) => setSummary((e.currentTarget as HTMLTextAreaElement).value)}
        ></textarea>
        <small class="hint">It goes into the customer’s timeline, in your name.</small>
      </div>
      ${error && html`<p class="form-error" role="alert">${error}</p>`}
      <div class="form-actions">
        <button type="button" class="button" onClick=${props.onClose}>Cancel</button>
        <button type="submit" class="button button-primary" disabled=${busy}>${busy ? 'Logging…' : 'Log activity'}</button>
      </div>
    </form>
  </${Dialog}>`
}

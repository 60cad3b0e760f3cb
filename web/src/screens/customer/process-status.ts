import { processStatuses } from '../../../../functions/domain/vocabulary.ts'
import { describeError } from '../../api/describe-error.ts'
import type { Process, ProcessStatus } from '../../api/types.ts'
import { useServices } from '../../context.ts'
import { processStatusLabels } from '../../domain.ts'
import { html } from '../../html.ts'
import { applyPatch, mergeNewer, rollbackPatch } from '../../state/optimistic.ts'

/**
 * A process's status, changed in the table: shown at once, confirmed by the
 * server's copy, or rolled back with the reason when refused (412, 403, network).
 */
export function ProcessStatusSelect(props: {
  process: Process
  /** Changes the list of processes the table shows. */
  onChange: (update: (items: Process[]) => Process[]) => void
}) {
  const { api, toasts } = useServices()
  const { process } = props

  const change = async (status: ProcessStatus) => {
    const patch = { status }
    props.onChange((items) => applyPatch(items, process.id, patch).items)
    try {
      const saved = await api.patch<Process>(`/processes/${process.id}`, {
        body: patch,
        ifMatch: process.version,
      })
      props.onChange((items) => mergeNewer(items, saved))
    } catch (error) {
      // `process` is the record as shown before the change: exactly what to go back to.
      props.onChange((items) => rollbackPatch(items, process, patch))
      toasts.show('error', describeError(error, 'this process'))
      // The server's copy settles it: a live update may have moved the version under the optimistic value.
      const latest = await api.get<Process>(`/processes/${process.id}`).catch(() => undefined)
      if (latest) props.onChange((items) => mergeNewer(items, latest))
    }
  }

  return html`<select
    class="inline-select"
    aria-label=${`Status of ${process.name}`}
    value=${process.status}
    onChange=${(e: Event) => change((e.target as HTMLSelectElement).value as ProcessStatus)}
  >
    ${processStatuses.map((s) => html`<option key=${s} value=${s}>${processStatusLabels[s]}</option>`)}
  </select>`
}

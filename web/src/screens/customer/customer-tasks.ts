import { useState } from 'preact/hooks'
import { isApiError } from '../../api/api-error.ts'
import { newIdempotencyKey } from '../../api/client.ts'
import { describeError } from '../../api/describe-error.ts'
import type { TaskListItem } from '../../api/types.ts'
import { Dialog } from '../../components/dialog.ts'
import { useServices } from '../../context.ts'
import { formatDateTime, formatRelative } from '../../format/dates.ts'
import { html } from '../../html.ts'
import { isTaskOverdue, useOpenTasks } from '../tasks/open-tasks.ts'

/** How many of the customer's open tasks the header lists; the rest are counted. */
const listed = 3

/**
 * The customer's open tasks in its deal facts: the next few, due first, each
 * with a tick to complete it, and "Add task" for writers. A task is assigned
 * to whoever adds it (the API's default), so it shows in their "My tasks".
 */
export function CustomerOpenTasks(props: { org: string; customerId: string; canWrite: boolean }) {
  const [added, setAdded] = useState(0)
  const [adding, setAdding] = useState(false)
  const { tasks, open, more, complete } = useOpenTasks(props.org, { customer_id: props.customerId }, [added])
  const shown = open.slice(0, listed)
  const rest = open.length - shown.length
  return html`<div class="deal-tasks">
    <dt>Open tasks</dt>
    <dd>
      ${
        !tasks.data
          ? tasks.status === 'error'
            ? html`<span class="muted">${describeError(tasks.error, 'the tasks')}</span>`
            : html`<span class="muted">…</span>`
          : shown.length === 0
            ? html`<span class="muted">None</span>`
            : html`<ul class="deal-task-list" aria-label="Open tasks">
                ${shown.map((t) => html`<${TaskLine} key=${t.id} task=${t} canWrite=${props.canWrite} complete=${complete} />`)}
              </ul>
              ${(rest > 0 || more) && html`<small class="muted">and ${more ? 'more' : `${rest} more`}</small>`}`
      }
      ${
        props.canWrite &&
        html`<button type="button" class="button button-quiet deal-add-task" onClick=${() => setAdding(true)}>Add task</button>`
      }
    </dd>
    ${
      adding &&
      html`<${AddTaskDialog}
        customerId=${props.customerId}
        onClose=${(saved: boolean) => {
          setAdding(false)
          if (saved) setAdded((n) => n + 1)
        }}
      />`
    }
  </div>`
}

function TaskLine(props: { task: TaskListItem; canWrite: boolean; complete: (t: TaskListItem) => void }) {
  const { task } = props
  const overdue = isTaskOverdue(task)
  return html`<li class="deal-task" data-task=${task.id}>
    ${
      props.canWrite &&
      html`<input type="checkbox" class="task-done" aria-label=${`Mark “${task.title}” done`} onChange=${() => props.complete(task)} />`
    }
    <span class="task-title">${task.title}</span>
    ${
      task.due_at &&
      html`<time class=${overdue ? 'task-due deal-overdue' : 'task-due muted'} datetime=${task.due_at} title=${formatDateTime(task.due_at)}>
        ${overdue ? `was due ${formatRelative(task.due_at)}` : `due ${formatRelative(task.due_at)}`}
      </time>`
    }
  </li>`
}

/** A local date-time input's value (no zone) as the instant it means here, or null when empty. */
export function dueAtOf(local: string): string | null {
  if (local === '') return null
  const instant = new Date(local)
  return Number.isNaN(instant.getTime()) ? null : instant.toISOString()
}

function AddTaskDialog(props: { customerId: string; onClose: (saved: boolean) => void }) {
  const { api, toasts } = useServices()
  const [title, setTitle] = useState('')
  const [due, setDue] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // One key per dialog: a double submit or a retry after a lost answer creates one task.
  const [idempotencyKey] = useState(newIdempotencyKey)

  const submit = async (event: Event) => {
    event.preventDefault()
    if (title.trim() === '') {
      setError('Give the task a title.')
      return
    }
    setBusy(true)
    setError(null)
    try {
      await api.post(`/customers/${props.customerId}/tasks`, {
        body: { title: title.trim(), due_at: dueAtOf(due) },
        idempotencyKey,
      })
      toasts.show('success', `Task added: ${title.trim()}`)
      props.onClose(true)
    } catch (e) {
      setBusy(false)
      setError(
        isApiError(e) && e.problem?.errors?.length
          ? e.problem.errors.map((x) => x.message).join(' ')
          : describeError(e, 'this task'),
      )
    }
  }

  return html`<${Dialog} title="Add task" onClose=${() => props.onClose(false)}>
    <form onSubmit=${submit} noValidate>
      <div class="field">
        <label for="task-title">Title</label>
        <input
          id="task-title"
          type="text"
          maxlength="200"
          autocomplete="off"
          required
          value=${title}
          aria-invalid=${error !== null && title.trim() === ''}
          onInput=${(e: Event) => setTitle((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <div class="field">
        <label for="task-due">Due <span class="optional">(optional)</span></label>
        <input
          id="task-due"
          type="datetime-local"
          value=${due}
          onInput=${(e: Event) => setDue((e.currentTarget as HTMLInputElement).value)}
        />
        <small class="hint">Assigned to you; an overdue task notifies you.</small>
      </div>
      ${error && html`<p class="form-error" role="alert">${error}</p>`}
      <div class="form-actions">
        <button type="button" class="button" onClick=${() => props.onClose(false)}>Cancel</button>
        <button type="submit" class="button button-primary" disabled=${busy}>${busy ? 'Adding…' : 'Add task'}</button>
      </div>
    </form>
  </${Dialog}>`
}

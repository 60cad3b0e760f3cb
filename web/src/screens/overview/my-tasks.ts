import type { TaskListItem } from '../../api/types.ts'
import { Empty, ErrorState } from '../../components/states.ts'
import { formatDateTime, formatRelative } from '../../format/dates.ts'
import { html } from '../../html.ts'
import { hrefOf } from '../../router/use-route.ts'
import { isTaskOverdue, openTasksShown, useOpenTasks } from '../tasks/open-tasks.ts'

/**
 * The signed-in person's open tasks, in every customer of the organization,
 * overdue and soonest first (GET /tasks?assignee_id=me): what to do today,
 * beside the customers that are stuck. A tick completes one; the customer's
 * name leads to it.
 */
export function MyTasks(props: { org: string; reloadKey: unknown }) {
  const { tasks, open, more, complete } = useOpenTasks(props.org, { assignee_id: 'me' }, [props.reloadKey])
  const shown = open.slice(0, openTasksShown)
  const overdue = shown.filter((t) => isTaskOverdue(t)).length
  return html`<section class="card my-tasks" aria-labelledby="my-tasks-title">
    <h2 id="my-tasks-title">My tasks</h2>
    ${
      !tasks.data
        ? tasks.status === 'error'
          ? html`<${ErrorState} error=${tasks.error} retry=${tasks.reload} what="your tasks" />`
          : html`<p class="my-tasks-note muted" role="status">Loading your tasks…</p>`
        : shown.length === 0
          ? html`<${Empty}>Nothing on your list. Tasks assigned to you show here.</${Empty}>`
          : html`<p class="my-tasks-note">
                ${overdue > 0 ? html`<strong class="task-overdue">${overdue} overdue</strong> · ` : ''}${
                  more
                    ? `the next ${shown.length} open, soonest first`
                    : `${shown.length} open, soonest first`
                }
              </p>
              <ul class="task-list" aria-label="My open tasks">
                ${shown.map((t) => html`<${TaskRow} key=${t.id} org=${props.org} task=${t} complete=${complete} />`)}
              </ul>`
    }
  </section>`
}

function TaskRow(props: { org: string; task: TaskListItem; complete: (t: TaskListItem) => void }) {
  const { task } = props
  const overdue = isTaskOverdue(task)
  return html`<li class="task-item" data-task=${task.id}>
    <input
      type="checkbox"
      class="task-done"
      aria-label=${`Mark “${task.title}” done`}
      onChange=${() => props.complete(task)}
    />
    <div class="task-body">
      <span class="task-title">${task.title}</span>
      <span class="task-meta">
        <a href=${hrefOf({ name: 'customer', org: props.org, id: task.customer_id, tab: 'timeline' })}>${task.customer_name}</a>
        ${
          task.due_at &&
          html` · <time class=${overdue ? 'task-due task-overdue' : 'task-due'} datetime=${task.due_at} title=${formatDateTime(task.due_at)}>
            ${overdue ? `was due ${formatRelative(task.due_at)}` : `due ${formatRelative(task.due_at)}`}
          </time>`
        }
      </span>
    </div>
  </li>`
}

import { useState } from 'preact/hooks'
import { describeError } from '../../api/describe-error.ts'
import type { Page, TaskListItem } from '../../api/types.ts'
import { useServices } from '../../context.ts'
import { useAsync } from '../../state/use-async.ts'

/** How many open tasks a panel shows; the total beyond it is said in words. */
export const openTasksShown = 8

/** Overdue: an open task whose due time has passed. */
export const isTaskOverdue = (task: Pick<TaskListItem, 'due_at' | 'done_at'>, now = Date.now()) =>
  task.done_at === null && task.due_at !== null && Date.parse(task.due_at) < now

/**
 * A list of open tasks (GET /orgs/{org}/tasks, open ones due first, undated
 * last) that can tick one off: the PATCH carries the version read, so a task
 * changed meanwhile is refused rather than overwritten, and the task leaves
 * the list at once, coming back with a toast if the API refused it.
 */
export function useOpenTasks(
  org: string,
  filter: { assignee_id?: 'me'; customer_id?: string },
  deps: unknown[],
) {
  const { api, toasts } = useServices()
  const query = new URLSearchParams({ status: 'open', limit: String(openTasksShown + 1), ...filter })
  const tasks = useAsync(
    (signal) => api.get<Page<TaskListItem>>(`/orgs/${org}/tasks?${query}`, { signal }),
    [org, query.toString(), ...deps],
  )
  const [completing, setCompleting] = useState<ReadonlySet<string>>(new Set())

  const complete = async (task: TaskListItem) => {
    setCompleting((ids) => new Set(ids).add(task.id))
    try {
      await api.patch(`/tasks/${task.id}`, { body: { done: true }, ifMatch: task.version })
      toasts.show('success', `Done: ${task.title}`)
      tasks.reload()
    } catch (error) {
      toasts.show('error', describeError(error, 'this task'))
      tasks.reload()
    } finally {
      setCompleting((ids) => {
        const next = new Set(ids)
        next.delete(task.id)
        return next
      })
    }
  }
  const open = (tasks.data?.data ?? []).filter((t) => !completing.has(t.id))
  return { tasks, open, more: tasks.data?.next_cursor != null, complete }
}

import { useEffect } from 'preact/hooks'
import { describeError } from '../api/describe-error.ts'
import type { NotificationItem, NotificationPage } from '../api/types.ts'
import { useServices } from '../context.ts'
import { joinLiveTopic } from '../realtime/live-topic.ts'
import { useAsync } from '../state/use-async.ts'

/** How many notifications the menu lists; the unread count covers them all. */
export const notificationsShown = 12

/**
 * The signed-in person's notifications in one organization, newest first,
 * with the unread count, kept live: the database sends each new notification
 * (and each change of read state, from another tab) on the person's own
 * topic, `user:<id>`, which nobody else may join. A new one is also said in
 * a toast, since it is news (an overdue task).
 */
export function useNotifications(org: string, userId: string) {
  const { api, auth, toasts } = useServices()
  const list = useAsync(
    (signal) =>
      api.get<NotificationPage>(`/orgs/${org}/notifications?limit=${notificationsShown}`, { signal }),
    [org],
  )

  useEffect(() => {
    const topic = joinLiveTopic(auth.supabase, `user:${userId}`)
    const stop = topic.listen((change) => {
      // An update carries only what changed (read_at): it may be about this organization's list.
      if (change.table !== 'notifications' || ('org_id' in change.record && change.record.org_id !== org))
        return
      if (change.op === 'INSERT' && typeof change.record.title === 'string')
        toasts.show('info', change.record.title)
      list.reload()
    })
    return () => {
      stop()
      void topic.close()
    }
  }, [org, userId, auth])

  const setRead = async (item: NotificationItem, read: boolean) => {
    // At once on screen; the server's answer (or a refusal) settles it.
    list.setData((page) => ({
      ...page,
      unread_count: Math.max(0, page.unread_count + (read ? -1 : 1)),
      data: page.data.map((n) =>
        n.id === item.id ? { ...n, read_at: read ? new Date().toISOString() : null } : n,
      ),
    }))
    try {
      await api.patch(`/notifications/${item.id}`, { body: { read } })
    } catch (error) {
      toasts.show('error', describeError(error, 'this notification'))
    }
    list.reload()
  }

  const markAllRead = async () => {
    list.setData((page) => ({
      ...page,
      unread_count: 0,
      data: page.data.map((n) => (n.read_at ? n : { ...n, read_at: new Date().toISOString() })),
    }))
    try {
      await api.post(`/orgs/${org}/notifications/read`)
    } catch (error) {
      toasts.show('error', describeError(error, 'your notifications'))
    }
    list.reload()
  }

  return {
    list,
    items: list.data?.data ?? [],
    unread: list.data?.unread_count ?? 0,
    more: list.data?.next_cursor != null,
    setRead,
    markAllRead,
  }
}

import { useCallback, useRef, useState } from 'preact/hooks'
import type { Page } from '../api/types.ts'
import { appendPage, emptyList, type KeysetList } from './keyset-list.ts'
import { useAsync } from './use-async.ts'

export type PageLoader<T> = (cursor: string | null, signal?: AbortSignal) => Promise<Page<T>>

/**
 * One keyset list on screen: its first page (loading, ready or error), "Load
 * more", and `update` — the one place a created, edited, deleted or live
 * record is merged in (keyset-list.ts).
 */
export function useKeysetList<T extends { id: string }>(loadPage: PageLoader<T>, deps: readonly unknown[]) {
  const first = useAsync(async (signal) => appendPage(emptyList<T>(), await loadPage(null, signal)), deps)
  const [more, setMore] = useState<{ loading: boolean; error?: unknown }>({ loading: false })
  const loaderRef = useRef(loadPage)
  loaderRef.current = loadPage
  const { data: list, setData } = first

  const loadMore = useCallback(async () => {
    const cursor = list?.cursor
    if (!cursor) return
    setMore({ loading: true })
    try {
      const page = await loaderRef.current(cursor)
      // Only onto the list it continues: a reload meanwhile started a new one.
      setData((current) => (current.cursor === cursor ? appendPage(current, page) : current))
      setMore({ loading: false })
    } catch (error) {
      setMore({ loading: false, error })
    }
  }, [list?.cursor, setData])

  return {
    status: first.status,
    error: first.error,
    list: list as KeysetList<T> | undefined,
    reload: first.reload,
    update: setData as (change: (list: KeysetList<T>) => KeysetList<T>) => void,
    loadMore,
    more,
  }
}

export type KeysetListState<T extends { id: string }> = ReturnType<typeof useKeysetList<T>>

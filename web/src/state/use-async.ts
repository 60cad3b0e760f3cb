import { useCallback, useEffect, useRef, useState } from 'preact/hooks'

export type AsyncState<T> =
  | { status: 'loading'; data?: T; error?: undefined }
  | { status: 'ready'; data: T; error?: undefined }
  | { status: 'error'; data?: T; error: unknown }

/**
 * Loads data for a screen: loading, ready or error, never a blank page. A
 * newer load (other deps, or reload()) aborts and supersedes an older one, so
 * a slow answer cannot overwrite a fresh one.
 */
export function useAsync<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
): AsyncState<T> & { reload: () => void; setData: (update: (data: T) => T) => void } {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' })
  const [generation, setGeneration] = useState(0)
  const loadRef = useRef(load)
  loadRef.current = load

  useEffect(() => {
    const controller = new AbortController()
    setState((s) => ({ status: 'loading', data: s.data }))
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data })
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState((s) => ({ status: 'error', error, data: s.data }))
      },
    )
    return () => controller.abort()
  }, [...deps, generation])

  const reload = useCallback(() => setGeneration((g) => g + 1), [])
  const setData = useCallback(
    (update: (data: T) => T) =>
      setState((s) => (s.data === undefined ? s : ({ ...s, data: update(s.data) } as AsyncState<T>))),
    [],
  )
  return { ...state, reload, setData }
}

import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { html } from '../html.ts'
import { ErrorState, Loading } from './states.ts'

/**
 * A screen loaded on first use, in its own chunk: the first screen downloads
 * only its own code. A failed download (a deploy replaced the chunk, the
 * network dropped) shows an error with a retry instead of a blank page.
 */
export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined
  return function Lazy(props: P) {
    const [component, setComponent] = useState<ComponentType<P> | undefined>(() => loaded)
    const [error, setError] = useState<unknown>()
    const [attempt, setAttempt] = useState(0)
    useEffect(() => {
      if (component) return
      let live = true
      load().then(
        (c) => {
          loaded = c
          if (live) setComponent(() => c)
        },
        (e: unknown) => live && setError(e),
      )
      return () => {
        live = false
      }
    }, [attempt])
    if (component) return html`<${component} ...${props} />`
    if (error)
      return html`<${ErrorState}
        error=${error}
        retry=${() => {
          setError(undefined)
          setAttempt((n) => n + 1)
        }}
      />`
    return html`<${Loading} />`
  }
}

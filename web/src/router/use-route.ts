import { useEffect, useState } from 'preact/hooks'
import { formatRoute, parseRoute, type Route } from './routes.ts'

/** The current route, following the hash (links, back and forward buttons). */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash))
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash))
    addEventListener('hashchange', onChange)
    return () => removeEventListener('hashchange', onChange)
  }, [])
  return route
}

/**
 * Goes to a route. `replace` changes the URL without a new history entry: for
 * filters typed character by character and for redirects, so Back goes where
 * the person expects.
 */
export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const hash = formatRoute(route)
  if (hash === location.hash) return
  if (options.replace) {
    history.replaceState(history.state, '', hash)
    dispatchEvent(new HashChangeEvent('hashchange'))
  } else {
    location.hash = hash
  }
}

/** An <a href> for a route. */
export const hrefOf = (route: Route) => formatRoute(route)

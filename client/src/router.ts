import { useSyncExternalStore } from 'react'
import { hrefFor, parseRoute, type Route } from '../../shared/pages'

export { hrefFor, parseRoute, type Route }

const listeners = new Set<() => void>()
window.addEventListener('popstate', () => listeners.forEach((notify) => notify()))

export function navigate(route: Route, { replace = false } = {}): void {
  if (replace) history.replaceState(null, '', hrefFor(route))
  else history.pushState(null, '', hrefFor(route))
  listeners.forEach((notify) => notify())
}

export function useRoute(): Route {
  const pathname = useSyncExternalStore(
    (notify) => {
      listeners.add(notify)
      return () => listeners.delete(notify)
    },
    () => location.pathname,
  )
  return parseRoute(pathname)
}

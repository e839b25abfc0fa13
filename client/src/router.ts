import { useSyncExternalStore } from 'react'

/** The two places in the app: the document list and one document. */
export type Route = { page: 'list' } | { page: 'document'; id: string }

export function parseRoute(pathname: string): Route {
  const match = /^\/d\/([^/]+)\/?$/.exec(pathname)
  return match ? { page: 'document', id: decodeURIComponent(match[1]) } : { page: 'list' }
}

export function hrefFor(route: Route): string {
  return route.page === 'document' ? `/d/${encodeURIComponent(route.id)}` : '/'
}

const listeners = new Set<() => void>()
window.addEventListener('popstate', () => listeners.forEach((notify) => notify()))

export function navigate(route: Route): void {
  history.pushState(null, '', hrefFor(route))
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

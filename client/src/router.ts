import { useSyncExternalStore } from 'react'

/** The two places in the app: the document list and one document. */
export type Route = { page: 'list' } | { page: 'document'; id: string } | { page: 'login' } | { page: 'admin' }

export function parseRoute(pathname: string): Route {
  const match = /^\/d\/([^/]+)\/?$/.exec(pathname)
  if (match) return { page: 'document', id: decodeURIComponent(match[1]) }
  if (pathname === '/login') return { page: 'login' }
  if (pathname === '/admin') return { page: 'admin' }
  return { page: 'list' }
}

export function hrefFor(route: Route): string {
  if (route.page === 'document') return `/d/${encodeURIComponent(route.id)}`
  return route.page === 'list' ? '/' : `/${route.page}`
}

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

/**
 * The app's pages, their addresses, and the API reads each one starts with. Shared because both sides
 * need them: the client routes by them, and the server, when it serves a page, tells the browser what
 * that page will ask for first (`Link: rel=preload`), so those answers travel while the app's script
 * is still loading instead of after it has run.
 */

/** The places in the app: the document list, one document, signing in, administration. */
export type Route = { page: 'list' } | { page: 'document'; id: string } | { page: 'login' } | { page: 'admin' }

/** GET: the signed-in account (401 when nobody is). Every page asks for it first. */
export const ME_PATH = '/api/me'
/** GET: the documents the account can open; POST: a new one. */
export const DOCUMENTS_PATH = '/api/documents'
/** One document's details (title, status, the caller's role). */
export const documentPath = (id: string) => `${DOCUMENTS_PATH}/${encodeURIComponent(id)}`

/** The page an address shows. An address that cannot be decoded is the list, not an error. */
export function parseRoute(pathname: string): Route {
  const match = /^\/d\/([^/]+)\/?$/.exec(pathname)
  if (match) {
    try {
      return { page: 'document', id: decodeURIComponent(match[1]) }
    } catch {
      return { page: 'list' }
    }
  }
  if (pathname === '/login') return { page: 'login' }
  if (pathname === '/admin') return { page: 'admin' }
  return { page: 'list' }
}

export function hrefFor(route: Route): string {
  if (route.page === 'document') return `/d/${encodeURIComponent(route.id)}`
  return route.page === 'list' ? '/' : `/${route.page}`
}

/**
 * What a page reads from the API as soon as it starts, in the order it needs them: the account, then
 * what the page shows. The client must request exactly these URLs with a plain `fetch` (GET, no extra
 * headers, default credentials) for the browser to hand it the preloaded answer.
 */
export function firstReads(route: Route): string[] {
  switch (route.page) {
    case 'document':
      return [ME_PATH, documentPath(route.id)]
    case 'list':
      return [ME_PATH, DOCUMENTS_PATH]
    default:
      return [ME_PATH]
  }
}

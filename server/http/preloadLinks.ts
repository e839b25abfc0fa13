import { firstReads, ME_PATH, parseRoute } from '../../shared/pages'

/**
 * The `Link` header served with a page of the app: the API reads that page starts with, as
 * preloads. The browser sends them as soon as the page's headers arrive, while it fetches and
 * compiles the app's script; the app's own `fetch` of the same URL then takes the answer already
 * there. Without them, the account and the report's details were asked for one after the other,
 * each only once the script had run.
 *
 * A preload is taken by the first fetch of its URL, however late. So the page's own data is named only
 * when the page request is signed in: signed out, the list or report would have been answered 401 and
 * that answer handed to the page after signing in (the list stayed empty, the report went back to the
 * sign-in page). The account alone is always named: the app asks for it first, before anything can
 * change it.
 *
 * `crossorigin` makes the preload's credentials mode `same-origin`, the default of `fetch`: the
 * session cookie goes with it, and the two requests match.
 */
export function preloadLinks(pathname: string, signedIn: boolean): string {
  return (signedIn ? firstReads(parseRoute(pathname)) : [ME_PATH]).map((url) => `<${url}>; rel=preload; as=fetch; crossorigin`).join(', ')
}

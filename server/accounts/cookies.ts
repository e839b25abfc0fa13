import type { IncomingMessage } from 'node:http'

export const SESSION_COOKIE = 'huigao_session'

/** Reads one cookie from a request's Cookie header. */
export function readCookie(request: IncomingMessage, name: string): string | undefined {
  const header = request.headers.cookie
  if (!header) return undefined
  for (const part of header.split(';')) {
    const index = part.indexOf('=')
    if (index < 0) continue
    if (part.slice(0, index).trim() !== name) continue
    try {
      return decodeURIComponent(part.slice(index + 1).trim())
    } catch {
      return undefined
    }
  }
  return undefined
}

/**
 * Whether a request comes from a page of this server: the Origin's scheme, host and port must all be
 * the ones the request was made to (`scheme` as the client used it, see requestScheme). A page of the
 * same host over another scheme or port is another origin. Browsers send Origin on cross-site requests
 * and WebSocket upgrades; scripts (curl) send none and are not exposed to CSRF, so a missing Origin passes.
 */
export function isSameOrigin(request: IncomingMessage, scheme: string): boolean {
  const origin = request.headers.origin
  if (!origin) return true
  const host = request.headers.host
  if (!host) return false
  try {
    return new URL(origin).origin === new URL(`${scheme}://${host}`).origin
  } catch {
    return false
  }
}

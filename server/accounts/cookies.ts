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
 * Whether a request comes from a page of this server. Browsers send Origin on cross-site requests
 * and WebSocket upgrades; scripts (curl) send none and are not exposed to CSRF, so a missing Origin passes.
 */
export function isSameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin
  if (!origin) return true
  try {
    return new URL(origin).host === request.headers.host
  } catch {
    return false
  }
}

import type { IncomingMessage } from 'node:http'
import type { TLSSocket } from 'node:tls'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import helmet from 'helmet'

/** Express's "trust proxy" test: whether the hop at `address` may speak for the client. */
export type TrustProxy = (address: string, hop: number) => boolean

/**
 * TRUST_PROXY as Express understands it: `true`/`false`, a hop count (`1`), or addresses and
 * ranges (`loopback`, `10.0.0.0/8, 127.0.0.1`). A bare string "1" would be read as an address.
 */
export function parseTrustProxy(value: string): boolean | number | string {
  const trimmed = value.trim()
  if (trimmed === 'true') return true
  if (trimmed === 'false') return false
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  return trimmed
}

/**
 * The scheme the client used: https on a TLS socket, or the first X-Forwarded-Proto when the peer is
 * a trusted proxy (what Express's req.protocol does, for requests that never reach Express: upgrades).
 */
export function requestScheme(request: IncomingMessage, trustProxy: TrustProxy): string {
  const own = (request.socket as TLSSocket).encrypted ? 'https' : 'http'
  if (!trustProxy(request.socket.remoteAddress ?? '', 0)) return own
  const header = request.headers['x-forwarded-proto']
  const forwarded = (Array.isArray(header) ? header[0] : header)?.split(',')[0].trim().toLowerCase()
  return forwarded === 'https' || forwarded === 'http' ? forwarded : own
}

/**
 * Headers for every answer (pages, assets, API), from helmet. The client is Vite's build: module
 * scripts from the server only (no inline script, no eval); styles may be inline (React and
 * ProseMirror/Tiptap set style attributes); the WebSocket goes to the same origin ('self' covers
 * ws:/wss: of the page's host); the favicon is a data: URL. No upgrade-insecure-requests: an intranet
 * installation on plain HTTP must keep loading its own assets. Nothing may frame the editor.
 */
export function securityHeaders(): RequestHandler[] {
  const hsts = helmet.strictTransportSecurity({ maxAge: 180 * 24 * 3600, includeSubDomains: false })
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'script-src-attr': ["'none'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          'font-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
          'object-src': ["'none'"],
          'base-uri': ["'self'"],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
        },
      },
      xFrameOptions: { action: 'deny' },
      referrerPolicy: { policy: 'same-origin' },
      // Only over HTTPS (directly or through a trusted proxy): on plain HTTP the header means nothing.
      strictTransportSecurity: false,
    }),
    (req: Request, res: Response, next: NextFunction) => (req.secure ? hsts(req, res, next) : next()),
  ]
}

/** API answers carry sessions' data: no browser or proxy may keep a copy. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store')
  next()
}

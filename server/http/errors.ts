import path from 'node:path'
import type { ErrorRequestHandler, RequestHandler } from 'express'
import { ERROR_CODES, type ErrorCode } from '../../shared/errorCodes'
import { CorruptFileError } from '../storage/errors'
import { DocumentOwnedElsewhere } from '../collab/storage'
import { componentLogger } from '../logger'

const log = componentLogger('api')

/** An error with an HTTP status whose message is safe to show to the client; `code` lets the client say it in Chinese. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: ErrorCode,
    /** Figures the client's message needs (e.g. `retryAfterSeconds`), sent beside `error` and `code`. */
    readonly details?: Record<string, number | string>,
  ) {
    super(message)
    this.name = 'HttpError'
  }
}

export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, `No API route ${req.method} ${req.path}`))
}

/** Every API failure answers JSON `{ error }`; unexpected ones are logged and hidden. */
export const apiErrorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  // A damaged stored file is a known condition with its own explanation, not a crash: one log line
  // naming the file, and an answer saying what happened (the file is kept as it is).
  if (error instanceof CorruptFileError) {
    log.error({ method: req.method, url: req.originalUrl }, error.message)
    res.status(503).json({
      error: `A stored file of this document cannot be read (${path.basename(error.file)}: ${withoutDirectories(error.detail).slice(0, 200)}). It was kept as it is; an administrator must restore it.`,
      code: ERROR_CODES.damagedFile,
    })
    return
  }
  // The document is owned by another process (it is moving, or the balancer sent this request astray):
  // not a failure of this process; the client retries and is routed to the owner.
  if (error instanceof DocumentOwnedElsewhere) {
    log.info({ method: req.method, url: req.originalUrl, owner: error.owner }, 'document owned by another process')
    res.status(503).set('Retry-After', '1').json({ error: 'Another server process serves this document now; retry.', code: ERROR_CODES.documentMoved })
    return
  }
  const { status, message } = describe(error)
  if (status >= 500) log.error({ method: req.method, url: req.originalUrl, err: error }, 'request failed')
  res.status(status).json(error instanceof HttpError && error.code ? { ...error.details, error: message, code: error.code } : { error: message })
}

function describe(error: unknown): { status: number; message: string } {
  if (error instanceof HttpError) return { status: error.status, message: error.message }
  // body-parser marks its errors with a status and a type.
  const parserError = error as { status?: number; type?: string; limit?: number }
  if (parserError.type === 'entity.too.large') return { status: 413, message: `Request body is larger than ${parserError.limit} bytes` }
  if (parserError.type === 'entity.parse.failed') return { status: 400, message: 'Request body is not valid JSON' }
  if (parserError.type === 'encoding.unsupported' || parserError.type === 'charset.unsupported')
    return { status: 415, message: 'Request body must be UTF-8 JSON' }
  if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500)
    return { status: parserError.status, message: (error as Error).message }
  return { status: 500, message: 'Internal server error' }
}

/** Server paths stay in the server's log: the answer names files only. */
const withoutDirectories = (text: string) => text.replace(/(?:\/[^\s/]+)+\/(?=[^\s/])/g, '')

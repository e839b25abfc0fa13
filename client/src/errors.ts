import { ERROR_CODES, type ErrorCode } from '../../shared/errorCodes'
import { ApiError, ApiErrorWithBody } from './api'
import { t } from './strings'

const KNOWN_CODES = new Set<string>(Object.values(ERROR_CODES))

/**
 * What to tell a person when an API call failed: the server's code in Chinese when it gave one, else
 * a sentence for the status. The server's own `error` text is English, for logs, and never shown.
 */
export function errorMessage(failure: unknown): string {
  if (!(failure instanceof ApiError)) return t.errors.network
  const body = failure instanceof ApiErrorWithBody ? (failure.body as { code?: string; unfilledPlaceholders?: unknown[]; retryAfterSeconds?: number; minLength?: number } | null) : null
  const code = body?.code && KNOWN_CODES.has(body.code) ? (body.code as ErrorCode) : null
  if (code === ERROR_CODES.exportUnfilled) return t.errors[code](body?.unfilledPlaceholders?.length ?? 0)
  if (code === ERROR_CODES.signInThrottled) return t.errors[code](body?.retryAfterSeconds ?? 30)
  if (code === ERROR_CODES.passwordTooShort) return t.errors[code](body?.minLength ?? 8)
  if (code) return t.errors[code]
  return statusMessage(failure.status)
}

/** A sentence for a refusal the server gave no code for, by its status. */
export function statusMessage(status: number): string {
  switch (status) {
    case 401:
      return t.errors.signedOut
    case 403:
      return t.errors.forbidden
    case 404:
      return t.errors.notFound
    default:
      return t.errors.generic(status)
  }
}

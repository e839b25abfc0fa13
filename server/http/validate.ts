import { HttpError } from './errors'

type Body = Record<string, unknown>

/** Checks that the body is a JSON object with only the allowed fields. */
export function objectBody(body: unknown, allowed: string[]): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'Request body must be a JSON object (Content-Type: application/json)')
  }
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key))
  if (unknown.length > 0) throw new HttpError(400, `Unknown field(s): ${unknown.join(', ')}`)
  return body as Body
}

interface StringRule {
  max: number
  /** Surrounding whitespace is dropped unless this is false (passwords, imported text). */
  trim?: boolean
}

export function requiredString(body: Body, field: string, { min = 1, max, trim }: StringRule & { min?: number }): string {
  const value = optionalString(body, field, { max, trim })
  if (value === undefined) throw new HttpError(400, `Field "${field}" is required`)
  if (value.length < min) throw new HttpError(400, `Field "${field}" must not be empty`)
  return value
}

export function optionalString(body: Body, field: string, { max, trim = true }: StringRule): string | undefined {
  const value = body[field]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new HttpError(400, `Field "${field}" must be a string`)
  const trimmed = trim ? value.trim() : value
  if (trimmed.length > max) throw new HttpError(400, `Field "${field}" is longer than ${max} characters`)
  return trimmed
}

/**
 * Machine-readable codes in API error bodies (`{ error, code }`), for failures the client explains in
 * its own words rather than showing the server's English message.
 */
export const ApiErrorCode = {
  /** A stored file (the document's content or its versions) is damaged or missing; it was kept as it is. */
  DamagedFile: 'damaged-file',
} as const

export type ApiErrorCodeValue = (typeof ApiErrorCode)[keyof typeof ApiErrorCode]

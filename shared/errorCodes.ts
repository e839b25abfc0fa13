/**
 * Machine-readable reasons the API gives with a refusal (`{ error, code }`), defined once for server and
 * client. `error` stays English for logs and scripts; the client shows its own Chinese text for each code
 * (client/src/strings.ts, `t.errors`).
 */
export const ERROR_CODES = {
  /** A clean copy was asked for while figures are still unfilled (409, with `unfilledPlaceholders`). */
  exportUnfilled: 'export-unfilled',
  /** PDF needs LibreOffice on the server (501). */
  pdfUnavailable: 'pdf-unavailable',
  /** LibreOffice failed to convert (500). */
  pdfFailed: 'pdf-failed',
  /** A stored file (the document's content or its versions) is damaged or missing; it was kept as it is (503). */
  damagedFile: 'damaged-file',
  /** A 提请提交 request was already answered, withdrawn or fulfilled (409). */
  requestClosed: 'request-closed',
  /** The drafter already has an open 提请提交 request on this document (409). */
  requestPending: 'request-pending',
  /** Another server process serves this document at the moment (it is moving between processes): retry (503). */
  documentMoved: 'document-moved',
  /** Sign-in with a wrong username or password, or a disabled account (401). */
  wrongCredentials: 'wrong-credentials',
  /** Too many failed sign-ins for this account or address (429, with `retryAfterSeconds`). */
  signInThrottled: 'sign-in-throttled',
  /** A new account's username is taken (409). */
  usernameTaken: 'username-taken',
  /** A new account's username breaks the rule (400): 2–32 letters, digits, dot, dash or underscore. */
  usernameInvalid: 'username-invalid',
  /** A password is shorter than the minimum (400, with `minLength`). */
  passwordTooShort: 'password-too-short',
  /** An uploaded file is missing or is not a readable Word document (400). */
  docxUnreadable: 'docx-unreadable',
} as const

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES]

/** The body of a refusal: English message, optional code. */
export interface ErrorBody {
  error: string
  code?: ErrorCode
}

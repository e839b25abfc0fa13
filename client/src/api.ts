import { exportPath, type CheckView, type DocumentEntry, type ExportFormat, type ExportMode, type VersionSummary } from '../../shared/contract'
import type { JSONContent } from '@tiptap/core'
import { ERROR_CODES } from '../../shared/errorCodes'
import type { Role } from '../../shared/roles'
import type { WordMergeReport } from '../../shared/word/mergeRevisions'
import { t } from './strings'
import type { NotificationList } from '../../shared/notifications'
import type { SubmissionRequestView } from '../../shared/submissionRequests'
import { DOCUMENTS_PATH, documentPath, firstReads, ME_PATH, type Route } from '../../shared/pages'

/** A document with the caller's role in it (the contract's DocumentEntry). */
export type DocumentMeta = DocumentEntry
export type CheckResult = CheckView
export type VersionInfo = VersionSummary

export interface Change {
  type: 'equal' | 'insert' | 'delete'
  text: string
}

export interface Me {
  id: string
  username: string
  displayName: string
  isAdmin: boolean
}

export interface UserInfo extends Me {
  disabled?: boolean
  createdAt?: string
}

export interface Member {
  /** Account id, as section assignments record it. */
  id: string
  username: string
  displayName: string
  role: Role
}

/** Called when the server says the session is gone (401), so the app can show the sign-in page. */
let onSignedOut: () => void = () => undefined
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** An API error that carries the server's JSON body (e.g. a refused submission's check result). */
export class ApiErrorWithBody<B> extends ApiError {
  constructor(
    status: number,
    message: string,
    readonly body: B,
  ) {
    super(status, message)
  }
}

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const isFile = body instanceof Blob
  const response = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { 'Content-Type': isFile ? 'application/octet-stream' : 'application/json' },
    body: body === undefined ? undefined : isFile ? body : JSON.stringify(body),
  })
  if (response.status === 401 && !url.endsWith('/api/login')) onSignedOut()
  if (!response.ok) {
    const payload = (await response.json().catch(() => null)) as { error?: string; code?: string } | null
    // Failures the server marks with a code are explained in the client's words.
    const message = payload?.code === ERROR_CODES.damagedFile ? t.errors[ERROR_CODES.damagedFile] : (payload?.error ?? `${response.status} ${response.statusText}`)
    throw new ApiErrorWithBody(response.status, message, payload)
  }
  return (response.status === 204 ? undefined : await response.json()) as T
}

/** The file name a Content-Disposition header gives (the UTF-8 `filename*` when present). */
function fileNameOf(disposition: string | null, fallback: string): string {
  const utf8 = disposition?.match(/filename\*=UTF-8''([^;]+)/i)?.[1]
  if (utf8) return decodeURIComponent(utf8)
  return disposition?.match(/filename="([^"]+)"/i)?.[1] ?? fallback
}

/** Fetches a file to save; a refusal throws like any API call, so the page can say why in Chinese. */
async function downloadFile(url: string, fallbackName: string): Promise<{ blob: Blob; name: string }> {
  const response = await fetch(url)
  if (response.status === 401) onSignedOut()
  if (!response.ok) {
    const payload = (await response.json().catch(() => null)) as { error?: string } | null
    throw new ApiErrorWithBody(response.status, payload?.error ?? `${response.status} ${response.statusText}`, payload)
  }
  return { blob: await response.blob(), name: fileNameOf(response.headers.get('content-disposition'), fallbackName) }
}

/**
 * Takes and drops what the browser may have preloaded for this page besides the account (its
 * headers name the page's first reads: shared/pages.ts). A preload is handed to the first fetch of
 * its URL however late that comes: when the account answers 401 (the session ended while the page
 * loaded), the page's own preloaded 401 would otherwise be handed to it after the person signed in
 * again, and send them back to sign in once more. Where nothing was preloaded (the page was asked
 * for signed out), this is one GET answered 401.
 */
export function dropPreloadedReads(route: Route): void {
  for (const url of firstReads(route).filter((url) => url !== ME_PATH)) {
    void fetch(url).then(
      (response) => response.body?.cancel(),
      () => undefined,
    )
  }
}

const doc = documentPath
const member = (id: string, username: string) => `${doc(id)}/members/${encodeURIComponent(username)}`

export const api = {
  me: () => request<Me>('GET', ME_PATH),
  login: (username: string, password: string) => request<Me>('POST', '/api/login', { username, password }),
  logout: () => request<void>('POST', '/api/logout'),
  listUsers: () => request<UserInfo[]>('GET', '/api/users'),
  createUser: (user: { username: string; displayName: string; password: string; isAdmin?: boolean }) => request<UserInfo>('POST', '/api/users', user),
  updateUser: (username: string, changes: { displayName?: string; password?: string; disabled?: boolean; isAdmin?: boolean }) =>
    request<UserInfo>('PATCH', `/api/users/${encodeURIComponent(username)}`, changes),
  check: (id: string) => request<CheckResult>('GET', `${doc(id)}/check`),
  submit: (id: string, versionName: string, overrideReason?: string) => request<DocumentMeta>('POST', `${doc(id)}/submit`, { versionName, overrideReason }),
  reopen: (id: string) => request<DocumentMeta>('POST', `${doc(id)}/reopen`),
  listVersions: (id: string) => request<VersionInfo[]>('GET', `${doc(id)}/versions`),
  saveVersion: (id: string, name: string) => request<VersionInfo>('POST', `${doc(id)}/versions`, { name }),
  getVersion: (id: string, vid: string) => request<VersionInfo & { doc: JSONContent }>('GET', `${doc(id)}/versions/${encodeURIComponent(vid)}`),
  compareVersion: (id: string, vid: string) => request<{ changes: Change[] }>('GET', `${doc(id)}/versions/${encodeURIComponent(vid)}/compare`),
  restoreVersion: (id: string, vid: string) => request<unknown>('POST', `${doc(id)}/versions/${encodeURIComponent(vid)}/restore`),
  exportUrl: (id: string, format: ExportFormat, mode: ExportMode) => exportPath(id, format, mode),
  download: downloadFile,
  listMembers: (id: string) => request<Member[]>('GET', `${doc(id)}/members`),
  setMember: (id: string, username: string, role: Role) => request<Member>('PUT', member(id, username), { role }),
  removeMember: (id: string, username: string) => request<void>('DELETE', member(id, username)),
  listDocuments: () => request<DocumentMeta[]>('GET', DOCUMENTS_PATH),
  getDocument: (id: string) => request<DocumentMeta>('GET', doc(id)),
  createDocument: (title: string, text?: string) => request<DocumentMeta>('POST', DOCUMENTS_PATH, { title, text }),
  renameDocument: (id: string, title: string) =>
    request<DocumentMeta>('PATCH', doc(id), { title }),
  importDocx: (file: File) => request<DocumentMeta>('POST', `${DOCUMENTS_PATH}/import`, file),
  mergeDocx: (id: string, file: File) => request<WordMergeReport>('POST', `${doc(id)}/merge-docx`, file),
  deleteDocument: (id: string) => request<void>('DELETE', doc(id)),
  listRequests: (id: string) => request<SubmissionRequestView[]>('GET', `${doc(id)}/requests`),
  myRequests: () => request<{ incoming: SubmissionRequestView[]; outgoing: SubmissionRequestView[] }>('GET', '/api/requests'),
  askToSubmit: (id: string, note: string) => request<SubmissionRequestView>('POST', `${doc(id)}/requests`, { note }),
  answerRequest: (id: string, requestId: string, text: string) =>
    request<SubmissionRequestView>('POST', `${doc(id)}/requests/${encodeURIComponent(requestId)}/answer`, { text }),
  withdrawRequest: (id: string, requestId: string) => request<SubmissionRequestView>('DELETE', `${doc(id)}/requests/${encodeURIComponent(requestId)}`),
  notifications: () => request<NotificationList>('GET', '/api/notifications'),
  markNotificationsRead: (ids?: string[]) => request<NotificationList>('POST', '/api/notifications/read', ids ? { ids } : {}),
}

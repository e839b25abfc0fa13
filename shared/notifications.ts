/**
 * In-app notifications (the bell): events that concern one person, stored by the server so they survive
 * reloads, pushed live over `GET /api/notifications/stream` (server-sent events). No e-mail.
 */

export const NOTIFICATION_KINDS = [
  /** I was made 负责人 of a section. */
  'sectionAssigned',
  /** A section of mine was sent back (退回) to 起草中. */
  'sectionSentBack',
  /** A drafter asks me, the owner, to submit (提请提交). */
  'submitRequested',
  /** The owner answered my request to submit. */
  'requestAnswered',
  /** The owner submitted the document I asked to submit. */
  'requestSubmitted',
  /** Someone replied in a comment thread I took part in. */
  'commentReply',
  /** Someone restored a version of a document I work on (the text is the version's name). */
  'versionRestored',
] as const
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number]

export interface NotificationView {
  id: string
  kind: NotificationKind
  documentId: string
  documentTitle: string
  /** Display name of who caused it. */
  actorName: string
  /** The request's note, the answer, the reply, … (shortened). */
  text: string
  /** The section concerned, e.g. 「一、工作回顾」, when there is one. */
  sectionLabel: string | null
  createdAt: string
  read: boolean
}

export interface NotificationList {
  notifications: NotificationView[]
  unread: number
}

/** Server-sent event names on the stream. */
export const NOTIFICATION_EVENT = 'notification'

/** The most a notification's text keeps. */
export const NOTIFICATION_TEXT_MAX = 200
/** Notifications kept per person (oldest dropped first). */
export const NOTIFICATIONS_KEPT = 200

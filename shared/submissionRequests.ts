/**
 * 提请提交: a drafter asks the document's owner to submit (报送) it, with a note; the owner submits or
 * answers. Views of `GET /api/documents/:id/requests` and `GET /api/requests`.
 */

export type SubmissionRequestStatus = 'open' | 'answered' | 'submitted' | 'withdrawn'

export interface SubmissionRequestView {
  id: string
  documentId: string
  documentTitle: string
  /** Account id of the sender. */
  fromUserId: string
  fromUsername: string
  fromName: string
  note: string
  createdAt: string
  status: SubmissionRequestStatus
  /** The owner's answer, once given. */
  answer: { byName: string; text: string; at: string } | null
}

export const REQUEST_NOTE_MAX = 1000
export const REQUEST_ANSWER_MAX = 1000

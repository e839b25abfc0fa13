import type { SubmissionRequestView } from '../../shared/submissionRequests'
import type { AccountStore } from '../accounts/AccountStore'
import type { NotificationCenter } from '../notifications/NotificationCenter'
import type { DocumentMeta } from '../storage/Catalog'
import type { DocumentService } from './DocumentService'
import type { StoredRequest, SubmissionRequests } from './SubmissionRequests'

/**
 * 提请提交 end to end: a drafter's request, the owner's answer or submission, and the notifications each
 * step sends (to the owner on a request, to the requester on an answer or a submission).
 */
export class RequestService {
  constructor(
    private readonly store: SubmissionRequests,
    private readonly notifications: NotificationCenter,
    private readonly documents: DocumentService,
    private readonly accounts: AccountStore,
  ) {}

  async view(request: StoredRequest): Promise<SubmissionRequestView> {
    const [from, answeredBy] = await Promise.all([this.accounts.byId(request.fromUserId), request.answer ? this.accounts.byId(request.answer.byUserId) : undefined])
    return {
      id: request.id,
      documentId: request.documentId,
      documentTitle: this.documents.get(request.documentId)?.title ?? '',
      fromUserId: request.fromUserId,
      fromUsername: from?.username ?? '',
      fromName: from?.displayName ?? '',
      note: request.note,
      createdAt: request.createdAt,
      status: request.status,
      answer: request.answer ? { byName: answeredBy?.displayName ?? '', text: request.answer.text, at: request.answer.at } : null,
    }
  }

  forDocument(documentId: string): Promise<SubmissionRequestView[]> {
    return Promise.all(this.store.forDocument(documentId).map((r) => this.view(r)))
  }

  /** Open requests addressed to me (documents I own) and my own open ones, for the document list. */
  async openFor(userId: string): Promise<{ incoming: SubmissionRequestView[]; outgoing: SubmissionRequestView[] }> {
    const visible = this.documents.listFor(userId)
    const open = this.store.openFor(new Set(visible.map((d) => d.id)))
    const owned = new Set(visible.filter((d) => d.role === 'owner').map((d) => d.id))
    return {
      incoming: await Promise.all(open.filter((r) => owned.has(r.documentId)).map((r) => this.view(r))),
      outgoing: await Promise.all(open.filter((r) => r.fromUserId === userId).map((r) => this.view(r))),
    }
  }

  async request(document: DocumentMeta, fromUserId: string, note: string): Promise<SubmissionRequestView> {
    const request = await this.store.create(document.id, fromUserId, note)
    await this.notifications.notify([document.ownerId], {
      kind: 'submitRequested',
      documentId: document.id,
      documentTitle: document.title,
      actorName: (await this.accounts.byId(fromUserId))?.displayName ?? '',
      text: note,
    })
    return this.view(request)
  }

  async answer(document: DocumentMeta, request: StoredRequest, byUserId: string, text: string): Promise<SubmissionRequestView> {
    await this.store.answer(request, byUserId, text)
    await this.notifications.notify([request.fromUserId], {
      kind: 'requestAnswered',
      documentId: document.id,
      documentTitle: document.title,
      actorName: (await this.accounts.byId(byUserId))?.displayName ?? '',
      text,
    })
    return this.view(request)
  }

  async withdraw(request: StoredRequest): Promise<SubmissionRequestView> {
    return this.view(await this.store.withdraw(request))
  }

  /** After a submission: open requests are fulfilled and their senders told. */
  async submitted(document: DocumentMeta, byName: string): Promise<void> {
    const fulfilled = await this.store.submitted(document.id)
    await this.notifications.notify(
      fulfilled.map((r) => r.fromUserId),
      { kind: 'requestSubmitted', documentId: document.id, documentTitle: document.title, actorName: byName },
    )
  }
}

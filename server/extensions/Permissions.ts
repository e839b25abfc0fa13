import type { IncomingMessage } from 'node:http'
import { CloseCode } from '../../shared/closeCodes'
import { colorFor } from '../../shared/editor/lib/colors'
import type { Role } from '../../shared/roles'
import type { AccountStore } from '../accounts/AccountStore'
import { isSameOrigin, readCookie, SESSION_COOKIE } from '../accounts/cookies'
import type { CollabDocument } from '../collab/CollabDocument'
import type { AwarenessState } from '../collab/applyAwareness'
import type { Connection } from '../collab/Connection'
import { RejectConnection, type CollabExtension, type ConnectionContext } from '../collab/hooks'
import { requestScheme, type TrustProxy } from '../http/security'
import type { Catalog } from '../storage/Catalog'
import { roleOf } from '../documents/DocumentService'
import { ReviewGuard } from './ReviewGuard'
import { allowsUpdate } from './SectionGuard'
import { updateChangesNothing } from '../documents/submission'
import { componentLogger } from '../logger'

const log = componentLogger('permissions')

const roleOfConnection = (connection: Connection) => connection.context.role as Role

/**
 * Who may open a document and what their updates may change, enforced on the server: a session
 * cookie and membership before the upgrade, names from the account in awareness, and updates from
 * reviewers and viewers checked by the ReviewGuard.
 */
export class Permissions implements CollabExtension {
  private readonly guard = new ReviewGuard()

  constructor(
    private readonly accounts: AccountStore,
    private readonly catalog: Catalog,
    /** Which peers may tell the client's scheme (TRUST_PROXY): the origin compared includes it. */
    private readonly trustProxy: TrustProxy = () => false,
  ) {}

  async onAuthenticate({ request, documentName, context }: { request: IncomingMessage; documentName: string; context: ConnectionContext }): Promise<void> {
    if (!isSameOrigin(request, requestScheme(request, this.trustProxy))) throw new RejectConnection(403, 'cross-origin connection refused')
    const token = readCookie(request, SESSION_COOKIE)
    const user = await this.accounts.resolveSession(token)
    if (!user || !token) throw new RejectConnection(401, 'sign in first')
    // Signing out (or a reset password) closes the sockets opened with that session.
    context.sessionId = this.accounts.sessionIdOf(token)
    const meta = this.catalog.get(documentName)
    if (!meta) throw new RejectConnection(404, `document ${documentName} does not exist`)
    const role = roleOf(meta, user.id)
    if (!role) throw new RejectConnection(403, 'this document is not shared with you')
    context.user = { id: user.id, name: user.displayName, color: colorFor(user.id) }
    context.role = role
    context.submitted = meta.status === 'submitted'
  }

  /**
   * Checks an open connection against the facts again, as onAuthenticate would now: the session and
   * account, the document, the person's role and the document's state. Returns why it must close, or
   * null. For changes this process may not have been told about (its event connection was down while
   * another process signed someone out or removed a share: NOTIFY keeps nothing for absent listeners).
   */
  async recheck(documentName: string, context: ConnectionContext): Promise<{ code: number; reason: string } | null> {
    if (!context.user || context.sessionId === undefined) return null
    const user = await this.accounts.sessionUserById(context.sessionId)
    if (!user) {
      const account = await this.accounts.byId(context.user.id)
      return account?.disabled ? { code: CloseCode.AccountDisabled, reason: 'account disabled' } : { code: CloseCode.SessionEnded, reason: 'signed out' }
    }
    const meta = this.catalog.get(documentName)
    if (!meta) return { code: CloseCode.DocumentDeleted, reason: 'document deleted' }
    const role = roleOf(meta, user.id)
    if (!role) return { code: CloseCode.AccessRevoked, reason: 'access revoked' }
    if (role !== context.role) return { code: CloseCode.RoleChanged, reason: 'role changed' }
    if ((meta.status === 'submitted') !== context.submitted) return { code: CloseCode.RoleChanged, reason: meta.status === 'submitted' ? 'document submitted' : 'document reopened' }
    return null
  }

  beforeApplyUpdate({ document, update, connection }: { document: CollabDocument; update: Uint8Array; connection: Connection }): boolean {
    // A submitted document is read-only for everyone; only a reconnecting client's sync (no change) passes.
    if (this.catalog.get(document.name)?.status === 'submitted') {
      if (updateChangesNothing(document.ydoc, update)) return true
      log.warn(`${document.name}: refused an update from ${connection.context.user?.id}: the document is submitted`)
      return false
    }
    const role = roleOfConnection(connection)
    const userId = connection.context.user!.id
    const verdict = allowsUpdate(this.guard, document, update, connection, userId, role)
    if (verdict !== true) log.warn(`${document.name}: refused an update from ${userId} (${role}): ${verdict}`)
    return verdict === true
  }

  /** People appear under their account's name and colour, whatever their browser claims. */
  transformAwareness({ state, connection }: { state: AwarenessState; connection: Connection }): AwarenessState {
    const user = connection.context.user
    if (!user || state === null) return state
    const role = roleOfConnection(connection)
    const account = { id: user.id, name: user.name, color: user.color }
    // Not an object (an array, a number): replaced by one, as a copy would be.
    if (typeof state !== 'object' || Array.isArray(state)) return { ...(state as object), user: account, role }
    // The state was just parsed from the message and belongs to no one else: rewritten in place
    // (copying both objects per caret move was a measurable part of a busy server's work).
    const claimed = state.user
    const identity = claimed !== null && typeof claimed === 'object' && !Array.isArray(claimed) ? (claimed as Record<string, unknown>) : {}
    identity.id = account.id
    identity.name = account.name
    identity.color = account.color
    state.user = identity
    state.role = role
    return state
  }
}

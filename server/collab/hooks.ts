import type { IncomingMessage } from 'node:http'
import type { CollabDocument } from './CollabDocument'
import type { Connection } from './Connection'
import type { AwarenessState } from './applyAwareness'
import type { UpdateScan } from './updateScan'

/** Who is on the other end of a connection, as established by the authentication hooks. */
export interface ConnectionContext {
  user: { id: string; name: string; color: string } | null
  /** The sign-in session the connection was opened with: ending it closes the connection. */
  sessionId?: string
  [key: string]: unknown
}

/** Thrown by a hook to refuse a connection; `status` is the HTTP status of the refused upgrade. */
export class RejectConnection extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
    this.name = 'RejectConnection'
  }
}

/**
 * Extension points of the sync server, in the manner of Hocuspocus: features (persistence,
 * accounts, permissions) plug in here instead of being special-cased in the core.
 * Every hook is optional; extensions run in the order given.
 */
export interface CollabExtension {
  /** Before the WebSocket upgrade, before any document data is sent. Throw RejectConnection to refuse. */
  onAuthenticate?(args: { request: IncomingMessage; documentName: string; context: ConnectionContext }): Promise<void> | void
  /** Fills a freshly created document. Throw to refuse loading; the connection is closed with the reason. */
  onLoadDocument?(args: { document: CollabDocument }): Promise<void>
  /** After every change to a loaded document, whatever its origin. Must be cheap: runs per keystroke. */
  onChange?(args: { document: CollabDocument; update: Uint8Array; origin: unknown }): void
  /**
   * Decides whether a connection's update may be applied. Return false to drop it; the client is
   * then resynced. Synchronous so that updates keep their order. `scan` is what one read of the bytes
   * told against the document as it is now (updateScan.ts), null when it could not tell.
   */
  beforeApplyUpdate?(args: { document: CollabDocument; update: Uint8Array; connection: Connection; scan?: UpdateScan | null }): boolean
  /**
   * Rewrites each awareness state a connection sends before it is stored (e.g. names from the
   * account); null = the client left. The state is freshly parsed from the message: it may be changed in place.
   */
  transformAwareness?(args: { state: AwarenessState; connection: Connection }): AwarenessState
  /** When a document unloads or the server shuts down: make everything durable. */
  onStoreDocument?(args: { document: CollabDocument }): Promise<void>
  /** After a document is unloaded and destroyed. */
  afterUnloadDocument?(args: { documentName: string }): Promise<void> | void
  /**
   * A connection came for a document another live process owns (it was closed with Moved): the
   * balancer sends this document here now, so the owner may be asked to hand it over.
   */
  onOwnedElsewhere?(args: { documentName: string; owner: string }): void
  onConnect?(args: { document: CollabDocument; connection: Connection }): void
  onDisconnect?(args: { document: CollabDocument; connection: Connection }): void
}

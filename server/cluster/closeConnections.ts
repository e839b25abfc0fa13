import { CloseCode } from '../../shared/closeCodes'
import type { CollabServer } from '../collab/CollabServer'
import type pg from 'pg'
import type { CollabExtension, ConnectionContext } from '../collab/hooks'
import type { Catalog } from '../storage/Catalog'
import { componentLogger, INSTANCE_ID } from '../logger'
import { InProcessEventBus, type ClusterEvent, type EventBus } from './events'
import { PgEventBus } from './PgEventBus'

/**
 * What an event means for this process's sockets: whichever process the change happened on, every
 * process closes its own connections that it concerns, each with the code that tells the client why.
 */
export function closeConnectionsFor(collab: CollabServer, event: ClusterEvent, handOverAfterMs = HAND_OVER_AFTER_MS): void {
  switch (event.type) {
    case 'sessions-ended':
      if (event.reason === 'signed-out') collab.disconnectSessions(event.sessionIds, CloseCode.SessionEnded, 'signed out')
      else if (event.reason === 'password-reset') collab.disconnectUserEverywhere(event.userId, CloseCode.SessionEnded, 'password reset')
      else collab.disconnectUserEverywhere(event.userId, CloseCode.AccountDisabled, 'account disabled')
      break
    case 'member-changed':
      if (event.change === 'role') collab.disconnectUser(event.documentId, event.userId, CloseCode.RoleChanged, 'role changed')
      else collab.disconnectUser(event.documentId, event.userId, CloseCode.AccessRevoked, 'access revoked')
      break
    case 'document-deleted':
      // The process that deleted it has evicted it already; another one only closes what it holds.
      collab.disconnectDocument(event.documentId, CloseCode.DocumentDeleted, 'document deleted')
      break
    case 'document-submitted':
      collab.disconnectDocument(event.documentId, CloseCode.RoleChanged, 'document submitted')
      break
    case 'document-reopened':
      for (const userId of event.userIds) collab.disconnectUser(event.documentId, userId, CloseCode.RoleChanged, 'document reopened')
      break
    case 'document-wanted':
      // The asking process is where the balancer sends the document now (e.g. it came back after a
      // crash): hand it over, unless it only just came here (see CollabServer.handOver).
      // The asker itself has no loaded copy (its load was refused), so this is a no-op there.
      collab.handOver(event.documentId, handOverAfterMs, event.by)
      break
  }
}

/** A document is handed over only after it has been served here this long (no ping-pong without a balancer). */
export const HAND_OVER_AFTER_MS = 10_000

/** How often one process asks for the same document while its clients keep being sent away. */
const ASK_EVERY_MS = 1_000

/**
 * Asks the owner to hand a document over when connections for it keep arriving here: without this,
 * a process back from a crash sent every new client of its documents away (Moved) for as long as the
 * interim owner kept any client of its own, since the balancer routes them all here again.
 */
export class HandOverRequests implements CollabExtension {
  private readonly asked = new Map<string, number>()

  constructor(
    private readonly publish: (event: ClusterEvent) => Promise<void>,
    /** This process, named in the request (logs). */
    private readonly instanceId: string,
  ) {}

  onOwnedElsewhere({ documentName }: { documentName: string }): void {
    const now = Date.now()
    if (now - (this.asked.get(documentName) ?? -Infinity) < ASK_EVERY_MS) return
    // Deleted first so the map stays in the order of asking: the expired entries are at its front.
    this.asked.delete(documentName)
    this.asked.set(documentName, now)
    for (const [name, at] of this.asked) {
      if (now - at < ASK_EVERY_MS) break
      this.asked.delete(name)
    }
    void this.publish({ type: 'document-wanted', documentId: documentName, by: this.instanceId })
  }
}

/** Why an open connection must close now (see Permissions.recheck), or null. */
export type ConnectionCheck = (documentName: string, context: ConnectionContext) => Promise<{ code: number; reason: string } | null>

/**
 * Checks every open connection again and closes the ones the facts no longer allow: after this
 * process was deaf to the other processes' events for a while. Returns how many were closed.
 */
export async function recheckConnections(collab: CollabServer, check: ConnectionCheck): Promise<number> {
  let closed = 0
  for (const connection of collab.openConnections()) {
    const name = connection.attachedDocument?.name
    if (!name || connection.closed) continue
    const verdict = await check(name, connection.context)
    if (verdict && !connection.closed) {
      connection.close(verdict.code, verdict.reason)
      closed++
    }
  }
  return closed
}

/** A bus that reaches this process only, already closing its connections (single-process use, tests). */
export function localEventBus(collab: CollabServer): EventBus {
  const log = componentLogger('events')
  const bus = new InProcessEventBus((error, event) => log.error({ err: error, event: event.type }, 'an event listener failed'))
  bus.subscribe((event) => closeConnectionsFor(collab, event))
  return bus
}

/** Where the bus of this process runs and what it does when it was deaf for a while. */
export interface EventBusOptions {
  /** PostgreSQL, when the repositories are there; without both, the bus is this process alone. */
  databaseUrl?: string
  pool?: pg.Pool
  catalog: Catalog
  /** Checks one open connection again after the bus was deaf (Permissions.recheck). */
  check: ConnectionCheck
  /** First reconnect delay of the LISTEN connection (tests shorten it). */
  firstReconnectMs?: number
  handOverAfterMs?: number
  /** This process on the bus: its own notifications come back and are skipped. Default: INSTANCE_ID. */
  instanceId?: string
}

/**
 * The bus of this process: PostgreSQL LISTEN/NOTIFY when the repositories are in PostgreSQL (several
 * processes may share them), this process alone otherwise. Either way it closes this process's sockets.
 */
export async function openEventBus(collab: CollabServer, options: EventBusOptions): Promise<EventBus> {
  const { databaseUrl, pool, catalog, check, firstReconnectMs, handOverAfterMs, instanceId = INSTANCE_ID } = options
  if (!databaseUrl || !pool) return localEventBus(collab)
  const log = componentLogger('events')
  // Listening again after a loss: whatever was published meanwhile is lost, so every open
  // connection is checked against the database (the catalog read again first).
  const listeningAgain = async () => {
    await catalog.reloadAll?.()
    const closed = await recheckConnections(collab, check)
    log.info({ closed }, 'listening again: open connections checked against the database')
  }
  const bus = await PgEventBus.start({
    connectionString: databaseUrl,
    pool,
    instanceId,
    firstReconnectMs,
    onListeningAgain: () => void listeningAgain().catch((error: Error) => log.error({ err: error }, 'checking the open connections again failed')),
  })
  bus.subscribe((event) => closeConnectionsFor(collab, event, handOverAfterMs))
  return bus
}

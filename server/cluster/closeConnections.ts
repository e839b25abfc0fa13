import { CloseCode } from '../../shared/closeCodes'
import type { CollabServer } from '../collab/CollabServer'
import type pg from 'pg'
import { componentLogger, INSTANCE_ID } from '../logger'
import { InProcessEventBus, type ClusterEvent, type EventBus } from './events'
import { PgEventBus } from './PgEventBus'

/**
 * What an event means for this process's sockets: whichever process the change happened on, every
 * process closes its own connections that it concerns, each with the code that tells the client why.
 */
export function closeConnectionsFor(collab: CollabServer, event: ClusterEvent): void {
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
  }
}

/** A bus that reaches this process only, already closing its connections (single-process use, tests). */
export function localEventBus(collab: CollabServer): EventBus {
  const log = componentLogger('events')
  const bus = new InProcessEventBus((error, event) => log.error({ err: error, event: event.type }, 'an event listener failed'))
  bus.subscribe((event) => closeConnectionsFor(collab, event))
  return bus
}

/**
 * The bus of this process: PostgreSQL LISTEN/NOTIFY when the repositories are in PostgreSQL (several
 * processes may share them), this process alone otherwise. Either way it closes this process's sockets.
 */
export async function openEventBus(collab: CollabServer, databaseUrl: string | undefined, pool: pg.Pool | undefined): Promise<EventBus> {
  if (!databaseUrl || !pool) return localEventBus(collab)
  const bus = await PgEventBus.start({ connectionString: databaseUrl, pool, instanceId: INSTANCE_ID })
  bus.subscribe((event) => closeConnectionsFor(collab, event))
  return bus
}

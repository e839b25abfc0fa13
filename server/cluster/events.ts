import type { SessionEndReason } from '../accounts/AccountStore'

/**
 * What one server process must tell the others: changes after which sockets held anywhere must close
 * (a sign-out, a reset password or a disabled account, a changed role, a removed share, a deleted,
 * submitted or reopened document), and requests to hand a document over. Each names the cause, not the sockets: every process decides
 * which of its own connections it concerns (see closeConnections.ts).
 */
export type ClusterEvent =
  | { type: 'sessions-ended'; userId: string; sessionIds: string[]; reason: SessionEndReason }
  | { type: 'member-changed'; documentId: string; userId: string; change: 'role' | 'removed' }
  | { type: 'document-deleted'; documentId: string }
  | { type: 'document-submitted'; documentId: string }
  | { type: 'document-reopened'; documentId: string; userIds: string[] }
  /** `by` got connections for a document another process owns (the balancer sends it there now). */
  | { type: 'document-wanted'; documentId: string; by: string }

export type ClusterEventListener = (event: ClusterEvent) => void

/**
 * Delivers events to every process of the cluster, this one included. The process that publishes
 * sees its own event at once (synchronously, before publish resolves), so a single process behaves
 * exactly as it did before there was a bus; the others receive it as soon as the transport delivers.
 */
export interface EventBus {
  publish(event: ClusterEvent): Promise<void>
  subscribe(listener: ClusterEventListener): () => void
  close(): Promise<void>
}

/** Calls every listener; one that throws must not keep the event from the others. */
export class Listeners {
  private readonly listeners = new Set<ClusterEventListener>()
  constructor(private readonly onError: (error: unknown, event: ClusterEvent) => void) {}

  add(listener: ClusterEventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  deliver(event: ClusterEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch (error) {
        this.onError(error, event)
      }
    }
  }
}

/** The embedded backend's bus: one process, so publishing is delivering. */
export class InProcessEventBus implements EventBus {
  private readonly listeners: Listeners

  constructor(onError: (error: unknown, event: ClusterEvent) => void) {
    this.listeners = new Listeners(onError)
  }

  publish(event: ClusterEvent): Promise<void> {
    this.listeners.deliver(event)
    return Promise.resolve()
  }

  subscribe(listener: ClusterEventListener): () => void {
    return this.listeners.add(listener)
  }

  close(): Promise<void> {
    return Promise.resolve()
  }
}

import pg from 'pg'
import { componentLogger } from '../logger'
import { Listeners, type ClusterEvent, type ClusterEventListener, type EventBus } from './events'

const log = componentLogger('events')

/** The LISTEN/NOTIFY channel every Huigao process of one database shares. */
export const EVENT_CHANNEL = 'huigao_events'
/** NOTIFY payloads must be shorter than 8000 bytes; long lists of sessions are sent in parts. */
const MAX_PAYLOAD_BYTES = 7_000
const RECONNECT_DELAYS_MS = [250, 500, 1_000, 2_000, 5_000]

interface Envelope {
  /** The publishing process, which has delivered the event to itself already. */
  origin: string
  event: ClusterEvent
}

export interface PgEventBusOptions {
  /** Where to LISTEN: one dedicated connection, reopened when lost. */
  connectionString: string
  /** Where to NOTIFY from (any connection will do, so the shared pool). */
  pool: pg.Pool
  /** This process (see INSTANCE_ID); its own notifications come back and are skipped. */
  instanceId: string
  /** Wait before the first attempt to listen again after a loss (default 250 ms; then 500 ms … 5 s). */
  firstReconnectMs?: number
  /** Listening again after a loss: what was published meanwhile did not arrive (see recheckConnections). */
  onListeningAgain?: () => void
}

/**
 * Cross-process events over PostgreSQL LISTEN/NOTIFY: no other service to run, and a notification
 * sent after a commit is delivered to every listening connection of the database, in order.
 * A process that loses its listening connection reconnects; what was published meanwhile does not
 * reach it (NOTIFY keeps nothing for absent listeners), which is why everything an event stands for
 * is also in the database, read when a connection is opened.
 */
export class PgEventBus implements EventBus {
  private readonly listeners = new Listeners((error, event) => log.error({ err: error, event: event.type }, 'an event listener failed'))
  private client: pg.Client | null = null
  private closed = false
  private reconnectTimer: NodeJS.Timeout | null = null
  private failures = 0

  private constructor(private readonly options: PgEventBusOptions) {}

  /** Resolves once listening, so that nothing published after start is missed. */
  static async start(options: PgEventBusOptions): Promise<PgEventBus> {
    const bus = new PgEventBus(options)
    await bus.listen()
    return bus
  }

  async publish(event: ClusterEvent): Promise<void> {
    this.listeners.deliver(event)
    // A failed NOTIFY does not undo what happened here (it is committed); the other processes miss
    // the event, so it is logged loudly rather than turned into a failed request.
    try {
      for (const part of splitEvent(event)) {
        const payload = JSON.stringify({ origin: this.options.instanceId, event: part } satisfies Envelope)
        await this.options.pool.query('SELECT pg_notify($1, $2)', [EVENT_CHANNEL, payload])
      }
    } catch (error) {
      log.error({ err: error, event: event.type }, 'cannot tell the other processes about an event')
    }
  }

  subscribe(listener: ClusterEventListener): () => void {
    return this.listeners.add(listener)
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    const client = this.client
    this.client = null
    await client?.end().catch(() => undefined)
  }

  /** Whether the listening connection is up (readiness). */
  get listening(): boolean {
    return this.client !== null
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.connectionString, application_name: 'huigao-events' })
    client.on('error', (error) => this.lost(client, error))
    client.on('end', () => this.lost(client, new Error('connection ended')))
    client.on('notification', (message) => {
      if (message.channel === EVENT_CHANNEL && message.payload) this.receive(message.payload)
    })
    try {
      await client.connect()
      await client.query(`LISTEN ${EVENT_CHANNEL}`)
    } catch (error) {
      await client.end().catch(() => undefined)
      throw error
    }
    if (this.closed) return void (await client.end().catch(() => undefined))
    this.client = client
    const again = this.failures > 0
    this.failures = 0
    if (again) {
      log.info('listening for events again')
      this.options.onListeningAgain?.()
    }
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.closed || this.client !== client) return
    this.client = null
    log.error({ err: error }, 'lost the event connection; reconnecting')
    void client.end().catch(() => undefined)
    this.scheduleReconnect()
  }

  private scheduleReconnect(): void {
    const delay = this.failures === 0 && this.options.firstReconnectMs !== undefined ? this.options.firstReconnectMs : RECONNECT_DELAYS_MS[Math.min(this.failures, RECONNECT_DELAYS_MS.length - 1)]
    this.failures++
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null
      if (this.closed) return
      this.listen().catch((error: Error) => {
        log.error({ err: error }, 'cannot listen for events')
        this.scheduleReconnect()
      })
    }, delay)
    this.reconnectTimer.unref()
  }

  private receive(payload: string): void {
    let envelope: Envelope
    try {
      envelope = JSON.parse(payload) as Envelope
    } catch {
      return log.error({ payload: payload.slice(0, 200) }, 'an event that is not JSON was ignored')
    }
    if (envelope.origin === this.options.instanceId) return
    if (!isClusterEvent(envelope.event)) return log.error({ payload: payload.slice(0, 200) }, 'an unknown event was ignored')
    this.listeners.deliver(envelope.event)
  }
}

/** Sign-outs of many sessions at once (a reset password) become several events of fewer sessions. */
export function splitEvent(event: ClusterEvent): ClusterEvent[] {
  if (Buffer.byteLength(JSON.stringify(event)) <= MAX_PAYLOAD_BYTES) return [event]
  if (event.type !== 'sessions-ended' && event.type !== 'document-reopened') throw new Error(`event ${event.type} is too large to send`)
  const ids = event.type === 'sessions-ended' ? event.sessionIds : event.userIds
  if (ids.length < 2) throw new Error(`event ${event.type} is too large to send`)
  const half = Math.ceil(ids.length / 2)
  const parts =
    event.type === 'sessions-ended'
      ? [{ ...event, sessionIds: ids.slice(0, half) }, { ...event, sessionIds: ids.slice(half) }]
      : [{ ...event, userIds: ids.slice(0, half) }, { ...event, userIds: ids.slice(half) }]
  return parts.flatMap(splitEvent)
}

const isString = (value: unknown): value is string => typeof value === 'string'
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString)

/** Notifications come from whoever can connect to the database: only well-formed events are delivered. */
export function isClusterEvent(value: unknown): value is ClusterEvent {
  if (typeof value !== 'object' || value === null) return false
  const event = value as Record<string, unknown>
  switch (event.type) {
    case 'sessions-ended':
      return isString(event.userId) && isStrings(event.sessionIds) && ['signed-out', 'password-reset', 'disabled'].includes(event.reason as string)
    case 'member-changed':
      return isString(event.documentId) && isString(event.userId) && (event.change === 'role' || event.change === 'removed')
    case 'document-deleted':
    case 'document-submitted':
      return isString(event.documentId)
    case 'document-reopened':
      return isString(event.documentId) && isStrings(event.userIds)
    case 'document-wanted':
      return isString(event.documentId) && isString(event.by)
    default:
      return false
  }
}

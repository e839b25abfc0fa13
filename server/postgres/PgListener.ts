import pg from 'pg'

const RECONNECT_MS = 1_000

export interface Channel {
  /** A notice on the channel (payload as sent). */
  onMessage(payload: string): void
  /**
   * After the connection was lost and is back: notices sent meanwhile were missed, so whatever they
   * would have refreshed must be read again.
   */
  onReconnected(): Promise<void> | void
}

/**
 * One LISTEN connection per process for the repositories' change notices (PostgreSQL delivers a
 * NOTIFY only after its transaction commits). When the connection breaks, it connects again every
 * second until it can, listens on every channel again, then tells each channel it may have missed
 * notices.
 */
export class PgListener {
  private client: pg.Client | undefined
  private readonly channels = new Map<string, Channel>()
  private closed = false
  private reconnectTimer: NodeJS.Timeout | undefined

  constructor(private readonly databaseUrl: string) {}

  /** Listens on `name`; resolves once listening (notices from then on are delivered). */
  async listen(name: string, channel: Channel): Promise<void> {
    if (!/^[a-z_]+$/.test(name)) throw new Error(`bad channel name ${name}`)
    this.channels.set(name, channel)
    if (!this.client) await this.connect()
    else await this.client.query(`LISTEN ${name}`)
  }

  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.reconnectTimer)
    const client = this.client
    this.client = undefined
    await client?.end().catch(() => undefined)
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: `huigao:${process.pid}:listen` })
    client.on('notification', (message) => {
      if (message.payload !== undefined) this.channels.get(message.channel)?.onMessage(message.payload)
    })
    client.on('error', (error) => this.lost(client, error))
    client.on('end', () => this.lost(client, new Error('connection ended')))
    try {
      await client.connect()
      for (const name of this.channels.keys()) await client.query(`LISTEN ${name}`)
      this.client = client
    } catch (error) {
      await client.end().catch(() => undefined)
      throw error
    }
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.closed || this.client !== client) return
    this.client = undefined
    console.error(`[postgres] lost the notification connection (${error.message}); listening again`)
    client.end().catch(() => undefined)
    const retry = () => {
      this.reconnectTimer = undefined
      if (this.closed) return
      this.connect()
        .then(() => Promise.all([...this.channels.values()].map((channel) => channel.onReconnected())))
        .catch((reason: Error) => {
          console.error(`[postgres] cannot listen again: ${reason.message}`)
          if (this.client) return
          this.reconnectTimer = setTimeout(retry, RECONNECT_MS)
          this.reconnectTimer.unref()
        })
    }
    this.reconnectTimer = setTimeout(retry, RECONNECT_MS)
    this.reconnectTimer.unref()
  }
}

/**
 * The typing load shared by W1, W2, W3, W5 and W6: lightweight clients on a set of documents, some
 * of them writers typing at a fixed rate, all of them observers; plus a few stock full clients.
 *
 * Accounting: writer w's keystroke s records its send time; every observer on the same document
 * (other than w) must receive marker (w, s) exactly once. Latency = receive time − send time on the
 * load generator's clock. The first time anyone else sees (w, s) is its acknowledgement time (W6).
 */
import { FullClient, LiteClient, type Target } from '../lib/clients'
import { markersIn } from '../lib/protocol'
import { Samples } from '../lib/stats'
import { mapLimit, rng, sleep, waitUntil } from '../lib/util'

export interface TypingConfig {
  docs: string[]
  clientsPerDoc: number
  /** The first `writersPerDoc` clients of each document type. */
  writersPerDoc: number
  /** Keystrokes per second per writer. */
  ratePerWriter: number
  /** A writer also sends an awareness (caret) update every this many keystrokes; 0 = never. */
  awarenessEvery: number
  /** Stock full clients are added to the first `fullDocs` documents, `fullPerDoc` each. */
  fullDocs: number
  fullPerDoc: number
  /** Upper bound of keystrokes per writer (sizes the bookkeeping arrays). */
  maxSeq: number
  connectConcurrency?: number
  seed?: number
  /** Clients reconnect when the server closes their connection (LiteOptions.reconnect). */
  reconnect?: boolean
}

/** y-protocols renews a client's awareness state every 15 s; the lite clients do the same. */
const AWARENESS_RENEW_MS = 15_000

export class TypingLoad {
  readonly lites: LiteClient[] = []
  readonly writers: LiteClient[] = []
  readonly fulls: Array<{ doc: number; client: FullClient }> = []
  latency = new Samples()
  /** Per writer: send time of each seq (0 = not sent). */
  readonly sendTimes: Float64Array[] = []
  /** Per writer: first time another client received each seq (0 = never). */
  readonly ackTimes: Float64Array[] = []
  readonly sent: Int32Array
  private readonly writerDoc: Int32Array
  private readonly writerLocal: Int32Array
  /** Per observer: receipt counts, writersPerDoc × maxSeq. */
  private readonly counts = new Map<LiteClient, Uint8Array>()
  private readonly observersOnDoc: number[]
  unique = 0
  duplicates = 0
  strays = 0
  /** Only sends after this time count towards latency (set by startTyping). */
  private measureFrom = Infinity
  private timers: NodeJS.Timeout[] = []
  private renewTimers: NodeJS.Timeout[] = []
  typing = false
  private readonly random: () => number

  constructor(
    private readonly target: Target,
    readonly config: TypingConfig,
  ) {
    const writers = config.docs.length * config.writersPerDoc
    this.sent = new Int32Array(writers)
    this.writerDoc = new Int32Array(writers)
    this.writerLocal = new Int32Array(writers)
    this.observersOnDoc = config.docs.map(() => 0)
    this.random = rng(config.seed ?? 7)
    for (let w = 0; w < writers; w++) {
      this.sendTimes.push(new Float64Array(config.maxSeq))
      this.ackTimes.push(new Float64Array(config.maxSeq))
    }
  }

  /** Creates and connects every client; resolves when all are synced. */
  async connect(): Promise<void> {
    const { docs, clientsPerDoc, writersPerDoc, maxSeq } = this.config
    const plan: LiteClient[] = []
    let writer = 0
    docs.forEach((docName, d) => {
      for (let c = 0; c < clientsPerDoc; c++) {
        const isWriter = c < writersPerDoc
        const w = isWriter ? writer++ : undefined
        if (w !== undefined) {
          this.writerDoc[w] = d
          this.writerLocal[w] = c
        }
        const counts = new Uint8Array(writersPerDoc * maxSeq)
        const client: LiteClient = new LiteClient(this.target, {
          docName,
          writer: w,
          awareness: { user: { name: `u${d}-${c}`, color: '#30bced' } },
          onMarker: (mw, seq, now, inSync) => this.onMarker(client, d, counts, mw, seq, now, inSync),
          reconnect: this.config.reconnect,
        })
        this.counts.set(client, counts)
        this.observersOnDoc[d]++
        this.lites.push(client)
        if (w !== undefined) this.writers.push(client)
        plan.push(client)
      }
    })
    await mapLimit(plan, this.config.connectConcurrency ?? 50, async (client) => {
      await client.connect()
      await client.whenSynced()
    })
    for (let d = 0; d < Math.min(this.config.fullDocs, docs.length); d++) {
      for (let i = 0; i < this.config.fullPerDoc; i++) this.fulls.push({ doc: d, client: new FullClient(this.target, docs[d]) })
    }
    await Promise.all(this.fulls.map((f) => f.client.synced))
    // Awareness renewal, as y-protocols does for every client; phases spread over the period (real
    // clients joined at different times — a benchmark that joins them all at once must not renew them at once).
    for (const client of this.lites) {
      const renew = () => client.sendAwareness({ user: { name: client.docName }, renewed: Date.now() })
      const phase = setTimeout(() => {
        renew()
        const every = setInterval(renew, AWARENESS_RENEW_MS)
        every.unref()
        this.renewTimers.push(every)
      }, this.random() * AWARENESS_RENEW_MS)
      phase.unref()
      this.renewTimers.push(phase)
    }
  }

  /** Starts every writer typing at its rate, each with a random phase. */
  startTyping(): void {
    this.typing = true
    this.measureFrom = performance.now()
    const period = 1000 / this.config.ratePerWriter
    for (const client of this.writers) {
      const w = client.options.writer!
      const phase = setTimeout(() => {
        const tick = () => this.keystroke(client, w)
        tick()
        this.timers.push(setInterval(tick, period))
      }, this.random() * period)
      this.timers.push(phase)
    }
  }

  private keystroke(client: LiteClient, w: number): void {
    if (!this.typing || !client.isSynced) return
    const seq = client.seq
    if (seq >= this.config.maxSeq) return
    this.sendTimes[w][seq] = performance.now()
    client.type()
    this.sent[w] = seq + 1
    const every = this.config.awarenessEvery
    if (every > 0 && seq % every === 0) client.sendAwareness({ user: { name: `w${w}` }, cursor: { anchor: seq, head: seq } })
  }

  /** Starts a fresh latency sample set (for a phase of a run). */
  resetLatency(): void {
    this.latency = new Samples()
  }

  stopTyping(): void {
    this.typing = false
    for (const timer of this.timers) {
      clearTimeout(timer)
      clearInterval(timer)
    }
    this.timers = []
  }

  private onMarker(client: LiteClient, doc: number, counts: Uint8Array, w: number, seq: number, now: number, inSync: boolean): void {
    if (w === client.options.writer) return
    if (w >= this.sent.length || this.writerDoc[w] !== doc || seq >= this.config.maxSeq) {
      this.strays++
      return
    }
    const sentAt = this.sendTimes[w][seq]
    if (sentAt === 0) return // from before this run (a resync of older content)
    if (this.ackTimes[w][seq] === 0) this.ackTimes[w][seq] = now
    const index = this.writerLocal[w] * this.config.maxSeq + seq
    const before = counts[index]
    if (before < 255) counts[index] = before + 1
    if (before === 0) {
      this.unique++
      if (sentAt >= this.measureFrom && !inSync) this.latency.add(now - sentAt)
    } else if (!inSync) {
      this.duplicates++
    }
  }

  get totalSent(): number {
    let total = 0
    for (const n of this.sent) total += n
    return total
  }

  /** Receipts expected so far: every keystroke by every other client on its document. */
  get expected(): number {
    let total = 0
    for (let w = 0; w < this.sent.length; w++) total += this.sent[w] * (this.observersOnDoc[this.writerDoc[w]] - 1)
    return total
  }

  updatesIn(): number {
    let total = 0
    for (const client of this.lites) total += client.updatesIn
    return total
  }

  /** Waits until every expected receipt arrived (or `timeoutMs`); returns how many are missing. */
  async drain(timeoutMs: number): Promise<number> {
    await waitUntil(() => this.unique >= this.expected, timeoutMs, 25)
    return this.expected - this.unique
  }

  /**
   * Checks the full clients' final text: every writer's keystrokes on that document exactly once.
   * Returns the number of full clients whose text is wrong (after waiting up to `timeoutMs`).
   */
  async verifyFullClients(timeoutMs: number): Promise<{ checked: number; wrong: number; detail: string }> {
    const problems = (f: { doc: number; client: FullClient }): string | null => {
      const seen = new Map<string, number>()
      for (const [w, s] of markersIn(f.client.text())) seen.set(`${w}.${s}`, (seen.get(`${w}.${s}`) ?? 0) + 1)
      let missing = 0
      let dup = 0
      for (let w = 0; w < this.sent.length; w++) {
        if (this.writerDoc[w] !== f.doc) continue
        for (let s = 0; s < this.sent[w]; s++) {
          const n = seen.get(`${w}.${s}`) ?? 0
          if (n === 0) missing++
          if (n > 1) dup++
        }
      }
      return missing || dup ? `doc ${f.doc}: ${missing} missing, ${dup} duplicated` : null
    }
    await waitUntil(() => this.fulls.every((f) => problems(f) === null), timeoutMs, 100)
    const wrong = this.fulls.map(problems).filter((p): p is string => p !== null)
    return { checked: this.fulls.length, wrong: wrong.length, detail: wrong.slice(0, 3).join('; ') }
  }

  async close(): Promise<void> {
    this.stopTyping()
    for (const timer of this.renewTimers) {
      clearTimeout(timer)
      clearInterval(timer)
    }
    for (const client of this.lites) client.destroy()
    for (const f of this.fulls) f.client.destroy()
    await sleep(50)
  }
}

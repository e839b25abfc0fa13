import { constants as fsConstants } from 'node:fs'
import fs from 'node:fs/promises'
import { CorruptFileError } from './errors'
import { LOAD_SLICE_MS, yieldToEventLoop } from './applyStored'
import { encodeFrame, FrameList, readFramesInSlices } from './frames'
import { replaceFile } from './durable'
import type { Journal, JournalBatch, Journaled } from './Journal'

export interface UpdateLogOptions {
  /** Longest time an appended update waits before it is written and fsynced. */
  flushIntervalMs: number
  /** Called when a background flush fails; the update stays queued and is retried. */
  onError?: (error: unknown) => void
  /**
   * The group commit of all documents (Journal.ts): the clock's ticks write this log's updates there,
   * in one write with every other document's, and this file gets them on flush(), compaction, close or
   * the journal's checkpoint. Without it, each tick writes this file.
   */
  journal?: { journal: Journal; documentId: string }
}

export interface ReplayResult {
  updates: Uint8Array[]
  /** Bytes after the last complete frame: a write cut short by a crash, now discarded. */
  tornBytes: number
}

export interface ReplayFramesResult {
  frames: FrameList
  tornBytes: number
}

/**
 * The group commit's clock, shared by every log with the same interval: one timer for all the
 * documents being edited (a server with thousands of busy documents ran thousands of timers, each
 * firing ten times a second), and their writes go out together, one after another, at each tick.
 */
class FlushClock {
  private static readonly clocks = new Map<number, FlushClock>()
  private due = new Set<UpdateLog>()
  private timer: NodeJS.Timeout | null = null

  private constructor(private readonly intervalMs: number) {}

  static every(intervalMs: number): FlushClock {
    let clock = FlushClock.clocks.get(intervalMs)
    if (!clock) FlushClock.clocks.set(intervalMs, (clock = new FlushClock(intervalMs)))
    return clock
  }

  schedule(log: UpdateLog): void {
    this.due.add(log)
    this.timer ??= setTimeout(this.tick, this.intervalMs)
  }

  cancel(log: UpdateLog): void {
    this.due.delete(log)
  }

  private readonly tick = () => {
    this.timer = null
    const due = this.due
    this.due = new Set()
    for (const log of due) log.flushOnTick()
  }
}

/**
 * An append-only log of Yjs updates with group commit: appends are buffered and written with one
 * write per interval (the file is opened with O_DSYNC: the write returns once its data is on disk,
 * the same as write + fdatasync in one call), so durability costs one synchronous write per interval
 * rather than per keystroke. Frames as in ./frames.ts (length, crc32, payload).
 */
export class UpdateLog implements Journaled {
  private pending: Buffer[] = []
  private pendingBytes = 0
  /** Durable in the journal, not yet in this file. */
  private journaled: Buffer[] = []
  private journaledBytes = 0
  /** Taken by the journal's write in flight. */
  private inJournal: JournalBatch | null = null
  /** Waiting for the flush clock's next tick. */
  private scheduled = false
  private readonly clock: FlushClock
  private queue: Promise<unknown> = Promise.resolve()
  private handle: fs.FileHandle | null = null
  private bytesOnDisk = 0
  /** Set by remove() and abandon(): nothing may write the file again. */
  private removed = false
  /** Set when close() could not write everything (see close). */
  private failedClose = false

  constructor(
    readonly file: string,
    private readonly options: UpdateLogOptions,
  ) {
    this.clock = FlushClock.every(options.flushIntervalMs)
  }

  /** Bytes in the log, written or queued; compaction is triggered from this. */
  get size(): number {
    return this.bytesOnDisk + this.journaledBytes + (this.inJournal?.bytes ?? 0) + this.pendingBytes
  }

  get documentId(): string {
    return this.options.journal?.documentId ?? this.file
  }

  /**
   * Reads every complete frame. A torn final frame (the process died mid-write: the file ends inside
   * it) is cut off and kept aside in a `.torn` file; any other damage (see readFrames) throws and
   * leaves the file untouched.
   */
  async replay(): Promise<ReplayResult> {
    const { frames, tornBytes } = await this.replayFrames()
    return { updates: frames.slice(), tornBytes }
  }

  /** replay(), with the updates left in the buffer read until they are applied (see FrameList). */
  async replayFrames(): Promise<ReplayFramesResult> {
    let data: Buffer
    try {
      data = await fs.readFile(this.file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { frames: FrameList.EMPTY, tornBytes: 0 }
      throw new CorruptFileError(this.file, String(error))
    }
    // Checked in slices: a crash can leave hundreds of thousands of frames, tens of milliseconds of checksums.
    const { frames, validBytes, corruptAt } = await readFramesInSlices(data, { sliceMs: LOAD_SLICE_MS, pause: yieldToEventLoop })
    if (corruptAt !== null) {
      throw new CorruptFileError(this.file, `damaged frame at byte ${corruptAt} of ${data.length} (bad checksum or length, not a torn tail); the file is left as it is`)
    }
    const tornBytes = data.length - validBytes
    if (tornBytes > 0) {
      await fs.writeFile(`${this.file}.torn-${Date.now()}`, data.subarray(validBytes))
      await fs.truncate(this.file, validBytes)
    }
    this.bytesOnDisk = validBytes
    return { frames, tornBytes }
  }

  append(update: Uint8Array): void {
    if (this.removed) return
    const frame = encodeFrame(update)
    this.pending.push(frame)
    this.pendingBytes += frame.length
    if (!this.scheduled) this.schedule()
  }

  private schedule(): void {
    this.scheduled = true
    if (this.options.journal) this.options.journal.journal.schedule(this)
    else this.clock.schedule(this)
  }

  /** The journal's tick: what is queued goes into its write (see Journal). */
  takeForJournal(): JournalBatch | null {
    this.scheduled = false
    if (this.removed || this.pending.length === 0) return null
    // (The journal writes one tick at a time, so its previous batch has settled; if not, the next tick takes this one.)
    if (this.inJournal) {
      this.schedule()
      return null
    }
    const batch = { frames: this.pending, bytes: this.pendingBytes }
    this.pending = []
    this.pendingBytes = 0
    this.inJournal = batch
    return batch
  }

  journalWritten(ok: boolean): void {
    const batch = this.inJournal
    this.inJournal = null
    if (!batch || this.removed) return
    if (ok) {
      this.journaled.push(...batch.frames)
      this.journaledBytes += batch.bytes
      return
    }
    // Ahead of anything appended meanwhile, in order; the next tick retries them.
    this.pending = batch.frames.concat(this.pending)
    this.pendingBytes += batch.bytes
    if (!this.scheduled) this.schedule()
  }

  /** The flush clock's tick (see FlushClock). */
  flushOnTick(): void {
    this.scheduled = false
    this.flush().catch((error) => this.options.onError?.(error))
  }

  private unschedule(): void {
    if (!this.scheduled) return
    this.scheduled = false
    if (this.options.journal) this.options.journal.journal.cancel(this)
    else this.clock.cancel(this)
  }

  /** Writes and fsyncs everything appended so far (journaled or not) to this file. */
  flush(): Promise<void> {
    return this.flushedLength().then(() => undefined)
  }

  /**
   * Flushes, then returns the length of the log on disk at that point: every frame before it is
   * durable, and it stays a frame boundary, so a compaction can read exactly that prefix.
   */
  flushedLength(): Promise<number> {
    this.unschedule()
    return this.enqueue(async () => {
      await this.writePending()
      return this.bytesOnDisk
    })
  }

  /**
   * Removes the first `length` bytes (a prefix some compaction folded into the state file). Frames
   * written after it are kept: copied to `<log>.tmp`, fsynced and renamed over the log, so a crash
   * leaves either the old log or the new one. Queued appends stay queued and follow them.
   */
  dropPrefix(length: number): Promise<void> {
    return this.enqueue(async () => {
      if (this.removed || length <= 0) return
      if (length > this.bytesOnDisk) throw new Error(`cannot drop ${length} bytes of a ${this.bytesOnDisk}-byte log`)
      const handle = await this.open()
      if (length === this.bytesOnDisk) {
        await handle.truncate(0)
        await handle.datasync()
        this.bytesOnDisk = 0
        return
      }
      const rest = Buffer.allocUnsafe(this.bytesOnDisk - length)
      await handle.read(rest, 0, rest.length, length)
      await handle.close()
      this.handle = null
      await replaceFile(this.file, [rest])
      this.bytesOnDisk = rest.length
    })
  }

  /**
   * Writes everything to the file and closes it. When that last write fails, nothing writes the file
   * through this instance again (a new instance may have the file then, and would be overwritten at a
   * stale offset) except retryClose, which DocumentStore runs before the document is opened anew: its
   * journaled updates stay in the journal, whose checkpoints fail and keep it, until that or the next
   * start folds them in.
   */
  async close(): Promise<void> {
    try {
      await this.flush()
    } catch (error) {
      this.failedClose = true
      throw error
    }
    await this.enqueue(async () => {
      await this.handle?.close()
      this.handle = null
    })
  }

  /**
   * After a failed close, writes and closes again: the document is being opened anew, and a new
   * instance must not read the file before the journaled updates this one holds are in it.
   */
  async retryClose(): Promise<void> {
    this.failedClose = false
    await this.close()
  }

  /** Removes the log from disk, dropping anything queued; later appends and flushes do nothing. */
  async remove(): Promise<void> {
    await this.stop(() => fs.rm(this.file, { force: true }))
  }

  /** Stops writing, keeping the file as it is: drops what is queued and returns how many updates that was. */
  abandon(): Promise<number> {
    return this.stop(async () => undefined)
  }

  /** Drops what is queued, stops every later write, closes the file, then runs `after`. */
  private async stop(after: () => Promise<unknown>): Promise<number> {
    const dropped = this.pending.length + (this.inJournal?.frames.length ?? 0)
    this.removed = true
    this.unschedule()
    this.pending = []
    this.pendingBytes = 0
    this.journaled = []
    this.journaledBytes = 0
    await this.enqueue(async () => {
      await this.handle?.close()
      this.handle = null
      await after()
    })
    return dropped
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task)
    // Later tasks run even if this one failed; its caller sees the failure.
    this.queue = run.catch(() => undefined)
    return run
  }

  private async writePending(): Promise<void> {
    // A journal write in flight holds frames older than those queued: it settles first.
    while (this.inJournal) await this.options.journal!.journal.settled()
    if ((this.pending.length === 0 && this.journaled.length === 0) || this.removed) return
    if (this.failedClose) throw new Error(`${this.file} is closed: ${this.journaled.length} journaled update(s) stay in the journal until the document is opened again or the next start`)
    const journaled = this.journaled
    const journaledBytes = this.journaledBytes
    const frames = this.pending
    const bytes = this.pendingBytes
    this.journaled = []
    this.journaledBytes = 0
    this.pending = []
    this.pendingBytes = 0
    try {
      await this.writeAtEnd(journaled.length > 0 ? journaled.concat(frames) : frames, journaledBytes + bytes)
    } catch (error) {
      // Keep the frames, in order, ahead of anything appended meanwhile, so the next flush retries them.
      this.journaled = journaled.concat(this.journaled)
      this.journaledBytes += journaledBytes
      this.pending = frames.concat(this.pending)
      this.pendingBytes += bytes
      throw error
    }
    if (this.journaled.length === 0 && !this.inJournal) this.options.journal?.journal.folded(this)
  }

  /** Appends whole frames (read from elsewhere: the journal) and makes them durable. */
  appendFramed(frames: Buffer[]): Promise<void> {
    return this.enqueue(() => this.writeAtEnd(frames, frames.reduce((sum, frame) => sum + frame.length, 0)))
  }

  private async writeAtEnd(frames: Buffer[], bytes: number): Promise<void> {
    const handle = await this.open()
    const buffer = frames.length === 1 ? frames[0] : Buffer.concat(frames, bytes)
    // O_DSYNC: durable when the write returns.
    const { bytesWritten } = await handle.write(buffer, 0, buffer.length, this.bytesOnDisk)
    if (bytesWritten !== buffer.length) throw new Error(`short write to ${this.file}: ${bytesWritten} of ${buffer.length} bytes`)
    this.bytesOnDisk += bytes
  }

  private async open(): Promise<fs.FileHandle> {
    this.handle ??= await fs.open(this.file, fsConstants.O_RDWR | fsConstants.O_CREAT | fsConstants.O_DSYNC)
    return this.handle
  }
}

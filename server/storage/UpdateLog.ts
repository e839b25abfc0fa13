import { constants as fsConstants } from 'node:fs'
import fs from 'node:fs/promises'
import { CorruptFileError } from './errors'
import { LOAD_SLICE_MS, yieldToEventLoop } from './applyStored'
import { encodeFrame, FrameList, readFramesInSlices } from './frames'
import { replaceFile } from './durable'

export interface UpdateLogOptions {
  /** Longest time an appended update waits before it is written and fsynced. */
  flushIntervalMs: number
  /** Called when a background flush fails; the update stays queued and is retried. */
  onError?: (error: unknown) => void
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
export class UpdateLog {
  private pending: Buffer[] = []
  private pendingBytes = 0
  /** Waiting for the flush clock's next tick. */
  private scheduled = false
  private readonly clock: FlushClock
  private queue: Promise<unknown> = Promise.resolve()
  private handle: fs.FileHandle | null = null
  private bytesOnDisk = 0
  /** Set by remove() and abandon(): nothing may write the file again. */
  private removed = false

  constructor(
    readonly file: string,
    private readonly options: UpdateLogOptions,
  ) {
    this.clock = FlushClock.every(options.flushIntervalMs)
  }

  /** Bytes in the log, written or queued; compaction is triggered from this. */
  get size(): number {
    return this.bytesOnDisk + this.pendingBytes
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
    if (!this.scheduled) {
      this.scheduled = true
      this.clock.schedule(this)
    }
  }

  /** The flush clock's tick (see FlushClock). */
  flushOnTick(): void {
    this.scheduled = false
    this.flush().catch((error) => this.options.onError?.(error))
  }

  private unschedule(): void {
    if (!this.scheduled) return
    this.scheduled = false
    this.clock.cancel(this)
  }

  /** Writes and fsyncs everything appended so far. */
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

  async close(): Promise<void> {
    await this.flush()
    await this.enqueue(async () => {
      await this.handle?.close()
      this.handle = null
    })
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
    const dropped = this.pending.length
    this.removed = true
    this.unschedule()
    this.pending = []
    this.pendingBytes = 0
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
    if (this.pending.length === 0 || this.removed) return
    const frames = this.pending
    const bytes = this.pendingBytes
    this.pending = []
    this.pendingBytes = 0
    try {
      const handle = await this.open()
      const buffer = Buffer.concat(frames, bytes)
      // O_DSYNC: durable when the write returns.
      await handle.write(buffer, 0, buffer.length, this.bytesOnDisk)
      this.bytesOnDisk += bytes
    } catch (error) {
      // Keep the frames, in order, ahead of anything appended meanwhile, so the next flush retries them.
      this.pending = frames.concat(this.pending)
      this.pendingBytes += bytes
      throw error
    }
  }

  private async open(): Promise<fs.FileHandle> {
    this.handle ??= await fs.open(this.file, fsConstants.O_RDWR | fsConstants.O_CREAT | fsConstants.O_DSYNC)
    return this.handle
  }
}

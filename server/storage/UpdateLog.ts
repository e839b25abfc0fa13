import { constants as fsConstants } from 'node:fs'
import fs from 'node:fs/promises'
import { crc32 } from 'node:zlib'
import { CorruptFileError } from './errors'

const HEADER_BYTES = 8

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

/**
 * An append-only log of Yjs updates with group commit: appends are buffered and written with one
 * write + fdatasync per interval, so durability costs one fsync per interval rather than per keystroke.
 * Frame layout: uint32 LE payload length, uint32 LE crc32 of the payload, payload.
 */
export class UpdateLog {
  private pending: Buffer[] = []
  private pendingBytes = 0
  private timer: NodeJS.Timeout | null = null
  private queue: Promise<void> = Promise.resolve()
  private handle: fs.FileHandle | null = null
  private bytesOnDisk = 0

  constructor(
    readonly file: string,
    private readonly options: UpdateLogOptions,
  ) {}

  /** Bytes in the log, written or queued; compaction is triggered from this. */
  get size(): number {
    return this.bytesOnDisk + this.pendingBytes
  }

  /**
   * Reads every complete frame. A torn final frame (the process died mid-write) is cut off and kept
   * aside in a `.torn` file; a bad frame followed by good ones means real corruption and throws.
   */
  async replay(): Promise<ReplayResult> {
    let data: Buffer
    try {
      data = await fs.readFile(this.file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { updates: [], tornBytes: 0 }
      throw new CorruptFileError(this.file, String(error))
    }
    const updates: Uint8Array[] = []
    let offset = 0
    while (offset + HEADER_BYTES <= data.length) {
      const length = data.readUInt32LE(offset)
      const checksum = data.readUInt32LE(offset + 4)
      const end = offset + HEADER_BYTES + length
      if (end > data.length) break
      const payload = data.subarray(offset + HEADER_BYTES, end)
      if (crc32(payload) !== checksum) {
        if (end < data.length) {
          throw new CorruptFileError(this.file, `checksum mismatch in the frame at byte ${offset}`)
        }
        break
      }
      updates.push(new Uint8Array(payload))
      offset = end
    }
    const tornBytes = data.length - offset
    if (tornBytes > 0) {
      await fs.writeFile(`${this.file}.torn-${Date.now()}`, data.subarray(offset))
      await fs.truncate(this.file, offset)
    }
    this.bytesOnDisk = offset
    return { updates, tornBytes }
  }

  append(update: Uint8Array): void {
    const frame = Buffer.allocUnsafe(HEADER_BYTES + update.length)
    frame.writeUInt32LE(update.length, 0)
    frame.writeUInt32LE(crc32(update), 4)
    frame.set(update, HEADER_BYTES)
    this.pending.push(frame)
    this.pendingBytes += frame.length
    this.timer ??= setTimeout(() => {
      this.timer = null
      this.flush().catch((error) => this.options.onError?.(error))
    }, this.options.flushIntervalMs)
  }

  /** Writes and fsyncs everything appended so far. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
    return this.enqueue(() => this.writePending())
  }

  /**
   * Empties the log after its content has been saved elsewhere. `saveSnapshot` runs inside the log's
   * queue, after all earlier appends are on disk, so nothing appended before it is lost; updates
   * appended while it runs stay queued and land in the emptied log.
   */
  compact(saveSnapshot: () => Promise<void>): Promise<void> {
    return this.enqueue(async () => {
      await this.writePending()
      await saveSnapshot()
      const handle = await this.open()
      await handle.truncate(0)
      await handle.datasync()
      this.bytesOnDisk = 0
    })
  }

  async close(): Promise<void> {
    await this.flush()
    await this.enqueue(async () => {
      await this.handle?.close()
      this.handle = null
    })
  }

  /** Removes the log from disk, dropping anything queued. */
  async remove(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.pending = []
    this.pendingBytes = 0
    await this.enqueue(async () => {
      await this.handle?.close()
      this.handle = null
      await fs.rm(this.file, { force: true })
    })
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task)
    // Later tasks run even if this one failed; its caller sees the failure.
    this.queue = run.catch(() => undefined)
    return run
  }

  private async writePending(): Promise<void> {
    if (this.pending.length === 0) return
    const frames = this.pending
    const bytes = this.pendingBytes
    this.pending = []
    this.pendingBytes = 0
    try {
      const handle = await this.open()
      const buffer = Buffer.concat(frames, bytes)
      await handle.write(buffer, 0, buffer.length, this.bytesOnDisk)
      await handle.datasync()
      this.bytesOnDisk += bytes
    } catch (error) {
      // Keep the frames, in order, ahead of anything appended meanwhile, so the next flush retries them.
      this.pending = frames.concat(this.pending)
      this.pendingBytes += bytes
      throw error
    }
  }

  private async open(): Promise<fs.FileHandle> {
    this.handle ??= await fs.open(this.file, fsConstants.O_RDWR | fsConstants.O_CREAT)
    return this.handle
  }
}

import { constants as fsConstants, existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { componentLogger } from '../logger'
import { fsyncDirectory } from './durable'
import { CorruptFileError } from './errors'
import { checksum, FRAME_HEADER_BYTES, readFrames, readFramesAroundDamage } from './frames'
import { UpdateLog } from './UpdateLog'

const logLine = componentLogger('journal')

export interface JournalOptions {
  /** Longest time an appended update waits before it is written (at most 250 ms keeps the crash-loss promise). */
  flushIntervalMs: number
  /** Journal size past which every document's journaled updates are written to its own log and the journal starts afresh. */
  checkpointBytes: number
  onError?: (error: unknown) => void
}

/** What the journal takes from one document's log at a tick: the log's frames, as they go into its own file. */
export interface JournalBatch {
  frames: Buffer[]
  bytes: number
}

/** The side of an update log the journal talks to (UpdateLog implements it). */
export interface Journaled {
  /** The document's id: the journal's records name it. */
  readonly documentId: string
  /** Takes what is queued for the journal's next write; null when nothing is. */
  takeForJournal(): JournalBatch | null
  /** The batch taken is durable in the journal (true) or the write failed and it must be queued again (false). */
  journalWritten(ok: boolean): void
  /** Writes everything journaled to the document's own log (durably). */
  flush(): Promise<void>
}

export interface RecoveryReport {
  /** Journal files folded. */
  files: number
  /** Records (one document's updates of one flush) appended to documents' logs. */
  records: number
  documents: number
  /**
   * Documents whose state file is gone (normally: deleted after the records were written). Their
   * records are not restored (nothing brings a deleted document back) but kept aside, in case the
   * state file was lost rather than deleted: `journal/<id>.without-state-<time>` (log frames).
   */
  deletedDocuments: number
  /** Bytes of a torn final record (a crash mid-write), kept beside the journal as `.torn-<time>`. */
  tornBytes: number
  /**
   * Bytes of damaged records (bad checksum or length in the middle, not a torn tail). The records
   * around them are folded; the whole file is kept beside the journal as `.damaged-<time>`.
   */
  damagedBytes: number
}

const JOURNAL_SUFFIX = '.journal'
/** journal-<generation>.journal, the generation zero-padded so that names sort in order. */
const journalName = (generation: number) => `journal-${String(generation).padStart(12, '0')}${JOURNAL_SUFFIX}`
const generationOf = (name: string) => Number(name.slice('journal-'.length, -JOURNAL_SUFFIX.length))

/**
 * The group commit of every document, in one file. Each flush interval the updates appended to all
 * documents' logs since the last tick go out in one O_DSYNC write (one record per document: uint32
 * length, crc32, then uint16 id length, id, and the document's log frames as they go into its own
 * file), instead of one synchronous write per document: with thousands of busy documents those were
 * thousands of writes per tick on the threadpool, each as costly as the whole relay of an update.
 *
 * A document's own log gets its journaled updates later, in one write: when it is flushed explicitly,
 * compacted or closed, or at a checkpoint, when the journal has grown past `checkpointBytes` (a new
 * journal file is started, every document with updates in the old one writes them to its log, then the
 * old file is deleted). On start (recover), every journal file left is folded into the documents' logs
 * before any document opens. An update can so reach a log twice (written there, then the process died
 * before the journal file was deleted): harmless, applying a Yjs update twice changes nothing.
 */
export class Journal {
  private due = new Set<Journaled>()
  private timer: NodeJS.Timeout | null = null
  private writing: Promise<void> = Promise.resolve()
  private handle: fs.FileHandle | null = null
  private generation = 0
  private bytes = 0
  /** Documents with updates in the current journal file that their own log may not have yet. */
  private unfolded = new Set<Journaled>()
  /** Older journal files and the documents whose updates in them must reach their logs before they go. */
  private retired: Array<{ file: string; documents: Set<Journaled> }> = []
  private checkpointing: Promise<void> | null = null
  private closed = false

  constructor(
    readonly dir: string,
    private readonly options: JournalOptions,
  ) {}

  private get file(): string {
    return path.join(this.dir, journalName(this.generation))
  }

  /**
   * Folds every journal file a previous run left into the documents' logs (each log's torn tail, if
   * any, set aside first, as its replay would), makes them durable, then deletes the journal files.
   * Must run before any document is opened.
   */
  async recover(documentsDir: string): Promise<RecoveryReport> {
    await fs.mkdir(this.dir, { recursive: true })
    const names = (await fs.readdir(this.dir)).filter((name) => name.startsWith('journal-') && name.endsWith(JOURNAL_SUFFIX)).sort()
    const report: RecoveryReport = { files: names.length, records: 0, documents: 0, deletedDocuments: 0, tornBytes: 0, damagedBytes: 0 }
    const perDocument = new Map<string, Buffer[]>()
    for (const name of names) {
      const file = path.join(this.dir, name)
      const data = await fs.readFile(file)
      // A damaged record names a document that cannot be told, but it must not cost every other
      // document its updates, nor keep the server from starting: reading resumes at the next whole
      // record, and the file is kept as it is. The document that lost one tick of updates gets them
      // back from the first client that holds them (its sync sends what the server lacks); until then,
      // updates that depend on them wait in it as pending structs, which compaction keeps.
      const { frames, damaged, validBytes } = readFramesAroundDamage(data, (payload) => isRecord(payload))
      if (damaged.length > 0) {
        const aside = `${file}.damaged-${Date.now()}`
        await fs.writeFile(aside, data)
        report.damagedBytes += damaged.reduce((sum, [start, end]) => sum + end - start, 0)
        logLine.error({ damaged }, `${name}: damaged records (byte ranges listed; not a torn tail); every record around them is restored, and the file is kept as it was in ${path.basename(aside)}`)
      }
      if (validBytes < data.length) {
        await fs.writeFile(`${file}.torn-${Date.now()}`, data.subarray(validBytes))
        report.tornBytes += data.length - validBytes
        logLine.warn(`${name}: set aside ${data.length - validBytes} bytes of a record cut short by a crash (kept beside the journal)`)
      }
      for (const record of frames) {
        const { documentId, frames: logFrames } = decodeRecord(record, file)
        let list = perDocument.get(documentId)
        if (!list) perDocument.set(documentId, (list = []))
        list.push(logFrames)
        report.records++
      }
      this.generation = Math.max(this.generation, generationOf(name) + 1)
    }
    for (const [documentId, parts] of perDocument) {
      const stateFile = path.join(documentsDir, `${documentId}.state`)
      if (!existsSync(stateFile) && !existsSync(path.join(documentsDir, `${documentId}.json`))) {
        report.deletedDocuments++
        const aside = path.join(this.dir, `${documentId}.without-state-${Date.now()}`)
        await fs.writeFile(aside, Buffer.concat(parts))
        logLine.warn(`${documentId}: journaled updates of a document without a state file (deleted, or its state file lost) kept in ${path.basename(aside)}, not restored`)
        continue
      }
      const logFile = path.join(documentsDir, `${documentId}.log`)
      try {
        await appendToLog(logFile, parts)
      } catch (error) {
        if (!(error instanceof CorruptFileError)) throw error
        // The log is damaged (its document refuses to load, naming it): its journaled updates are kept beside it.
        const aside = `${logFile}.journal-${Date.now()}`
        await fs.writeFile(aside, Buffer.concat(parts))
        logLine.error(`${documentId}: the log is damaged (${error.message}); its journaled updates are kept in ${path.basename(aside)}`)
      }
      report.documents++
    }
    if (perDocument.size > 0) await fsyncDirectory(documentsDir)
    for (const name of names) await fs.rm(path.join(this.dir, name), { force: true })
    if (names.length > 0) await fsyncDirectory(this.dir)
    if (report.records > 0) logLine.info(report, 'folded the journal into the documents\' logs')
    return report
  }

  /** Queues a log for the next tick. */
  schedule(log: Journaled): void {
    if (this.closed) return
    this.due.add(log)
    this.timer ??= setTimeout(this.tick, this.options.flushIntervalMs)
  }

  cancel(log: Journaled): void {
    this.due.delete(log)
  }

  /** Everything the log had in the journal is in its own file now: no checkpoint needs to write it. */
  folded(log: Journaled): void {
    this.unfolded.delete(log)
    for (const retired of this.retired) retired.documents.delete(log)
  }

  /** Resolves when no journal write is in flight (never rejects). */
  settled(): Promise<void> {
    return this.writing
  }

  private readonly tick = () => {
    void this.writeDue()
  }

  /** Writes what is due now, without waiting for the tick; resolves when it is durable (or failed and queued again). */
  writeDue(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const due = this.due
    this.due = new Set()
    this.writing = this.writing.then(() => this.write(due)).catch((error) => this.options.onError?.(error))
    return this.writing
  }

  /** One write for every due log's batch; each log learns whether its batch is durable. */
  private async write(due: Set<Journaled>): Promise<void> {
    const taken: Array<[Journaled, JournalBatch]> = []
    let total = 0
    for (const log of due) {
      const batch = log.takeForJournal()
      if (!batch) continue
      taken.push([log, batch])
      total += recordBytes(log.documentId, batch.bytes)
    }
    if (taken.length === 0) return
    const buffer = Buffer.allocUnsafe(total)
    let offset = 0
    for (const [log, batch] of taken) offset = encodeRecord(buffer, offset, log.documentId, batch)
    let ok = false
    try {
      this.handle ??= await fs.open(this.file, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_DSYNC)
      // O_DSYNC: durable when the write returns. At the end of what is known good: a failed write's
      // partial bytes, if any, are overwritten by the next one.
      const { bytesWritten } = await this.handle.write(buffer, 0, buffer.length, this.bytes)
      if (bytesWritten !== buffer.length) throw new Error(`short journal write: ${bytesWritten} of ${buffer.length} bytes`)
      this.bytes += buffer.length
      ok = true
    } catch (error) {
      this.options.onError?.(error)
    }
    for (const [log] of taken) {
      log.journalWritten(ok)
      if (ok) this.unfolded.add(log)
    }
    if (ok && this.bytes >= this.options.checkpointBytes && !this.checkpointing) this.checkpoint().catch((error) => this.options.onError?.(error))
  }

  /**
   * Starts a new journal file and writes the old one's updates to their documents' logs, one document
   * at a time (so that the tick's journal writes are not queued behind thousands of log writes on the
   * threadpool), then deletes the old file. A failed log write keeps the old file for the next checkpoint.
   */
  checkpoint(): Promise<void> {
    // One at a time: each folds the oldest retired file first.
    const run = (this.checkpointing ?? Promise.resolve()).then(async () => {
      await this.enqueueRetire()
      await this.foldRetired()
    })
    const settled = run.catch(() => undefined)
    this.checkpointing = settled
    void settled.then(() => {
      if (this.checkpointing === settled) this.checkpointing = null
    })
    return run
  }

  /** Resolves when no journal write and no checkpoint is under way (never rejects). */
  async idle(): Promise<void> {
    // A write may start a checkpoint, and a checkpoint chains a step onto the writes: until both are still.
    for (;;) {
      const writing = this.writing
      await writing
      if (this.checkpointing) await this.checkpointing
      if (writing === this.writing && !this.checkpointing) return
    }
  }

  /** Retires the current journal file (after the write in flight, which goes to it). */
  private async enqueueRetire(): Promise<void> {
    const rotate = async () => {
      await this.handle?.close()
      this.handle = null
      if (this.bytes > 0 || this.unfolded.size > 0) this.retired.push({ file: this.file, documents: this.unfolded })
      this.unfolded = new Set()
      this.generation++
      this.bytes = 0
    }
    const run = this.writing.then(rotate)
    this.writing = run.catch((error) => this.options.onError?.(error))
    await run
  }

  private async foldRetired(): Promise<void> {
    while (this.retired.length > 0) {
      const oldest = this.retired[0]
      for (const log of oldest.documents) await log.flush()
      await fs.rm(oldest.file, { force: true })
      this.retired.shift()
    }
    await fsyncDirectory(this.dir)
  }

  /**
   * Stops the clock, writes what is due and folds the journal into the documents' logs: a closed
   * store leaves no journal behind.
   */
  async close(): Promise<void> {
    await this.writeDue()
    await this.checkpoint()
    this.closed = true
  }
}

/** Bytes of the record for one document's batch: frame header, uint16 id length, id, the log frames. */
function recordBytes(documentId: string, batchBytes: number): number {
  return FRAME_HEADER_BYTES + 2 + Buffer.byteLength(documentId) + batchBytes
}

function encodeRecord(buffer: Buffer, start: number, documentId: string, batch: JournalBatch): number {
  const payloadStart = start + FRAME_HEADER_BYTES
  let offset = payloadStart + 2
  const idBytes = buffer.write(documentId, offset, 'utf8')
  buffer.writeUInt16LE(idBytes, payloadStart)
  offset += idBytes
  for (const frame of batch.frames) {
    frame.copy(buffer, offset)
    offset += frame.length
  }
  buffer.writeUInt32LE(offset - payloadStart, start)
  buffer.writeUInt32LE(checksum(buffer, payloadStart, offset), start + 4)
  return offset
}

/** Whether a payload is a record as this journal writes them (where reading may resume after damage). */
function isRecord(payload: Uint8Array): boolean {
  try {
    decodeRecord(payload, '')
    return true
  } catch {
    return false
  }
}

/** A record's document id and its log frames (checked to be whole frames: they go into the log as they are). */
function decodeRecord(record: Uint8Array, file: string): { documentId: string; frames: Buffer } {
  const data = Buffer.from(record.buffer, record.byteOffset, record.byteLength)
  const idLength = data.length >= 2 ? data.readUInt16LE(0) : -1
  if (idLength < 0 || 2 + idLength > data.length) throw new CorruptFileError(file, 'a record too short for its document id')
  const documentId = data.toString('utf8', 2, 2 + idLength)
  const frames = data.subarray(2 + idLength)
  const read = readFrames(frames)
  if (read.validBytes !== frames.length || /[/\\]|^\.\.?$/.test(documentId) || documentId.length === 0) {
    throw new CorruptFileError(file, `a record of document ${JSON.stringify(documentId)} whose updates do not parse (checksum matched: written so, not damaged on disk)`)
  }
  return { documentId, frames }
}

/**
 * Appends whole frames to a document's log, durably. The log is read first as its replay reads it: a
 * torn tail is set aside and cut (appending after it would turn it into damage in the middle); a
 * damaged log refuses, naming the log, and the journal is kept.
 */
async function appendToLog(file: string, parts: Buffer[]): Promise<void> {
  const log = new UpdateLog(file, { flushIntervalMs: 0 })
  await log.replayFrames()
  await log.appendFramed(parts)
  await log.close()
}

import { Worker } from 'node:worker_threads'
import type { CompactionJob, CompactionResult, FoldJob } from './compaction'
import type { JobReply, JobRequest } from './compactionWorkerMain'
import { CorruptFileError } from './errors'

const ENTRY = new URL('./compactionWorker.mjs', import.meta.url)

/**
 * One long-lived worker thread that compacts documents from their files (compaction.ts), so that
 * neither the CPU of applying a whole history nor that of encoding a whole document lands on the
 * event loop serving everyone. Started on first use, not with the server: starting it (a thread,
 * tsx, Yjs) takes ~0.4 s of CPU, which on a server pinned to one core would slow down the loads
 * that follow a restart. Jobs run one at a time (each needs a whole document in memory); a crashed
 * worker fails its job and is replaced by the next one.
 */
export class CompactionWorker {
  private worker: Worker | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private seq = 0
  private waiting: { seq: number; resolve: (result: CompactionResult) => void; reject: (error: Error) => void } | null = null
  private closed = false

  /**
   * Queues a job. `stillWanted` is asked when its turn comes: a document deleted meanwhile is skipped
   * (resolves null) rather than written again.
   */
  run(job: CompactionJob | FoldJob, stillWanted: () => boolean = () => true): Promise<CompactionResult | null> {
    const run = this.queue.then(() => (this.closed ? Promise.reject(new Error('compaction worker closed')) : stillWanted() ? this.post(job) : null))
    this.queue = run.catch(() => undefined)
    return run
  }

  /** Waits for the queued jobs, then stops the thread. */
  async close(): Promise<void> {
    await this.queue
    this.closed = true
    await this.worker?.terminate()
    this.worker = null
  }

  private post(job: CompactionJob | FoldJob): Promise<CompactionResult> {
    const worker = this.start()
    const seq = ++this.seq
    return new Promise<CompactionResult>((resolve, reject) => {
      this.waiting = { seq, resolve, reject }
      // Busy: keep the process alive until the job is done (a shutdown awaits it).
      worker.ref()
      worker.postMessage({ seq, job } satisfies JobRequest)
    }).finally(() => {
      this.waiting = null
      this.worker?.unref()
    })
  }

  private start(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(ENTRY)
    // Idle: the worker alone must not keep the process running.
    worker.unref()
    worker.on('message', (reply: JobReply) => {
      const waiting = this.waiting
      if (!waiting || waiting.seq !== reply.seq) return
      if (reply.ok) waiting.resolve({ stateBytes: reply.stateBytes, chunks: reply.chunks, folded: reply.folded })
      else waiting.reject(reply.corrupt ? new CorruptFileError(reply.corrupt.file, reply.corrupt.detail) : new Error(reply.message))
    })
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null
      this.waiting?.reject(error)
    }
    worker.on('error', (error) => fail(new Error(`compaction worker failed: ${error.message}`)))
    worker.on('exit', (code) => fail(new Error(`compaction worker exited (code ${code})`)))
    this.worker = worker
    return worker
  }
}

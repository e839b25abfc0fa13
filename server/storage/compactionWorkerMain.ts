import { parentPort } from 'node:worker_threads'
import { compactFiles, foldUpdates, type CompactionJob, type FoldJob } from './compaction'
import { CorruptFileError } from './errors'

/** Runs compaction jobs for the main thread, one message at a time (see CompactionWorker). */
export interface JobRequest {
  seq: number
  job: CompactionJob | FoldJob
}

export type JobReply =
  | { seq: number; ok: true; stateBytes: number; chunks: number; folded?: Uint8Array[] }
  | { seq: number; ok: false; message: string; corrupt: { file: string; detail: string } | null }

const port = parentPort
if (!port) throw new Error('compactionWorkerMain runs inside a worker thread')

/** A fold job (content held in memory, as the PostgreSQL backend reads it) or a job on the files. */
async function run(job: CompactionJob | FoldJob): Promise<{ stateBytes: number; chunks: number; folded?: Uint8Array[] }> {
  if (!('fold' in job)) return compactFiles(job)
  const folded = foldUpdates(job.fold.state, job.fold.log, job.maxChunkBytes)
  return { stateBytes: folded.reduce((sum, chunk) => sum + chunk.length, 0), chunks: folded.length, folded }
}

port.on('message', ({ seq, job }: JobRequest) => {
  run(job).then(
    (result): void => port.postMessage({ seq, ok: true, ...result } satisfies JobReply),
    (error: unknown): void => {
      const message = error instanceof Error ? error.message : String(error)
      const corrupt = error instanceof CorruptFileError ? { file: error.file, detail: error.detail } : null
      port.postMessage({ seq, ok: false, message, corrupt } satisfies JobReply)
    },
  )
})

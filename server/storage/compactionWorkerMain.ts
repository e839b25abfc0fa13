import { parentPort } from 'node:worker_threads'
import { compactFiles, type CompactionJob } from './compaction'
import { CorruptFileError } from './errors'

/** Runs compaction jobs for the main thread, one message at a time (see CompactionWorker). */
export interface JobRequest {
  seq: number
  job: CompactionJob
}

export type JobReply =
  | { seq: number; ok: true; stateBytes: number; chunks: number }
  | { seq: number; ok: false; message: string; corrupt: { file: string; detail: string } | null }

const port = parentPort
if (!port) throw new Error('compactionWorkerMain runs inside a worker thread')

port.on('message', ({ seq, job }: JobRequest) => {
  compactFiles(job).then(
    (result): void => port.postMessage({ seq, ok: true, ...result } satisfies JobReply),
    (error: unknown): void => {
      const message = error instanceof Error ? error.message : String(error)
      const corrupt = error instanceof CorruptFileError ? { file: error.file, detail: error.detail } : null
      port.postMessage({ seq, ok: false, message, corrupt } satisfies JobReply)
    },
  )
})

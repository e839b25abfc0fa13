import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { LiteClient } from '../lib/clients'
import { bigDocument, bigFieldClient, loadTrace, traceText } from '../lib/trace'
import { mapLimit, sleep, within } from '../lib/util'
import { Window } from '../lib/window'
import { ServerProcess } from '../servers/process'
import { readFrames } from '../../server/storage/frames'
import { atMost, type Metrics, type Scenario } from '../types'
import { docNameFor } from './common'
import { fetchDocument, sendTrace, TraceObserver } from './trace-io'
import { TypingLoad } from './typing'
import { QUICK_EDITS, traceSlice } from './w4-trace'

/** Copies of the whole trace history in the big document: 60 ≈ 16 MB (quick: 8 ≈ 2 MB). */
const bigFields = (quick: boolean) => (quick ? 8 : 60)
const OTHER_DOCS = 10

/** W5: cold load of a document holding the whole trace history, and a 16 MB document loading beside busy ones. */
export const w5: Scenario = {
  id: 'W5',
  title: 'Cold load',
  describe: (quick) =>
    `(a) Huigao: the trace${quick ? ` (first ${QUICK_EDITS.toLocaleString('en-US')} edits)` : ''} written edit by edit, then the server killed (SIGKILL: raw update log) or stopped (SIGTERM: compacted) and the document opened by a fresh client; ` +
    `(b) a ${quick ? '2' : '16'} MB document (the whole trace history ${bigFields(quick)} times, one paragraph each) opened while ${OTHER_DOCS} other documents see typing (${OTHER_DOCS} × 3 writers × 5/s)`,
  reps: (quick) => (quick ? 1 : 3),
  timeoutMs: () => 240_000,
  metrics: [
    { key: 'logMb', label: '(a) raw update log size (log + group-commit journal)', unit: 'MB', better: 'none', digits: 1 },
    { key: 'logUpdates', label: '(a) updates in the raw log (the trace has one per edit)', better: 'none', digits: 0 },
    { key: 'rawRestartMs', label: '(a) restart after SIGKILL until it answers (folds the journal into the logs)', unit: 'ms', better: 'lower', digits: 0 },
    { key: 'coldRawMs', label: '(a) load + first sync from the raw log', unit: 'ms', better: 'lower', digits: 0 },
    { key: 'stateMb', label: '(a) compacted state file size', unit: 'MB', better: 'none', digits: 2 },
    { key: 'coldCompactedMs', label: '(a) load + first sync, compacted', unit: 'ms', better: 'lower', digits: 0 },
    { key: 'historyOk', label: '(a) loaded text = endContent (both)', better: 'none', combine: 'all' },
    { key: 'bigMb', label: '(b) big document size', unit: 'MB', better: 'none', digits: 1 },
    { key: 'bigStopMs', label: '(b) stop (SIGTERM) with it loaded', unit: 'ms', better: 'lower', digits: 0 },
    { key: 'bigFirstSyncMs', label: '(b) open big document: first sync', unit: 'ms', better: 'lower', digits: 0 },
    { key: 'othersP99', label: '(b) other documents’ latency p99 meanwhile', unit: 'ms', better: 'lower', digits: 1 },
    { key: 'othersMax', label: '(b) other documents’ latency max meanwhile', unit: 'ms', better: 'lower', digits: 1 },
    { key: 'eldMax', label: '(b) server event-loop delay max meanwhile', unit: 'ms', better: 'lower', digits: 1 },
    { key: 'bigOk', label: '(b) big document intact', better: 'none', combine: 'all' },
  ],
  targets: [
    { label: '(a) ≤ 100 ms once compacted', check: atMost('coldCompactedMs', 100, ' ms') },
    { label: '(a) ≤ 1 s from a raw update log', check: atMost('coldRawMs', 1000, ' ms') },
    { label: '(b) other documents’ p99 ≤ 100 ms while the big one loads', check: atMost('othersP99', 100, ' ms') },
  ],
  notes: [
    '(a) is n/a for the references: without persistence there is nothing to load after a restart.',
    '(b) for the references the big document is in memory (uploaded earlier, its uploader still connected), so "open" is the first sync of an in-memory document; Huigao loads it from disk after a restart.',
  ],
  async run(spec, ctx) {
    const metrics: Metrics = {}
    if (spec.persistent) Object.assign(metrics, await coldHistory(spec, ctx.quick))
    else Object.assign(metrics, { logMb: null, logUpdates: null, rawRestartMs: null, coldRawMs: null, stateMb: null, coldCompactedMs: null, historyOk: null })
    Object.assign(metrics, await bigBesideOthers(spec, ctx.quick))
    return metrics
  },
}

const fileMb = (file: string) => {
  try {
    return statSync(file).size / 1e6
  } catch {
    return 0
  }
}

async function coldHistory(spec: ServerProcess['spec'], quick: boolean): Promise<Metrics> {
  const { updates, expected } = traceSlice(quick)
  // No size-triggered compaction, so a SIGKILL right after writing leaves the whole history in the log.
  const server = await ServerProcess.start(spec, { env: { COMPACT_AFTER_BYTES: String(2 ** 40) } })
  try {
    const doc = await docNameFor(server, 'W5 history')
    const files = path.join(server.dataDir, 'documents', doc)
    const writer = new LiteClient(server, { docName: doc })
    const observer = new TraceObserver(server, doc, false)
    for (const c of [writer, observer.client]) await c.connect()
    await Promise.all([writer.whenSynced(), observer.client.whenSynced()])
    // Paced one update per turn of the writer's loop, as typists send them. The server still reads them
    // several at a time whenever it falls behind (it stores each socket read's updates as one), so the
    // log holds fewer, merged updates than an office's would: logUpdates says how many.
    await sendTrace(writer, observer, updates, 150_000, true)
    await sleep(400) // > 2 group-commit intervals
    // Huigao's group commit writes a journal (DATA_DIR/journal) that the logs get at checkpoints and on start.
    const journal = path.join(server.dataDir, 'journal')
    const journalMb = (() => {
      try {
        return readdirSync(journal).reduce((sum, name) => sum + fileMb(path.join(journal, name)), 0)
      } catch {
        return 0
      }
    })()
    const logMb = fileMb(`${files}.log`) + journalMb
    await server.kill9()
    writer.destroy()
    observer.client.destroy()
    const restartAt = performance.now()
    await server.launch()
    const rawRestartMs = performance.now() - restartAt
    // The journal is folded into the log by now: the updates the raw load replays.
    const logUpdates = spec.id === 'huigao' ? readFrames(readFileSync(`${files}.log`)).frames.length : null
    const raw = await within(fetchDocument(server, doc), 60_000, 'loading from the raw log')
    const rawOk = traceText(raw.doc) === expected
    await server.stop()
    // Chunked binary state file (<id>.state); older servers wrote lowdb JSON (<id>.json).
    const stateMb = fileMb(`${files}.state`) || fileMb(`${files}.json`)
    await server.launch()
    const compacted = await within(fetchDocument(server, doc), 60_000, 'loading the compacted document')
    const compactedOk = traceText(compacted.doc) === expected
    return {
      logMb,
      logUpdates,
      rawRestartMs,
      coldRawMs: raw.ms,
      stateMb,
      coldCompactedMs: compacted.ms,
      historyOk: rawOk && compactedOk,
      historyDetail: rawOk && compactedOk ? null : `raw ${rawOk ? 'ok' : 'WRONG'}, compacted ${compactedOk ? 'ok' : 'WRONG'}`,
    }
  } finally {
    await server.dispose()
  }
}

async function bigBesideOthers(spec: ServerProcess['spec'], quick: boolean): Promise<Metrics> {
  const fields = bigFields(quick)
  const big = bigDocument(fields)
  const server = await ServerProcess.start(spec)
  const keep: LiteClient[] = []
  let load: TypingLoad | undefined
  try {
    const bigName = await docNameFor(server, 'W5 big')
    const others = await mapLimit(Array.from({ length: OTHER_DOCS }, (_, i) => i), 4, (i) => docNameFor(server, `W5 other ${i}`))
    const uploader = new LiteClient(server, { docName: bigName })
    const observer = new TraceObserver(server, bigName, false)
    keep.push(uploader, observer.client)
    for (const c of keep) await c.connect()
    await Promise.all(keep.map((c) => c.whenSynced()))
    await sendTrace(uploader, observer, [big], 120_000)
    let bigStopMs: number | null = null
    if (spec.persistent) {
      // Cold: stop (the big document is compacted on the way out) and start again.
      for (const c of keep) c.destroy()
      keep.length = 0
      const t = performance.now()
      await server.stop(60_000)
      bigStopMs = performance.now() - t
      await server.launch()
    } else {
      observer.client.destroy() // the uploader stays, so Hocuspocus keeps the document
    }
    load = new TypingLoad(server, {
      docs: others,
      clientsPerDoc: 3,
      writersPerDoc: 3,
      ratePerWriter: 5,
      awarenessEvery: 5,
      fullDocs: 0,
      fullPerDoc: 0,
      maxSeq: 2000,
    })
    await load.connect()
    load.startTyping()
    await sleep(1000)
    const window = await Window.open(server)
    load.resetLatency()
    const opener = new LiteClient(server, { docName: bigName })
    keep.push(opener)
    const t0 = performance.now()
    await opener.connect()
    await within(opener.whenSynced(), 120_000, 'first sync of the big document')
    const bigFirstSyncMs = opener.syncedAt - t0
    await sleep(1000)
    const w = await window.close()
    const during = load.latency.summary()
    load.stopTyping()
    await load.close()
    load = undefined
    const fetched = await within(fetchDocument(server, bigName), 120_000, 'fetching the big document')
    const end = loadTrace().endContent
    const bigOk = [0, fields - 1].every((f) => traceText(fetched.doc, bigFieldClient(f)) === end)
    fetched.doc.destroy()
    return {
      bigMb: big.length / 1e6,
      bigStopMs,
      bigFirstSyncMs,
      othersP99: during.p99,
      othersMax: during.max,
      eldMax: w.eldMax,
      bigOk,
    }
  } finally {
    await load?.close()
    for (const c of keep) c.destroy()
    await server.dispose()
  }
}

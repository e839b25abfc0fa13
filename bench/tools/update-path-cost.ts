/**
 * CPU per update on the server's receive → check → apply → log → fan-out path, in one process and
 * without sockets, so that the figure does not depend on what else runs on the machine:
 *   - `huigao`: a real Connection and CollabDocument with the production extensions (UpdateRules,
 *     Permissions for the owner, Persistence with a real DocumentStore and update log, the notifiers),
 *     one writer and `--observers=N` observers (fake sockets that only count bytes);
 *   - `floor`: what the reference y-websocket server does per message — decode it, Y.applyUpdate (or
 *     apply the awareness), encode the update (awareness) message once and hand it to every connection.
 * Workloads: `--work=w4` the automerge-paper trace (first `--updates=N`, one writer), `--work=w3`
 * `--docs=N` small documents, each with `--writers=N` (3) writers typing in turn (one update and one caret
 * awareness message per keystroke, as W1's and W3's writers send; W1: `--work=w3 --docs=1 --writers=50`).
 *   npx tsx bench/tools/update-path-cost.ts --work=w4 --updates=30000
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/tools/update-path-cost.ts --only=huigao
 */
import { EventEmitter } from 'node:events'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { CollabDocument } from '../../server/collab/CollabDocument'
import { Connection } from '../../server/collab/Connection'
import type { CollabExtension, ConnectionContext } from '../../server/collab/hooks'
import { decodeMessage, encodeAwareness, encodeUpdate } from '../../server/collab/protocol'
import { Permissions } from '../../server/extensions/Permissions'
import { Persistence } from '../../server/extensions/Persistence'
import { UpdateRules } from '../../server/extensions/UpdateRules'
import { CommentReplyNotifier } from '../../server/extensions/commentReplies'
import { SectionEventNotifier } from '../../server/extensions/sectionEvents'
import type { Catalog } from '../../server/storage/Catalog'
import { DocumentStore } from '../../server/storage/DocumentStore'
import { docJSONToUpdate } from '../../shared/editor/lib/ydoc'
import { ownParagraphText } from '../lib/content'
import { traceUpdates } from '../lib/trace'

const args = process.argv.slice(2)
const option = (name: string, fallback: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback
const work = option('work', 'w4')
const only = option('only', 'floor,huigao').split(',')
const rounds = Number(option('rounds', '3'))
const observers = Number(option('observers', work === 'w4' ? '1' : '2'))
/**
 * `--paced`: feed the updates at W3's rate (6,000 updates/s, in 100 ms slices with the event loop free
 * in between), so the group commit's writes (flush ticks, their threadpool work) are in the figure;
 * without it, everything is fed in one go and only the append to the log's queue is.
 */
const paced = args.includes('--paced')
/**
 * `--per-read=N`: messages that arrive in one socket read (the server handles a read's messages once it
 * is done, in a microtask; a writer ahead of the server, as W4's, gets many into one read). Default 1.
 */
const perRead = Number(option('per-read', '1'))
const PACED_RATE = 6_000

/** A WebSocket as far as Connection uses it: messages in, sends counted. */
/** Bytes every fake socket was sent, to check that the relay worked. */
let relayedBytes = 0

class FakeSocket extends EventEmitter {
  readonly OPEN = 1
  readyState = 1
  binaryType = 'arraybuffer'
  sent = 0
  send(message: Uint8Array, callback?: (error?: Error) => void): void {
    this.sent += message.length
    relayedBytes += message.length
    callback?.()
  }
  close(): void {}
  ping(): void {}
  terminate(): void {}
  /** As ws hands a message over (binaryType 'nodebuffer'): a Buffer of its own. */
  receive(message: Uint8Array): void {
    this.emit('message', Buffer.from(message), true)
  }
}

const owner = { id: 'owner-1', name: '管理员', color: '#3366cc' }
const emptyReport = docJSONToUpdate({ type: 'doc', content: [{ type: 'reportTitle', content: [{ type: 'text', text: '报告' }] }] } as never)

interface Pipeline {
  /** Sets up a document; returns a function feeding one message from writer `w`. */
  open(name: string, writers: number): Promise<(w: number, message: Uint8Array) => void>
  close(): Promise<void>
}

async function huigaoPipeline(): Promise<Pipeline> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'update-path-'))
  const store = new DocumentStore(dir, { flushIntervalMs: 100, compactAfterBytes: 64 * 1024 * 1024 })
  await store.init()
  const catalog = { get: (id: string) => ({ id, title: id, ownerId: owner.id, members: {}, status: 'draft' }) } as unknown as Catalog
  const touched = new Set<string>()
  const persistence = new Persistence(store, catalog, (id) => {
    touched.add(id)
    Date.now()
  })
  const center = { notify: async () => {} } as never
  const extensions: CollabExtension[] = [new UpdateRules(), new Permissions({} as never, catalog), persistence, new CommentReplyNotifier(catalog, center), new SectionEventNotifier(catalog, center)]
  const documents: CollabDocument[] = []
  return {
    async open(name, writers) {
      await store.create(name, emptyReport)
      const document = new CollabDocument(name)
      for (const extension of extensions) await extension.onLoadDocument?.({ document })
      document.startRelaying((update, origin) => {
        for (const extension of extensions) extension.onChange?.({ document, update, origin })
      })
      documents.push(document)
      const sockets: FakeSocket[] = []
      for (let i = 0; i < writers + observers; i++) {
        const socket = new FakeSocket()
        const context: ConnectionContext = { user: owner, role: 'owner' }
        new Connection(socket as never, context, extensions).attach(document)
        sockets.push(socket)
      }
      return (w, message) => sockets[w].receive(message)
    },
    async close() {
      for (const document of documents) await persistence.onStoreDocument({ document })
      await store.close()
      await fs.rm(dir, { recursive: true, force: true })
    },
  }
}

/** What @y/websocket-server does per message: apply, then encode once and send to every connection (the sender too). */
async function floorPipeline(): Promise<Pipeline> {
  return {
    async open(_name, writers) {
      const ydoc = new Y.Doc()
      Y.applyUpdate(ydoc, emptyReport)
      const awareness = new awarenessProtocol.Awareness(ydoc)
      awareness.setLocalState(null)
      const sockets = Array.from({ length: writers + observers }, () => new FakeSocket())
      ydoc.on('update', (update: Uint8Array) => {
        const message = encodeUpdate(update)
        for (const socket of sockets) socket.send(message)
      })
      awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
        const message = encodeAwareness(awareness, [...added, ...updated, ...removed])
        for (const socket of sockets) socket.send(message)
      })
      return (w, data) => {
        const message = decodeMessage(new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)))
        if (message.type === 'update') Y.applyUpdate(ydoc, message.update, sockets[w])
        else if (message.type === 'awareness') awarenessProtocol.applyAwarenessUpdate(awareness, message.update, sockets[w])
      }
    },
    async close() {},
  }
}

const frame = (update: Uint8Array) => encodeUpdate(update)

function caret(clientId: number, clock: number): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1)
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, 1)
  encoding.writeVarUint(inner, clientId)
  encoding.writeVarUint(inner, clock)
  encoding.writeVarString(inner, JSON.stringify({ user: { name: `writer ${clientId}`, color: '#30bced' }, cursor: { anchor: clock, head: clock } }))
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner))
  return encoding.toUint8Array(e)
}

/** The messages of one run: [document, writer, message][] and the number of updates among them. */
function workload(): { docs: number; writers: number; messages: Array<[number, number, Uint8Array]>; updates: number } {
  if (work === 'w4') {
    const { updates } = traceUpdates(Number(option('updates', '30000')))
    return { docs: 1, writers: 1, messages: updates.map((u) => [0, 0, frame(u)]), updates: updates.length }
  }
  const docs = Number(option('docs', '400'))
  const keys = Number(option('keys', '15'))
  const perDoc = Number(option('writers', '3'))
  const messages: Array<[number, number, Uint8Array]> = []
  const writers = Array.from({ length: docs * perDoc }, (_, i) => {
    const doc = new Y.Doc()
    doc.clientID = 1000 + i
    const out: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => out.push(u))
    return { doc, out }
  })
  for (let k = 0; k < keys; k++) {
    for (let i = 0; i < writers.length; i++) {
      const { doc, out } = writers[i]
      doc.transact(() => {
        const text = ownParagraphText(doc)
        text.insert(text.length, `~${i}.${k};`)
      })
      messages.push([Math.floor(i / perDoc), i % perDoc, frame(out.pop()!)])
      messages.push([Math.floor(i / perDoc), i % perDoc, caret(doc.clientID, k + 1)])
    }
  }
  return { docs, writers: perDoc, messages, updates: docs * perDoc * keys }
}

async function measure(label: string, make: () => Promise<Pipeline>): Promise<number> {
  const { docs, writers, messages, updates } = workload()
  const results: number[] = []
  relayedBytes = 0
  let slices = 0
  for (let round = 0; round < rounds; round++) {
    slices = 0
    const pipeline = await make()
    const feeds = []
    for (let d = 0; d < docs; d++) feeds.push(await pipeline.open(`doc${round}x${d}`, writers))
    const start = process.cpuUsage()
    if (!paced) {
      for (let i = 0; i < messages.length; i++) {
        const [d, w, message] = messages[i]
        feeds[d](w, message)
        // The end of a socket read: what the server deferred to a microtask runs.
        if ((i + 1) % perRead === 0) await null
      }
      await null
    } else {
      const perSlice = PACED_RATE / 10
      const started = performance.now()
      let sent = 0
      for (let i = 0; i < messages.length; i++) {
        const [d, w, message] = messages[i]
        feeds[d](w, message)
        if ((i + 1) % perRead === 0) await null
        if (message[0] === 0) sent++
        if (sent >= perSlice && i + 1 < messages.length && messages[i + 1][2][0] === 0) {
          sent = 0
          // The next slice starts 100 ms after the previous one (timers, I/O and the group commit run meanwhile).
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + 100 * ++slices - performance.now())))
        }
      }
      // The last slice's group commit.
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    const used = process.cpuUsage(start)
    results.push((used.user + used.system) / updates)
    await pipeline.close()
  }
  results.sort((a, b) => a - b)
  console.log(`${label.padEnd(8)} ${work}: ${results.map((r) => r.toFixed(1)).join(' / ')} µs CPU per update (median ${results[results.length >> 1].toFixed(1)}; ${updates} updates, ${messages.length} messages, ${observers} observer(s); ${(relayedBytes / rounds / 1024).toFixed(0)} kB relayed per round)`)
  return results[results.length >> 1]
}

const floor = only.includes('floor') ? await measure('floor', floorPipeline) : NaN
const huigao = only.includes('huigao') ? await measure('huigao', huigaoPipeline) : NaN
if (Number.isFinite(floor) && Number.isFinite(huigao)) console.log(`huigao / floor = ${(huigao / floor).toFixed(2)}×`)
process.exit(0)

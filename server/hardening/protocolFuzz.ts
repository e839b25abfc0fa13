/**
 * Protocol fuzzing: random and mutated y-websocket frames from a drafter, a reviewer and a viewer on one
 * document while an honest drafter types in another. Used by protocolFuzz.test.ts (a few hundred
 * frames per role, in `npm test`) and protocol.fuzz.ts (10,000 per role, `npm run fuzz`).
 */
import fc from 'fast-check'
import * as encoding from 'lib0/encoding'
import { encodeAwarenessUpdate, Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { createThread } from '../../shared/comments/threads'
import { CONTENT_FRAGMENT } from '../../shared/editor/lib/ydoc'
import { api, appendParagraph, blockText, createDocument, docText, share, waitFor, within, type RawClient, type Session, type TestContext } from '../testing/harness'
import { startTeam, syncStep1Frame, updateFrame } from '../testing/team'

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/** Well-formed frames of every kind, built on a copy of the attacked document: the seeds of mutation. */
function validFrames(base: Y.Doc, self: Session): Uint8Array[] {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base))
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  blockText(doc, 1).insert(0, '键入')
  blockText(doc, 1).format(0, 2, { bold: {} }) // as the binding writes a mark without attributes
  blockText(doc, 1).insert(1, '建议', { insertion: { id: 's', authorId: self.user.id, authorName: self.user.displayName, createdAt: new Date().toISOString() } })
  appendParagraph(doc, '新段落')
  createThread(doc, { id: 'fuzz', author: { id: self.user.id, name: self.user.displayName }, text: '批注', quote: '', messageId: 'm' })
  blockText(doc, 1).delete(0, 1)
  doc.getXmlFragment(CONTENT_FRAGMENT).delete(0, 1)
  const awareness = new Awareness(new Y.Doc())
  awareness.setLocalState({ user: { name: '模糊', color: '#123456' }, cursor: null })
  const awarenessUpdate = encodeAwarenessUpdate(awareness, [awareness.clientID])
  awareness.destroy()
  return [
    syncStep1Frame(new Y.Doc()),
    syncStep1Frame(doc),
    frame((e) => {
      encoding.writeVarUint(e, 0)
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(doc))
    }),
    ...updates.map(updateFrame),
    updateFrame(Y.mergeUpdates(updates)),
    frame((e) => {
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint8Array(e, awarenessUpdate)
    }),
    new Uint8Array([3]),
    new Uint8Array([2, 0, 0]),
  ]
}

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'truncate'; at: number }

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(0, 1, 2, 0x7f, 0x80, 0xff) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
)

function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
  let out = [...bytes]
  for (const mutation of mutations) {
    const at = out.length === 0 ? 0 : mutation.at % out.length
    if (mutation.kind === 'flip' && out.length > 0) out[at] ^= 1 << mutation.bit
    else if (mutation.kind === 'set' && out.length > 0) out[at] = mutation.value
    else if (mutation.kind === 'insert') out.splice(at, 0, ...mutation.bytes)
    else if (mutation.kind === 'delete') out.splice(at, mutation.count)
    else if (mutation.kind === 'truncate') out = out.slice(0, at)
  }
  return new Uint8Array(out)
}

/** A varint that never ends (every byte has its continuation bit). */
const endlessVarint = (length: number) => new Array<number>(length).fill(0xff)

/** Frames of every kind the brief names: random bytes, mutated valid messages, truncated varints, huge lengths. */
export function frameArbitrary(valid: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const huge = fc.constantFrom(2 ** 31 - 1, 2 ** 32, 2 ** 53 - 1, 0x7fffffff * 128)
  return fc.oneof(
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 64 }) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 256, maxLength: 4096 }) },
    { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...valid), fc.array(mutationArbitrary, { minLength: 1, maxLength: 4 })).map(([base, m]) => mutate(base, m)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom([], [0], [0, 0], [0, 2], [1], [3]), fc.integer({ min: 1, max: 12 })).map(([prefix, n]) => new Uint8Array([...prefix, ...endlessVarint(n)])) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom([0, 0], [0, 1], [0, 2], [1], [0, 2, 10, 1], [0, 2, 10, 1, 1]), huge, fc.uint8Array({ maxLength: 16 })).map(([prefix, length, tail]) =>
        frame((e) => {
          for (const byte of prefix) encoding.writeUint8(e, byte)
          encoding.writeVarUint(e, length)
          encoding.writeUint8Array(e, tail)
        }),
      ),
    },
  )
}

export interface FuzzResult {
  framesPerRole: number
  seed: number
  /** Connections opened per role (a refused or malformed frame closes one). */
  connections: Record<string, number>
  /** How the server closed the attackers' sockets: close code → count. */
  closeCodes: Record<string, number>
  honestParagraphs: number
  seconds: number
}

/**
 * Sends `framesPerRole` frames as each role (one frame at a time, each followed by a sync step 1 so the
 * server has handled it before the next; a closed socket is replaced) while an honest drafter appends
 * paragraphs to another document; then checks the server answers and the honest document has every
 * paragraph, live and after a restart.
 */
export async function runProtocolFuzz(ctx: TestContext, framesPerRole: number, seed: number): Promise<FuzzResult> {
  const started = Date.now()
  const team = await startTeam(ctx)
  const honestDoc = await createDocument(team.owner, '诚实的文档', '诚实的文档\n开头。')
  await share(team.owner, honestDoc.id, 'drafter', 'drafter')
  const honest = await ctx.syncedProvider(team.drafter, honestDoc.id)
  const reference = await ctx.syncedProvider(team.owner, team.doc.id)

  let typing = true
  let typed = 0
  const typist = (async () => {
    while (typing) {
      appendParagraph(honest.doc, `第${typed}段。`)
      typed++
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  })()

  const connections: Record<string, number> = {}
  const closeCodes: Record<string, number> = {}
  // Seeds built before anything is sent: a drafter's frames may change the document a great deal.
  const roles = ['drafter', 'reviewer', 'viewer'] as const
  const seeds = new Map(roles.map((role) => [role, validFrames(reference.doc, team[role])]))
  reference.destroy()
  for (const role of roles) {
    const self = team[role]
    const frames = fc.sample(frameArbitrary(seeds.get(role)!), { numRuns: framesPerRole, seed: seed + role.length })
    let socket: RawClient | null = null
    connections[role] = 0
    for (const [index, data] of frames.entries()) {
      if (!socket || socket.closeInfo) {
        if (socket?.closeInfo) closeCodes[socket.closeInfo.code] = (closeCodes[socket.closeInfo.code] ?? 0) + 1
        socket = ctx.rawFor(self, team.doc.id)
        connections[role]++
        await within(socket.opened, 10_000, `${role}: connection ${connections[role]}`)
      }
      await sendAndWait(socket, data, `${role}: frame ${index}`)
      if (index % 500 === 499) {
        const health = await api(team.running, 'GET', '/api/health')
        if (health.status !== 200) throw new Error(`health answered ${health.status} after ${role} frame ${index}`)
      }
    }
    if (socket?.closeInfo) closeCodes[socket.closeInfo.code] = (closeCodes[socket.closeInfo.code] ?? 0) + 1
    socket?.terminate()
  }
  typing = false
  await typist

  // The honest document has every paragraph, live and after a restart.
  const expected = docText(honest.doc)
  for (let i = 0; i < typed; i++) if (!expected.includes(`第${i}段。`)) throw new Error(`the honest client lost paragraph ${i} locally`)
  const check = await ctx.syncedProvider(team.owner, honestDoc.id)
  await waitFor(() => docText(check.doc) === expected, 20_000, 'the honest document on the server')
  honest.destroy()
  await team.running.close()
  const again = await ctx.startServer({}, team.running.config.dataDir)
  const lease = await again.server.collab.lease(honestDoc.id)
  const stored = docText(lease.document.ydoc)
  lease.release()
  if (stored !== expected) throw new Error(`after a restart the honest document differs:\n${stored}\n${expected}`)
  return { framesPerRole, seed, connections, closeCodes, honestParagraphs: typed, seconds: Math.round((Date.now() - started) / 1000) }
}

/** Sends a frame, then a sync step 1; resolves once the server answered it or closed the socket. */
function sendAndWait(socket: RawClient, data: Uint8Array, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer)
      socket.ws.off('message', onMessage)
      socket.ws.off('close', done)
      resolve()
    }
    const onMessage = (message: ArrayBuffer, isBinary: boolean) => {
      const bytes = new Uint8Array(message)
      if (isBinary && bytes[0] === 0 && bytes[1] === 1) done()
    }
    const timer = setTimeout(() => {
      socket.ws.off('message', onMessage)
      socket.ws.off('close', done)
      reject(new Error(`${what}: no answer within 20 s`))
    }, 20_000)
    socket.ws.on('message', onMessage)
    socket.ws.on('close', done)
    if (socket.closeInfo) return done()
    socket.send(data)
    socket.send(syncStep1Frame(new Y.Doc()))
  })
}

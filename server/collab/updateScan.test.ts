import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createThread, replyToThread } from '../../shared/comments/threads'
import { plainTextToDocJSON } from '../../shared/editor/lib/plainText'
import { CONTENT_FRAGMENT, docJSONToUpdate } from '../../shared/editor/lib/ydoc'
import { propertyRuns } from '../../shared/testing/propertyRuns'
import { refusalOf } from '../extensions/UpdateRules'
import { contentTexts, rng } from '../testing/randomDocument'
import { CollabDocument } from './CollabDocument'
import type { Connection } from './Connection'
import { hasMissingDependencies } from './dependencies'
import { scanUpdate } from './updateScan'

const writer = { id: 'u1', name: '起草人' }
const initial = docJSONToUpdate(plainTextToDocJSON('二〇二二年度工作总结\n一、总体情况\n全年完成任务。\n（一）主要做法\n加强学习。'))
const pick = <T,>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]

const texts = contentTexts

/** One edit a client might send: mostly typing, and every kind of change the rules look at. */
function randomEdit(doc: Y.Doc, random: () => number): void {
  const fragment = doc.getXmlFragment(CONTENT_FRAGMENT)
  const all = texts(doc)
  const text = all.length > 0 ? pick(random, all) : null
  const choice = random()
  doc.transact(() => {
    if (text && choice < 0.45) text.insert(Math.floor(random() * (text.length + 1)), pick(random, ['建', 'a', '议补充', '🙂', 'xyz']))
    else if (text && choice < 0.6 && text.length > 0) {
      const at = Math.floor(random() * text.length)
      text.delete(at, Math.min(text.length - at, 1 + Math.floor(random() * 4)))
    } else if (text && choice < 0.64) text.insert(Math.floor(random() * (text.length + 1)), '粗', { bold: {} })
    else if (text && choice < 0.67 && text.length > 0) text.format(0, 1, { italic: {} })
    else if (text && choice < 0.7) text.setAttribute('x', 1)
    else if (text && choice < 0.72) text.insertEmbed(0, { image: 'x.png' })
    else if (choice < 0.77) {
      const paragraph = new Y.XmlElement('paragraph')
      fragment.insert(Math.floor(random() * (fragment.length + 1)), [paragraph])
      paragraph.insert(0, [new Y.XmlText('新段')])
    } else if (choice < 0.81 && fragment.length > 0) fragment.delete(Math.floor(random() * fragment.length), 1)
    else if (choice < 0.83) fragment.insert(0, [new Y.XmlText('顶层')])
    else if (choice < 0.86) doc.getText('text').insert(0, 'foreign')
    else if (choice < 0.89) createThread(doc, { id: `t${Math.floor(random() * 1e6)}`, author: writer, text: '意见', quote: '原文', messageId: `m${Math.floor(random() * 1e6)}` })
    else if (choice < 0.91) {
      const threads = [...doc.getMap('comments').keys()]
      if (threads.length > 0) replyToThread(doc, pick(random, threads), writer, '回复', `m${Math.floor(random() * 1e6)}`)
    } else if (choice < 0.94 && fragment.length > 0) {
      const element = fragment.get(Math.floor(random() * fragment.length))
      if (element instanceof Y.XmlElement) element.setAttribute('level', 2 as never)
    } else if (text) text.insert(text.length, '尾')
  })
}

/**
 * Three clients edit copies of a report and sync with each other now and then; their updates reach
 * the server one by one, sometimes merged, late, twice, or before what they depend on.
 */
function updateStream(seed: number, edits: number): Uint8Array[] {
  const random = rng(seed)
  const clients = [0, 1, 2].map((i) => {
    const doc = new Y.Doc()
    doc.clientID = 100 + i
    Y.applyUpdate(doc, initial)
    const out: Uint8Array[] = []
    doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== 'sync') out.push(u)
    })
    return { doc, out }
  })
  const stream: Uint8Array[] = []
  for (let e = 0; e < edits; e++) {
    const client = pick(random, clients)
    randomEdit(client.doc, random)
    if (random() < 0.2) {
      const other = pick(random, clients)
      if (other !== client) Y.applyUpdate(client.doc, Y.encodeStateAsUpdate(other.doc, Y.encodeStateVector(client.doc)), 'sync')
    }
    if (random() < 0.5) {
      const ready = client.out.splice(0)
      if (ready.length === 0) continue
      const sent = ready.length > 1 && random() < 0.5 ? [Y.mergeUpdates(ready)] : ready
      for (const update of sent) {
        const r = random()
        if (r < 0.08 && stream.length > 0) stream.splice(stream.length - 1, 0, update)
        else stream.push(update)
        if (r > 0.95) stream.push(update)
      }
    }
  }
  return stream
}

describe('updateScan: one read of the bytes agrees with the full checks', () => {
  it('missing = hasMissingDependencies; plainText ⇒ the update rules allow it; wholeNew ⇒ nothing in it is in the document yet', () => {
    let decided = 0
    let plain = 0
    let whole = 0
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const server = new Y.Doc()
        Y.applyUpdate(server, initial)
        const waiting: Uint8Array[] = []
        const deliver = (update: Uint8Array): boolean => {
          const scan = scanUpdate(server, update)
          const missing = hasMissingDependencies(server, update)
          if (scan) {
            decided++
            expect(scan.missing).toBe(missing)
            if (scan.plainText) {
              plain++
              expect(scan.wholeNew).toBe(true)
              expect(refusalOf(server, update, writer)).toBeNull()
            }
            if (scan.wholeNew) {
              whole++
              for (const struct of Y.decodeUpdate(update).structs) expect(struct.id.clock).toBeGreaterThanOrEqual(Y.getState(server.store, struct.id.client))
            }
          }
          if (missing) return false
          Y.applyUpdate(server, update)
          return true
        }
        for (const update of updateStream(seed, 40)) {
          if (!deliver(update)) waiting.push(update)
          for (let progress = true; progress; ) {
            progress = false
            for (let i = 0; i < waiting.length; i++) {
              if (!hasMissingDependencies(server, waiting[i])) {
                deliver(waiting.splice(i, 1)[0])
                progress = true
                break
              }
            }
          }
        }
      }),
      propertyRuns(150),
    )
    if (process.env.SCAN_COUNTS) console.log({ decided, plain, whole })
    // The property must have had something to say: most updates are typing.
    expect(plain).toBeGreaterThan(decided / 4)
    expect(whole).toBeGreaterThan(plain)
  })

  it('refuses what the rules refuse: a string in a root text, at the top of the content, or under a key is never plain text', () => {
    const server = new Y.Doc()
    Y.applyUpdate(server, initial)
    const client = new Y.Doc()
    Y.applyUpdate(client, initial)
    const updates: Uint8Array[] = []
    client.on('update', (u: Uint8Array) => updates.push(u))
    client.getText('text').insert(0, 'foreign')
    client.getXmlFragment(CONTENT_FRAGMENT).insert(0, [new Y.XmlText('top')])
    texts(client)[0].setAttribute('k', 'v' as never)
    for (const update of updates) {
      expect(scanUpdate(server, update)?.plainText ?? false).toBe(false)
      expect(refusalOf(server, update, writer)).not.toBeNull()
    }
  })

  it('a wholly new update relayed as received leaves the log and the other clients with exactly the document', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const document = new CollabDocument('d')
        Y.applyUpdate(document.ydoc, initial)
        const mirror = new Y.Doc()
        Y.applyUpdate(mirror, initial)
        let relayedAsReceived = 0
        document.startRelaying((update) => Y.applyUpdate(mirror, update))
        const sender = {} as Connection
        for (const update of updateStream(seed, 30)) {
          if (hasMissingDependencies(document.ydoc, update)) continue
          const scan = scanUpdate(document.ydoc, update)
          if (scan?.wholeNew) {
            relayedAsReceived++
            document.applyReceived(update, null, sender)
          } else Y.applyUpdate(document.ydoc, update, sender)
        }
        expect(Y.equalSnapshots(Y.snapshot(mirror), Y.snapshot(document.ydoc))).toBe(true)
        expect(mirror.getXmlFragment(CONTENT_FRAGMENT).toString()).toBe(document.ydoc.getXmlFragment(CONTENT_FRAGMENT).toString())
        expect(relayedAsReceived).toBeGreaterThan(0)
        document.destroy()
      }),
      propertyRuns(60),
    )
  })
})

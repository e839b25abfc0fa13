/**
 * Random multi-author Yjs documents for property-style tests of storage and sync: every kind of
 * shared type the editor or the API uses (text with formatting and embeds, maps, nested types, XML
 * elements with attributes), edited by several replicas that sync now and then.
 */
import * as Y from 'yjs'

/** A small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(random: () => number, items: T[]): T => items[Math.floor(random() * items.length)]
const words = ['报告', '党建', 'alpha', 'beta', '第一段', 'γ', '🙂', 'x', '工作总结', 'lorem ipsum']

/** One random edit on one replica, touching every kind of shared type the editor or the API uses. */
function randomEdit(doc: Y.Doc, random: () => number): void {
  const text = doc.getText('text')
  const map = doc.getMap('map')
  const fragment = doc.getXmlFragment('default')
  const choice = Math.floor(random() * 9)
  doc.transact(() => {
    if (choice === 0 || choice === 1) {
      text.insert(Math.floor(random() * (text.length + 1)), pick(random, words), random() < 0.3 ? { bold: true } : undefined)
    } else if (choice === 2 && text.length > 0) {
      const at = Math.floor(random() * text.length)
      text.delete(at, Math.min(text.length - at, 1 + Math.floor(random() * 5)))
    } else if (choice === 3 && text.length > 0) {
      const at = Math.floor(random() * text.length)
      text.format(at, Math.min(text.length - at, 3), { italic: random() < 0.5 ? true : null })
    } else if (choice === 4) {
      text.insertEmbed(Math.floor(random() * (text.length + 1)), { image: `img-${Math.floor(random() * 100)}.png` })
    } else if (choice === 5) {
      const key = pick(random, ['a', 'b', 'c', 'd'])
      if (random() < 0.2) map.delete(key)
      else if (random() < 0.5) map.set(key, { n: Math.floor(random() * 1000), s: pick(random, words) })
      else {
        const nested = new Y.Map<unknown>()
        map.set(key, nested)
        nested.set('list', Y.Array.from([1, 2, pick(random, words)]))
        nested.set('note', new Y.Text(pick(random, words)))
      }
    } else if (choice === 6 || choice === 7) {
      const paragraph = new Y.XmlElement(random() < 0.2 ? 'heading' : 'paragraph')
      paragraph.setAttribute('align', pick(random, ['left', 'center']))
      const content = new Y.XmlText()
      paragraph.insert(0, [content])
      fragment.insert(Math.floor(random() * (fragment.length + 1)), [paragraph])
      content.insert(0, pick(random, words), random() < 0.3 ? { strong: {} } : undefined)
      content.setAttribute('lang', 'zh')
    } else if (fragment.length > 0) {
      const index = Math.floor(random() * fragment.length)
      const node = fragment.get(index)
      if (random() < 0.3) fragment.delete(index, 1)
      else if (node instanceof Y.XmlElement) {
        const inner = node.get(0)
        if (inner instanceof Y.XmlText) inner.insert(Math.floor(random() * (inner.length + 1)), pick(random, words))
        node.setAttribute('data-rev', String(Math.floor(random() * 10)))
      }
    }
  })
}

/** Several replicas editing concurrently and syncing now and then, like people in one document. */
export function randomDocument(seed: number, edits: number, replicas = 4, gc = true): Y.Doc {
  const random = rng(seed)
  // Fixed client ids: Yjs orders clients by id, so random ones would make a failure unrepeatable.
  const docs = Array.from({ length: replicas }, (_, i) => {
    const doc = new Y.Doc({ gc })
    doc.clientID = 1 + Math.floor(random() * 1e6) * 10 + i
    return doc
  })
  for (let i = 0; i < edits; i++) {
    randomEdit(pick(random, docs), random)
    if (random() < 0.15) {
      const [a, b] = [pick(random, docs), pick(random, docs)]
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
    }
  }
  const merged = new Y.Doc({ gc })
  for (const doc of docs) Y.applyUpdate(merged, Y.encodeStateAsUpdate(doc))
  for (const doc of docs) doc.destroy()
  return merged
}

/** The XmlTexts of a document's content, in document order. */
export function contentTexts(doc: Y.Doc): Y.XmlText[] {
  const found: Y.XmlText[] = []
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) found.push(child)
      else if (child instanceof Y.XmlElement) walk(child)
    }
  }
  walk(doc.getXmlFragment('default'))
  return found
}

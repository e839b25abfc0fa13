import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { schema } from '../schema'
import { plainTextToDocJSON } from './plainText'
import { CONTENT_FRAGMENT, docJSONToUpdate, yDocToNode } from './ydoc'

const fresh = (ydoc: Y.Doc) => yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(CONTENT_FRAGMENT), schema)

function report(): Y.Doc {
  const ydoc = new Y.Doc()
  Y.applyUpdate(ydoc, docJSONToUpdate(plainTextToDocJSON('述职报告\n一、工作情况\n全年主持局委会*次。\n二、存在问题\n**局协调不够。')))
  return ydoc
}

/** The first XmlText of the content, in document order (a paragraph's or a title's text). */
function texts(ydoc: Y.Doc): Y.XmlText[] {
  const out: Y.XmlText[] = []
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) out.push(child)
      else if (child instanceof Y.XmlElement) walk(child)
    }
  }
  walk(ydoc.getXmlFragment(CONTENT_FRAGMENT))
  return out
}

describe('yDocToNode', () => {
  it('gives the same node while the document does not change, and the current content after any change', () => {
    const ydoc = report()
    const first = yDocToNode(ydoc)
    expect(yDocToNode(ydoc)).toBe(first)
    texts(ydoc)[2].insert(0, '今年')
    const typed = yDocToNode(ydoc)
    expect(typed).not.toBe(first)
    expect(typed.textContent).toContain('今年全年主持局委会')
    // A change from elsewhere (another replica's update) is seen too.
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(ydoc))
    texts(other)[4].delete(0, 3)
    Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(ydoc)))
    expect(yDocToNode(ydoc).eq(fresh(ydoc))).toBe(true)
    expect(yDocToNode(ydoc).textContent).not.toContain('**局')
  })

  it('always equals a fresh conversion, whatever the edits, deletions and formatting between reads', () => {
    const op = fc.record({
      kind: fc.constantFrom('insert', 'delete', 'format', 'read'),
      text: fc.nat(),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 4 }),
      chars: fc.string({ minLength: 1, maxLength: 3 }),
    })
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const ydoc = report()
        for (const o of ops) {
          const all = texts(ydoc)
          const text = all[o.text % all.length]
          const at = text.length === 0 ? 0 : o.at % text.length
          if (o.kind === 'insert') text.insert(at, o.chars)
          else if (o.kind === 'delete' && text.length > 0) text.delete(at, Math.min(o.length, text.length - at))
          else if (o.kind === 'format' && text.length > 0) text.format(at, Math.min(o.length, text.length - at), { bold: {} })
          else expect(yDocToNode(ydoc).eq(fresh(ydoc))).toBe(true)
        }
        expect(yDocToNode(ydoc).eq(fresh(ydoc))).toBe(true)
      }),
      { numRuns: 150 },
    )
  })
})

import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState, TextSelection } from '@tiptap/pm/state'
import { Transform } from '@tiptap/pm/transform'
import { updateYFragment } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { analyzeReport } from '../lib/analyzeReport'
import { CONTENT_FRAGMENT, docJSONToUpdate, yDocToNode, type DocJSON } from '../lib/ydoc'
import { schema } from '../schema'
import { sampleDoc } from '../testing/reportFixtures'
import { reviewStructural, structuralSuggestions, suggestSectionChange } from './structural'

/** A ProseMirror change made the way the editor's Yjs binding makes it. */
function edit(ydoc: Y.Doc, change: (doc: PMNode) => PMNode): void {
  const next = change(yDocToNode(ydoc))
  ydoc.transact(() => updateYFragment(ydoc, ydoc.getXmlFragment(CONTENT_FRAGMENT), next, { mapping: new Map(), isOMark: new Map() }))
}

function exchange(a: Y.Doc, b: Y.Doc): void {
  const [toB, toA] = [Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), Y.encodeStateAsUpdate(b, Y.encodeStateVector(a))]
  Y.applyUpdate(b, toB)
  Y.applyUpdate(a, toA)
}

describe('a pending structural suggestion in Yjs', () => {
  it('is one attribute change: a drafter typing in that section at the same moment keeps every character', () => {
    const update = docJSONToUpdate(sampleDoc().toJSON() as DocJSON)
    const [leader, drafter] = [new Y.Doc(), new Y.Doc()]
    Y.applyUpdate(leader, update)
    Y.applyUpdate(drafter, update)
    const label = '（一）落实党建政治责任'
    const sectionOf = (doc: PMNode) => analyzeReport(doc).sections.find((section) => section.label === label)!

    // At the same time: the leader suggests moving 一（一） down, the drafter types in its paragraph.
    edit(leader, (doc) => {
      const state = EditorState.create({ doc, selection: TextSelection.create(doc, sectionOf(doc).pos + 2) })
      let result = doc
      suggestSectionChange('moveDown', { id: 'u-wang', name: '王局长' })(state, (tr) => (result = tr.doc))
      return result
    })
    edit(drafter, (doc) => {
      const at = sectionOf(doc).pos + 1 + doc.nodeAt(sectionOf(doc).pos)!.child(0).nodeSize + 1
      return new Transform(doc).insert(at, schema.text('起草人同时输入的文字')).doc
    })
    exchange(leader, drafter)

    const [a, b] = [yDocToNode(leader), yDocToNode(drafter)]
    expect(a.eq(b)).toBe(true)
    expect(a.textContent).toContain('起草人同时输入的文字一年来')
    expect(structuralSuggestions(a).map((entry) => entry.suggestion.op)).toEqual(['moveDown'])

    // Accepted, the section moves with the drafter's words in it.
    const tr = new Transform(a)
    reviewStructural(tr, true, () => true)
    expect(analyzeReport(tr.doc).sections.map((section) => section.label).slice(1, 3)).toEqual(['（一）完成重大政治任务', '（二）落实党建政治责任'])
    expect(tr.doc.textContent).toContain('起草人同时输入的文字一年来')
  })
})

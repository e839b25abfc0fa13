// @vitest-environment happy-dom
import { Editor } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState } from '@tiptap/pm/state'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { propertyRuns } from '../../testing/propertyRuns'
import { schema } from '../schema'
import { documentExtensions } from '../extensions'
import { CONTENT_FRAGMENT, yDocToNode } from '../lib/ydoc'
import { ALL_OPS, AUTHORS, acceptedView, op, plan, report, textblocks } from '../testing/suggestSession'
import { prosemirrorToYDoc } from '@tiptap/y-tiptap'
import { byAuthor, byId, reviewedDoc } from './review'
import { suggestionIds } from '../testing/reviewInvariants'
import { placeholderBoundary } from '../plugins/placeholderBoundary'
import { SuggestChanges } from './SuggestChanges'

const DRAFTER = { id: 'u-drafter', name: '李四' }
const DIGITS = /[0-9]/g

type Step = { who: 'leader'; op: ReturnType<typeof op> extends fc.Arbitrary<infer T> ? T : never } | { who: 'drafter'; at: number; digit: string } | { who: 'sync' }

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: op(1, ALL_OPS).map((leaderOp) => ({ who: 'leader' as const, op: leaderOp })) },
  { weight: 2, arbitrary: fc.record({ who: fc.constant('drafter' as const), at: fc.nat(), digit: fc.constantFrom(...'0123456789') }) },
  { weight: 1, arbitrary: fc.constant({ who: 'sync' as const }) },
)

/** A document as JSON with each mark set sorted: Yjs keeps two comments on the same text in either order. */
const canonical = (doc: PMNode) =>
  JSON.stringify(doc.toJSON(), (key, value) => (key === 'marks' && Array.isArray(value) ? [...value].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) : value))

/** Per textblock, its text without the drafter's digits and the zero-width markers. */
const blocksText = (doc: PMNode) => textblocks(doc).map(({ node }) => node.textContent.replace(DIGITS, '').replace(/\u200B/g, ''))

function editorOn(ydoc: Y.Doc, mode: 'edit' | 'suggest', author: { id: string; name: string }): Editor {
  return new Editor({ extensions: [...documentExtensions(), Collaboration.configure({ document: ydoc }), SuggestChanges.configure({ author, mode })] })
}

/**
 * The leader suggests (typing, deletions, replacements, formatting, paragraph splits and joins,
 * pasted paragraphs) in one replica while a drafter types digits anywhere,
 * the same paragraphs included, in another; updates are relayed or held back for a while, as over a
 * real connection. Each suggestion, accepted at once, gives what the same edit gives in 编辑 mode;
 * at the end both replicas agree, rejecting all gives the original plus the drafter's digits, and
 * reviewing by author or one at a time in any order agrees with reviewing all.
 */
describe('review with a drafter typing concurrently through Yjs (property)', () => {
  it('converges and keeps the review invariants', () => {
    fc.assert(
      fc.property(report, fc.array(step, { minLength: 1, maxLength: 12 }), fc.array(fc.nat()), (original, steps, order) => {
        const docs = [prosemirrorToYDoc(original, CONTENT_FRAGMENT), new Y.Doc()]
        Y.applyUpdate(docs[1], Y.encodeStateAsUpdate(docs[0]))
        const held: [number, Uint8Array][] = []
        let connected = true
        docs.forEach((doc, index) =>
          doc.on('update', (update: Uint8Array, origin: unknown) => {
            if (origin === 'relay') return
            if (connected) Y.applyUpdate(docs[1 - index], update, 'relay')
            else held.push([1 - index, update])
          }),
        )
        const flush = () => {
          for (const [target, update] of held.splice(0)) Y.applyUpdate(docs[target], update, 'relay')
        }
        const leader = editorOn(docs[0], 'suggest', AUTHORS[0])
        const drafter = editorOn(docs[1], 'edit', DRAFTER)
        try {
          for (const next of steps) {
            if (next.who === 'sync') {
              flush()
              connected = !connected
            } else if (next.who === 'drafter') {
              const positions = textblocks(drafter.state.doc).flatMap(({ node, pos }) => Array.from({ length: node.content.size + 1 }, (_, i) => pos + 1 + i))
              drafter.view.dispatch(drafter.state.tr.insertText(next.digit, positions[next.at % positions.length]))
            } else {
              const view = acceptedView(leader.state.doc)
              const build = plan(view.doc, next.op)
              // 编辑 mode as the editor runs it: typing at a paragraph's start before a figure stays out of it.
              const editState = EditorState.create({ doc: view.doc, plugins: [placeholderBoundary()] })
              const inEdit = build?.(editState, (pos) => pos)
              const inSuggest = build?.(leader.state, view.toSuggested)
              if (!inEdit || !inSuggest || !inEdit.tr.docChanged) continue
              const before = leader.state.doc
              leader.view.dispatch(inSuggest.tr)
              // Accepting everything right after the edit gives what the same edit gives in 编辑 mode.
              if (leader.state.doc !== before) expect(canonical(reviewedDoc(leader.state.doc, true))).toBe(canonical(editState.applyTransaction(inEdit.tr).state.doc))
            }
          }
          flush()
          connected = true
          const final = leader.state.doc
          // Each editor has a schema of its own: compared as JSON.
          expect(canonical(drafter.state.doc)).toBe(canonical(final))
          expect(yDocToNode(docs[0]).eq(yDocToNode(docs[1]))).toBe(true)
          expect(blocksText(reviewedDoc(final, false))).toEqual(blocksText(original))
          for (const accept of [true, false]) {
            const all = reviewedDoc(final, accept)
            expect(canonical(reviewedDoc(final, accept, byAuthor(AUTHORS[0].id)))).toBe(canonical(all))
            let oneByOne = final
            const ids = suggestionIds(final)
            order.forEach((n) => ids.length > 1 && ids.push(...ids.splice(n % ids.length, 1)))
            for (const id of ids) oneByOne = reviewedDoc(oneByOne, accept, byId(id))
            expect(canonical(oneByOne)).toBe(canonical(all))
            expect(suggestionsIn(all)).toBe(0)
            expect(all.textContent).not.toContain('\u200B')
          }
        } finally {
          leader.destroy()
          drafter.destroy()
        }
      }),
      { ...propertyRuns(60), examples: SHRUNK },
    )
    // Two live editors per case: slower than the headless properties.
  }, process.env.FUZZ ? 30 * 60_000 : 90_000)
})

const suggestionsIn = (doc: PMNode) => suggestionIds(doc).length

/**
 * Failures found by longer runs (seed 1240827078), replayed first on every run. The leader's Enter
 * and Backspace in a paragraph (here right after suggesting bold) while the drafter, offline, types in
 * it: y-tiptap wrote the paragraph's text again (all of it for an Enter at its start) and re-wrote the
 * formatting markers around the drafter's digit; the markers left without an end made the report's
 * text part of the suggestion, and reject-all removed it (patches/@tiptap+y-tiptap+3.0.9.patch:
 * bestAlignment, formatChangedRuns).
 */
const SHRUNK: Array<[PMNode, Step[], number[]]> = [0, 486752479].map((splitAt) => [
  schema.nodeFromJSON({
    type: 'doc',
    content: [
      { type: 'reportTitle', content: [{ type: 'text', text: '工作工作报告' }] },
      { type: 'paragraph', content: [{ type: 'text', text: '工作工作。' }] },
      { type: 'section', attrs: { level: 1 }, content: [{ type: 'sectionTitle', content: [{ type: 'text', text: '工作' }] }] },
    ],
  }),
  [
    { who: 'drafter', at: 0, digit: '0' },
    { who: 'leader', op: { kind: 'format', author: 0, at: 1516412698, length: 2, mark: 'bold' } },
    { who: 'sync' },
    { who: 'drafter', at: 789358585, digit: '0' },
    { who: 'leader', op: { kind: 'split', author: 0, at: splitAt } },
    { who: 'leader', op: { kind: 'joinDelete', author: 0, at: 0, before: 0, after: 0 } },
  ] as Step[],
  [],
])
/** A report of a title, paragraphs, then one section holding a paragraph that opens with a figure. */
const figureFirst = (title: string, opening: string[], sectionTitle: string, mask: string, rest: string): PMNode =>
  schema.nodeFromJSON({
    type: 'doc',
    content: [
      { type: 'reportTitle', content: [{ type: 'text', text: title }] },
      ...opening.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
      {
        type: 'section',
        attrs: { level: 1 },
        content: [
          { type: 'sectionTitle', content: [{ type: 'text', text: sectionTitle }] },
          { type: 'paragraph', content: [{ type: 'text', text: mask, marks: [{ type: 'placeholder', attrs: { id: 'ph0', kind: 'count' } }] }, { type: 'text', text: rest }] },
        ],
      },
    ],
  })
// Seed 836614046 (a long run): typing at the start of a paragraph that opens with a figure whose fill
// the leader had suggested went into the figure; in 编辑 it stays out (plugins/placeholderBoundary.ts).
SHRUNK.push([
  figureFirst('工作工作报告', ['工作工作。'], '工作工作', '*', '次工作工作工作。工作。'),
  [
    { who: 'leader', op: { kind: 'delete', author: 0, at: 981963540, length: 2 } },
    { who: 'leader', op: { kind: 'replace', author: 0, at: 669394063, length: 1, text: '新' } },
    { who: 'leader', op: { kind: 'replace', author: 0, at: 0, length: 4, text: '新新新' } },
    { who: 'leader', op: { kind: 'split', author: 0, at: 0 } },
    { who: 'leader', op: { kind: 'insert', author: 0, at: 715763835, text: '新' } },
    { who: 'leader', op: { kind: 'join', author: 0, at: 0 } },
  ] as Step[],
  [],
])
// Seed 1019850659: with that fix first written, typing over the start of such a figure no longer filled it.
SHRUNK.push([figureFirst('工作报告', [], '工作', '××', '个工作。'), [{ who: 'leader', op: { kind: 'replace', author: 0, at: 6, length: 1, text: '新' } }] as Step[], []])
// Seed 968534387: the leader filled such a figure (「*.」 replaced by 「新」), then made 「新」 bold; formatting
// one's own suggested text re-inserts it, and the boundary took it out of the figure as if typed.
const ph = (id: string, kind: string, text: string) => ({ type: 'text', text, marks: [{ type: 'placeholder', attrs: { id, kind } }] })
const text = (value: string) => ({ type: 'text', text: value })
SHRUNK.push([
  schema.nodeFromJSON({
    type: 'doc',
    content: [
      { type: 'reportTitle', content: [text('工作报告')] },
      { type: 'paragraph', content: [ph('ph0', 'count', '××'), text('个工作工作'), ph('ph1', 'count', '*'), text('次工作。')] },
      {
        type: 'section',
        attrs: { level: 1 },
        content: [
          { type: 'sectionTitle', content: [text('工作工作')] },
          { type: 'paragraph', content: [text('工作工作工作工作。')] },
          { type: 'paragraph', content: [text('工作。')] },
          { type: 'section', attrs: { level: 2 }, content: [{ type: 'sectionTitle', content: [text('工作工作。')] }, { type: 'paragraph', content: [text('工作工作。工作工作。')] }] },
        ],
      },
      {
        type: 'section',
        attrs: { level: 1 },
        content: [
          { type: 'sectionTitle', content: [text('工作工作工作')] },
          { type: 'section', attrs: { level: 2 }, content: [{ type: 'sectionTitle', content: [text('工作工作工作。')] }, { type: 'paragraph', content: [ph('ph2', 'percent', '*.*'), text('%工作。')] }] },
        ],
      },
    ],
  }),
  [
    { who: 'leader', op: { kind: 'insert', author: 0, at: 0, text: '新新' } },
    { who: 'drafter', at: 0, digit: '0' },
    { who: 'leader', op: { kind: 'replace', author: 0, at: 575767493, length: 2, text: '新' } },
    { who: 'leader', op: { kind: 'format', author: 0, at: 1947714054, length: 1, mark: 'bold' } },
    { who: 'drafter', at: 0, digit: '0' },
  ] as Step[],
  [],
])

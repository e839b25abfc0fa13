// @vitest-environment happy-dom
/**
 * Random keystrokes by two people through Yjs, the way the product syncs: 王局长 in 建议 and 张明 in
 * 编辑, each on a mounted editor bound to a Y.Doc of their own, with a server's Y.Doc between them; each
 * side's updates wait on the wire until a random moment (or go at once). The server checks every update
 * of the reviewer as ReviewGuard does (with that person's suggestions withdrawn, the report before and
 * after are the same) and each must pass: a refused update is a reload and lost typing for the person.
 * At the end everyone holds the same report.
 *
 * A reproducer, run by `npm run fuzz` only: it FAILS today within a few hundred cases (open defects, in
 * the closing note of 2026-12-02), the server refusing the reviewer's update:
 * - 张明 presses Enter at the title's start (the title is left empty), then 王局长 presses Delete in
 *   that empty title: the suggested join is not one the server takes;
 * - both edit the same spot at the same moment (both press Enter at the title's start; both type
 *   there and 王局长 then presses Ctrl+Delete): merged after the drafter's edit, the reviewer's update
 *   is no longer only a suggestion.
 * (It also found Ctrl+I in 建议 over another person's line break, fixed: formattingOfTextOnly.)
 */
import Collaboration from '@tiptap/extension-collaboration'
import type { Node as PMNode } from '@tiptap/pm/model'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { prosemirrorToYDoc } from '@tiptap/y-tiptap'
import { propertyRuns } from '../testing/propertyRuns'
import { documentExtensions } from './extensions'
import { CONTENT_FRAGMENT, yDocToNode } from './lib/ydoc'
import { SuggestChanges } from './suggestions/SuggestChanges'
import { REVIEWER, play, reviewerForm, step, withoutBreakMarks, type Step } from './testing/keystrokes'
import { mountedEditors } from './testing/mountedEditors'
import { sampleDoc } from './testing/reportFixtures'
import { report } from './testing/suggestSession'

const DRAFTER = { id: 'u-zhang', name: '张明' }
const editors = mountedEditors()

type Turn = { who: 0 | 1; step: Step } | { deliver: 0 | 1 }

const turn: fc.Arbitrary<Turn> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ who: fc.constantFrom<0 | 1>(0, 1), step }) },
  { weight: 1, arbitrary: fc.record({ deliver: fc.constantFrom<0 | 1>(0, 1) }) },
)

/** A document as JSON with each mark set sorted (Yjs keeps two comments on the same text in either order) and no marks on line breaks. */
const canonical = (doc: PMNode) =>
  JSON.stringify(withoutBreakMarks(doc.toJSON()), (key, value) => (key === 'marks' && Array.isArray(value) ? [...value].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) : value))

describe('random keystrokes by a reviewer and a drafter (property)', () => {
  it('every reviewer update passes the server’s check, and both end with the same report', () => {
    fc.assert(
      fc.property(fc.option(report, { nil: null }), fc.array(turn, { minLength: 1, maxLength: 16 }), (original, turns) => {
        const server = prosemirrorToYDoc(original ?? sampleDoc(), CONTENT_FRAGMENT)
        const docs = [new Y.Doc(), new Y.Doc()]
        for (const doc of docs) Y.applyUpdate(doc, Y.encodeStateAsUpdate(server))
        // What each side sent and the server has not received yet, and what the server sent each side.
        const toServer: Uint8Array[][] = [[], []]
        const toClient: Uint8Array[][] = [[], []]
        docs.forEach((doc, side) => doc.on('update', (update: Uint8Array, origin: unknown) => origin !== server && toServer[side].push(update)))
        const receive = (side: number) => {
          for (const update of toServer[side].splice(0)) {
            const before = side === 0 ? reviewerForm(yDocToNode(server)) : null
            Y.applyUpdate(server, update, side)
            if (before) expect(reviewerForm(yDocToNode(server)).eq(before)).toBe(true)
            toClient[1 - side].push(update)
          }
          for (const [other, updates] of toClient.entries()) for (const update of updates.splice(0)) Y.applyUpdate(docs[other], update, server)
        }
        const people = [
          editors.mount([...documentExtensions(), Collaboration.configure({ document: docs[0], field: CONTENT_FRAGMENT }), SuggestChanges.configure({ author: REVIEWER, mode: 'suggest' })]),
          editors.mount([...documentExtensions(), Collaboration.configure({ document: docs[1], field: CONTENT_FRAGMENT }), SuggestChanges.configure({ author: DRAFTER, mode: 'edit' })]),
        ]
        try {
          for (const each of turns) {
            if ('deliver' in each) receive(each.deliver)
            else play(people[each.who], each.step)
          }
          receive(0)
          receive(1)
          receive(0)
          const final = yDocToNode(server)
          for (const [side, person] of people.entries()) {
            expect(canonical(yDocToNode(docs[side]))).toBe(canonical(final))
            expect(canonical(person.state.doc)).toBe(canonical(final))
          }
        } finally {
          people.forEach((person) => person.destroy())
        }
      }),
      // Two live editors and a server check per reviewer update; happy-dom's heap grows per mounted editor.
      { ...propertyRuns(300), numRuns: Math.min(propertyRuns(300).numRuns, 1_500) },
    )
  }, 600_000)
})

// @vitest-environment happy-dom
/**
 * Random keystrokes by 王局长 in 建议 and 张明 in 编辑, taking turns, through Yjs the way the product
 * syncs (testing/collabPair.ts): each keystroke reaches the other before the next. Every reviewer
 * update passes the server's check (a refused one is a reload and lost typing), and both end with the
 * same report; the same with 张明 accepting and rejecting suggestions meanwhile, with 张明 under 按分工编辑
 * (sections assigned to him, one 定稿; the server compares the rest of the report, as SectionGuard does),
 * and for two reviewers, 王局长 and 李处长, both in 建议. With two reviewers it found
 * a reviewer's keystroke next to (or over) another reviewer's suggestion making it the typist's own
 * (fixed: stampAuthor's restoreOthersSuggestions); what it and the fuzz found is pinned down in
 * collaboration.twoPeople.test.ts.
 * (keystrokes.collab.fuzz.ts plays the two at the same moment, in `npm run fuzz`.)
 */
import fc from 'fast-check'
import { describe, it } from 'vitest'
import { propertyRuns } from '../testing/propertyRuns'
import { COLLAB_SITUATIONS, collabKeystrokes } from './testing/collabPair'
import { mountedEditors } from './testing/mountedEditors'

const editors = mountedEditors()

// Two live editors per case; happy-dom's heap grows per mounted editor, so `npm run fuzz` is capped.
const runs = { ...propertyRuns(60), numRuns: Math.min(propertyRuns(60).numRuns, 1_000) }

describe('random keystrokes by two people taking turns (property)', () => {
  for (const { name, options } of COLLAB_SITUATIONS) {
    it(name, () => {
      fc.assert(collabKeystrokes(editors, { sequential: true, ...options }), runs)
    }, 600_000)
  }
})

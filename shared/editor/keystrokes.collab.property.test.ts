// @vitest-environment happy-dom
/**
 * Random keystrokes by 王局长 in 建议 and 张明 in 编辑, taking turns, through Yjs the way the product
 * syncs (testing/collabPair.ts): each keystroke reaches the other before the next. Every reviewer
 * update passes the server's check (a refused one is a reload and lost typing), and both end with the
 * same report. It found: Delete in a title the drafter had left empty threw in 建议.
 * (keystrokes.collab.fuzz.ts plays the two at the same moment, in `npm run fuzz`.)
 */
import fc from 'fast-check'
import { describe, it } from 'vitest'
import { propertyRuns } from '../testing/propertyRuns'
import { collabKeystrokes } from './testing/collabPair'
import { mountedEditors } from './testing/mountedEditors'

const editors = mountedEditors()

describe('random keystrokes by a reviewer and a drafter taking turns (property)', () => {
  it('every reviewer update passes the server’s check, and both end with the same report', () => {
    // Two live editors per case; happy-dom's heap grows per mounted editor, so `npm run fuzz` is capped.
    fc.assert(collabKeystrokes(editors, true), { ...propertyRuns(80), numRuns: Math.min(propertyRuns(80).numRuns, 1_500) })
  }, 600_000)
})

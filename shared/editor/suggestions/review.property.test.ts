import fc from 'fast-check'
import { describe, it } from 'vitest'
import { propertyRuns } from '../../testing/propertyRuns'
import { checkAllAtOnce, checkAnyOrder } from '../testing/reviewInvariants'
import { ALL_OPS, PARAGRAPH_OPS, TEXT_OPS, playSession, report, session } from '../testing/suggestSession'

/**
 * Review of random 建议 sessions on random reports (suggestSession.ts): typing, deletions,
 * replacements, formatting, paragraph splits (Enter), joins (Backspace, or a deletion from one
 * paragraph into the next) and pasted paragraphs, by 1–3 people, mixed freely.
 *
 * Left out: Enter and Backspace in section titles, and deletions across a section boundary: those are
 * section commands (suggested as structure by suggestions/structural.ts, structural.property.test.ts).
 * Edits the editor refuses in 建议 (changing another person's suggested insertion or break) are not made.
 * Regression cases shrunk from failures are in breaks.test.ts.
 */
/** A longer run (npm run fuzz, FUZZ_RUNS) takes minutes. */
const LONG = process.env.FUZZ_RUNS ? 60 * 60_000 : 60_000

describe('review of random suggestion sessions (property)', () => {
  const textSession = fc.record({ original: report, session: session(3, TEXT_OPS), order: fc.array(fc.nat()) })
  const paragraphSession = fc.record({ original: report, session: session(1, PARAGRAPH_OPS), order: fc.array(fc.nat()) })
  const mixedSession = fc.record({ original: report, session: session(3, ALL_OPS), order: fc.array(fc.nat()) })

  it('text and format edits by 1–3 people: reject-all restores the original, accept-all equals 编辑 mode, no marks left', () => {
    fc.assert(
      fc.property(textSession, ({ original, session: { ops } }) => checkAllAtOnce(original, ops)),
      propertyRuns(200),
    )
  }, LONG)

  it('text and format edits by 1–3 people: by author, or one at a time in any order, equals all at once', () => {
    fc.assert(
      fc.property(textSession, ({ original, session: { ops }, order }) => checkAnyOrder(playSession(original, ops).suggested, order)),
      propertyRuns(150),
    )
  }, LONG)

  it('paragraph splits, joins, deletions across paragraphs and pasted paragraphs: all invariants', () => {
    fc.assert(
      fc.property(paragraphSession, ({ original, session: { ops }, order }) => {
        checkAllAtOnce(original, ops)
        checkAnyOrder(playSession(original, ops).suggested, order)
      }),
      propertyRuns(100),
    )
  }, LONG)

  it('everything mixed by 1–3 people (splits, joins, pastes, typing, deletions, formatting): all invariants', () => {
    fc.assert(
      fc.property(mixedSession, ({ original, session: { ops }, order }) => {
        checkAllAtOnce(original, ops)
        checkAnyOrder(playSession(original, ops).suggested, order)
      }),
      propertyRuns(150),
    )
  }, LONG)
})

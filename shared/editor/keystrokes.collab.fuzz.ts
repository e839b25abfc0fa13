// @vitest-environment happy-dom
/**
 * Random keystrokes by two people at the same moment, through Yjs (testing/collabPair.ts): each
 * side's updates wait on the wire until a random moment. Every reviewer update must pass the server's
 * check, and everyone must end with the same report. (keystrokes.collab.property.test.ts checks the
 * same with the two taking turns, in `npm test`.)
 *
 * A reproducer, run by `npm run fuzz` only: it still FAILS within a few hundred cases, on an open
 * limit of the Yjs binding, not of 建议 (see README, "Two people at one spot"): a paragraph split or a
 * paste of paragraphs moves the text after the caret into a new block (deleted and inserted again),
 * so two such edits of the same block at the same moment both move it, and the merge holds that text
 * twice. When one of the two is the reviewer's suggested split, rejecting it would leave the copy, so
 * the server refuses the reviewer's update (the page reloads with its message; nothing is stored). A
 * suggested formatting change is recorded the same way (the text deleted and inserted again formatted),
 * so two reviewers formatting and typing in the same text at the same moment meet the same limit.
 * Replay a seed with `FUZZ_SEED=2 FUZZ_RUNS=300 npx vitest run -c vitest.fuzz.config.ts shared/editor/keystrokes.collab.fuzz.ts`.
 *
 * Fixed after it found them: Ctrl+I in 建议 over another person's line break (formattingOfTextOnly);
 * a character typed next to the same character (y-tiptap's alignChange patch); a remote deletion of the
 * block holding the caret throwing in y-tiptap's selection restore; Delete in an empty title in 建议.
 */
import fc from 'fast-check'
import { describe, it } from 'vitest'
import { propertyRuns } from '../testing/propertyRuns'
import { COLLAB_SITUATIONS, collabKeystrokes } from './testing/collabPair'
import { mountedEditors } from './testing/mountedEditors'

const editors = mountedEditors()

// Two live editors and a server check per reviewer update; happy-dom's heap grows per mounted editor.
const runs = { ...propertyRuns(300), numRuns: Math.min(propertyRuns(300).numRuns, 1_500) }

describe('random keystrokes by two people at the same moment (property)', () => {
  for (const { name, options } of COLLAB_SITUATIONS) {
    it(name, () => {
      fc.assert(collabKeystrokes(editors, { sequential: false, ...options }), runs)
    }, 600_000)
  }
})

// @vitest-environment happy-dom
/**
 * The collaboration keystroke property (shared/editor/testing/collabPair.ts) with the server's own
 * guard in the loop: every update of 王局长 (建议) goes through ReviewGuard.allows, fast path included,
 * on a CollabDocument before the document takes it, while 张明 types, comments, accepts and rejects.
 * The shared property compares the forms the guard builds; this one runs the guard's code path.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { REVIEWER } from '../../shared/editor/testing/keystrokes'
import { collabKeystrokes } from '../../shared/editor/testing/collabPair'
import { mountedEditors } from '../../shared/editor/testing/mountedEditors'
import { propertyRuns } from '../../shared/testing/propertyRuns'
import { CollabDocument } from '../collab/CollabDocument'
import { ReviewGuard } from './ReviewGuard'

const editors = mountedEditors()

describe('ReviewGuard under random keystrokes of a reviewer and a drafter (property)', () => {
  it('lets every update of the reviewer through, taking the fast path for plain typing', () => {
    const guard = new ReviewGuard()
    const pairOptions = () => {
      const document = new CollabDocument('guarded')
      // The origin is what the harness applies the update with (the side), as the connection is for the server.
      return { server: document.ydoc, allows: (side: 0 | 1, update: Uint8Array) => side !== 0 || guard.allows(document, update, side, REVIEWER.id, true) }
    }
    fc.assert(collabKeystrokes(editors, { sequential: true, reviews: true, pairOptions }), { ...propertyRuns(50), numRuns: Math.min(propertyRuns(50).numRuns, 1_000) })
    expect(guard.fastAllowed).toBeGreaterThan(0)
  }, 600_000)
})

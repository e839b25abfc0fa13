import { EditorState, TextSelection } from '@tiptap/pm/state'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { schema } from '../../../shared/editor/schema'
import { sampleDoc } from '../../../shared/editor/testing/reportFixtures'
import { propertyRuns } from '../../../shared/testing/propertyRuns'
import { moveToBody, runInBoundaryAt, typedIntoHeading, type RunInBoundary } from './runInTyping'

/** Every run-in boundary of the sample report. */
function boundaries(state: EditorState): RunInBoundary[] {
  const found: RunInBoundary[] = []
  state.doc.descendants((node, pos) => {
    if (node.type.name === 'sectionTitle') {
      const boundary = runInBoundaryAt(state.doc, pos + node.nodeSize - 1)
      if (boundary) found.push(boundary)
    }
    return true
  })
  return found
}

const caretAt = (state: EditorState, pos: number) => state.apply(state.tr.setSelection(TextSelection.create(state.doc, pos)))
const textOf = (state: EditorState, pos: number) => state.doc.resolve(pos).parent.textContent

describe('typing at a run-in section’s heading/body boundary', () => {
  const sample = EditorState.create({ schema, doc: sampleDoc() })

  it('finds the boundary from either side, and nowhere else', () => {
    const all = boundaries(sample)
    expect(all.length).toBeGreaterThan(0)
    for (const boundary of all) {
      expect(runInBoundaryAt(sample.doc, boundary.bodyStart)).toEqual(boundary)
      expect(runInBoundaryAt(sample.doc, boundary.titleEnd - 1)).toBeNull()
      expect(runInBoundaryAt(sample.doc, boundary.bodyStart + 1)).toBeNull()
    }
  })

  it('property: text the browser put at the heading’s end, with the caret in the body, ends up exactly as if typed at the body’s start', () => {
    const all = boundaries(sample)
    fc.assert(
      fc.property(fc.nat(), fc.stringMatching(/^[一-龥a-z]{1,4}$/), fc.boolean(), (which, text, reportedAtHeading) => {
        const { titleEnd, bodyStart } = all[which % all.length]
        // Where the editor had the caret: the body's start, or the heading's end the browser moved it to.
        const before = caretAt(sample, reportedAtHeading ? titleEnd : bodyStart)
        const typed = before.tr.insertText(text, titleEnd)
        const range = typedIntoHeading(before, typed, bodyStart)
        expect(range).toEqual({ from: titleEnd, to: titleEnd + text.length })
        const after = before.apply(typed)
        const moved = after.apply(moveToBody(after, range!.from, range!.to))
        const intended = caretAt(sample, bodyStart).apply(caretAt(sample, bodyStart).tr.insertText(text, bodyStart))
        expect(moved.doc.eq(intended.doc)).toBe(true)
        expect(moved.selection.from).toBe(bodyStart + text.length)
        expect(textOf(moved, titleEnd)).toBe(textOf(sample, titleEnd))
      }),
      propertyRuns(100),
    )
  })

  it('leaves the heading’s own end alone: a caret that came from inside the heading, and text typed anywhere else', () => {
    for (const { titleEnd, bodyStart } of boundaries(sample)) {
      const atHeading = caretAt(sample, titleEnd)
      expect(typedIntoHeading(atHeading, atHeading.tr.insertText('X', titleEnd), null)).toBeNull()
      const inBody = caretAt(sample, bodyStart)
      expect(typedIntoHeading(inBody, inBody.tr.insertText('X', bodyStart + 1), bodyStart)).toBeNull()
      expect(typedIntoHeading(inBody, inBody.tr.insertText('X', titleEnd - 1), bodyStart)).toBeNull()
    }
  })
})

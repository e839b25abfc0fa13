import { describe, expect, it } from 'vitest'
import { Fragment, Slice } from '@tiptap/pm/model'
import { schema as documentSchema } from '../schema'
import { analyzeReport } from './analyzeReport'
import { plainTextToDocJSON } from './plainText'
import { sectionIndexAt } from './sectionIndexAt'
import { SAMPLE_TEXT } from '../testing/reportFixtures'

const byAnalysis = (doc: ReturnType<typeof documentSchema.nodeFromJSON>, pos: number) => {
  let index = -1
  analyzeReport(doc).sections.forEach((section, i) => {
    if (section.pos < pos && pos < section.end) index = i
  })
  return index
}

describe('sectionIndexAt', () => {
  it('agrees with the analysis at every position of the sample, nested sections included', () => {
    const doc = documentSchema.nodeFromJSON(plainTextToDocJSON(SAMPLE_TEXT))
    expect(analyzeReport(doc).sections.some((s) => s.parent >= 0)).toBe(true)
    for (let pos = 0; pos <= doc.content.size; pos++) expect(sectionIndexAt(doc, pos), `at ${pos}`).toBe(byAnalysis(doc, pos))
  })

  it('stays right after an edit that adds sections before the caret', () => {
    const doc = documentSchema.nodeFromJSON(plainTextToDocJSON(SAMPLE_TEXT))
    const sections = analyzeReport(doc).sections
    const first = doc.nodeAt(sections[0].pos)!
    // The first top-level section twice: every later section moves down by its size.
    const changed = doc.replace(sections[0].pos, sections[0].pos, new Slice(Fragment.from(first), 0, 0))
    const last = analyzeReport(changed).sections.at(-1)!
    expect(sectionIndexAt(changed, last.pos + 2)).toBe(byAnalysis(changed, last.pos + 2))
  })
})

import type { Node as PMNode } from '@tiptap/pm/model'
import { describe, expect, it } from 'vitest'
import { DRAFTER, withAssignments } from '../editor/testing/collabPair'
import { sampleDoc } from '../editor/testing/reportFixtures'
import { keepsOthersParts } from './directEdit'

/** `doc` with its top-level children at `from` and `from + 1` swapped. */
const swapped = (doc: PMNode, from: number): PMNode => {
  const children: PMNode[] = []
  doc.forEach((child) => children.push(child))
  ;[children[from], children[from + 1]] = [children[from + 1], children[from]]
  return doc.copy(doc.content.replaceChild(from, children[from]).replaceChild(from + 1, children[from + 1]))
}

describe('keepsOthersParts (按分工编辑: may a drafter make this change directly?)', () => {
  // 一 is 张明's (起草中), 二 his but 定稿, 三 nobody's, 四 his again.
  const doc = withAssignments(sampleDoc(), DRAFTER)
  it('an unchanged report, and typing in his own section, keep everything else', () => {
    expect(keepsOthersParts(doc, doc, DRAFTER.id)).toBe(true)
    const title = doc.child(2).firstChild!
    const typed = doc.copy(doc.content.replaceChild(2, doc.child(2).copy(doc.child(2).content.replaceChild(0, title.copy(title.content.append(title.content.cut(0, 1)))))))
    expect(keepsOthersParts(doc, typed, DRAFTER.id)).toBe(true)
  })
  it('moving his section past a 定稿 one, or past nobody’s, changes what is not his', () => {
    expect(keepsOthersParts(doc, swapped(doc, 2), DRAFTER.id)).toBe(false)
    expect(keepsOthersParts(doc, swapped(doc, 4), DRAFTER.id)).toBe(false)
  })
  it('the same change by someone the sections are not assigned to touches a part not theirs anywhere', () => {
    const title = doc.child(2).firstChild!
    const typed = doc.copy(doc.content.replaceChild(2, doc.child(2).copy(doc.child(2).content.replaceChild(0, title.copy(title.content.append(title.content.cut(0, 1)))))))
    expect(keepsOthersParts(doc, typed, 'u-li')).toBe(false)
  })
})

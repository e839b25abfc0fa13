import { EditorState, TextSelection } from '@tiptap/pm/state'
import type { DecorationSet } from '@tiptap/pm/view'
import { describe, expect, it } from 'vitest'
import { findSection, sampleDoc, textPos } from '../../../../shared/editor/testing/reportFixtures'
import { sectionAction } from '../../../../shared/sections/commands'
import type { Node as PMNode } from '@tiptap/pm/model'
import { forcedReason, headerWork, sectionHeaders } from './sectionMode'

const owner = { id: 'owner', name: '管理员' }
const li = { id: 'li', name: '李四' }
const zhang = { id: 'zhang', name: '张三' }

function assigned(): PMNode {
  let doc = sampleDoc()
  for (const [label, person] of [['一、强化政治引领，贯彻中央部署', zhang], ['二、强化理论武装，提升政治素养', li]] as const) {
    const state = EditorState.create({ doc })
    sectionAction(findSection(doc, label).pos, 'assign', owner, [person])(state, (tr) => (doc = tr.doc))
  }
  return doc
}

const at = (doc: PMNode, needle: string) => EditorState.create({ doc, selection: TextSelection.create(doc, textPos(doc, needle)) })

describe('the editor suggests where the server would refuse a direct edit (按分工编辑)', () => {
  const settings = (userId: string) => ({ byAssignment: true, role: 'drafter' as const, userId })
  it('in one’s own section (and its sub-sections) edits; elsewhere, and in the title, suggests', () => {
    const doc = assigned()
    expect(forcedReason(at(doc, '学习贯彻习近平新'), settings('li'))).toBeNull()
    expect(forcedReason(at(doc, '一年来，我认真履'), settings('li'))).toBe('not-mine')
    expect(forcedReason(at(doc, '一年来，我认真履'), settings('zhang'))).toBeNull()
    expect(forcedReason(at(doc, '2022'), settings('zhang'))).toBe('not-mine')
    expect(forcedReason(at(doc, '学习贯彻习近平新'), { ...settings('li'), byAssignment: false })).toBeNull()
    expect(forcedReason(at(doc, '一年来，我认真履'), { ...settings('li'), role: 'owner' })).toBeNull()
  })

  it('a selection reaching from one’s own section into another’s suggests', () => {
    const doc = assigned()
    const state = EditorState.create({ doc, selection: TextSelection.create(doc, textPos(doc, '学习贯彻习近平新'), textPos(doc, '建强战斗堡垒')) })
    expect(forcedReason(state, settings('li'))).toBe('not-mine')
  })

  it('a 定稿 section suggests for its own drafter', () => {
    let doc = assigned()
    const one = findSection(doc, '一、强化政治引领，贯彻中央部署').pos
    for (const [action, by] of [['submit', zhang], ['approve', owner]] as const) sectionAction(one, action, by)(EditorState.create({ doc }), (tr) => (doc = tr.doc))
    expect(forcedReason(at(doc, '一年来，我认真履'), settings('zhang'))).toBe('final')
  })
})

describe('section headers follow typing without being redrawn', () => {
  const stateWith = (doc: PMNode) => EditorState.create({ doc, plugins: [sectionHeaders({ onOpenMenu: () => undefined })] })
  const widgets = (state: EditorState) =>
    (sectionHeaders({ onOpenMenu: () => undefined }).props.decorations!.call(state.plugins[0], state) as DecorationSet)
      .find()
      .map((d) => [d.from, d.spec.key as string])

  it('a keystroke in a paragraph or title moves the headers; a change to a section redraws them (counted, and equal to a fresh drawing)', () => {
    let state = stateWith(assigned())
    expect(widgets(state)).toHaveLength(2)
    const builds = headerWork.builds
    for (const needle of ['一年来，我认真履', '2022', '学习贯彻习近平新']) {
      state = state.apply(state.tr.insertText('新', textPos(state.doc, needle)))
      expect(widgets(state)).toEqual(widgets(stateWith(state.doc)))
    }
    // Three keystrokes, three fresh drawings by the comparisons above, none by the plugin itself.
    expect(headerWork.builds - builds).toBe(3)
    const before = headerWork.builds
    sectionAction(findSection(state.doc, '二、强化理论武装，提升政治素养').pos, 'assign', owner, [zhang])(state, (tr) => (state = state.apply(tr)))
    expect(headerWork.builds - before).toBe(1)
    expect(widgets(state)).toEqual(widgets(stateWith(state.doc)))
  })
})

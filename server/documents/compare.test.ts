import { splitBlock } from '@tiptap/pm/commands'
import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import { suggestTransaction } from '../../shared/editor/suggestions/suggestTransaction'
import { docFromText, textPos } from '../../shared/editor/testing/reportFixtures'
import { reportLines } from './compare'

const LEADER = { id: 'u-leader', name: '王局长' }

describe('reportLines (version compare) with pending suggestions', () => {
  it('reads a suggested paragraph split and suggested text as not there (rejected), like 全部拒绝', () => {
    const original = docFromText('标题\n第一段正文，包括后半句。\n一、总体情况\n（一）分项。正文内容。')
    let state = EditorState.create({ doc: original })
    const suggest = (build: (s: EditorState) => Transaction) => {
      const tracked = suggestTransaction(build(state), state, LEADER)!
      state = state.apply(tracked)
    }
    const at = textPos(state.doc, '包括后半句')
    const caret = state.apply(state.tr.setSelection(TextSelection.create(state.doc, at)))
    splitBlock(caret, (tr) => (state = state.apply(suggestTransaction(tr, caret, LEADER)!)))
    suggest((s) => s.tr.insertText('新增', textPos(s.doc, '正文内容')))
    expect(state.doc.childCount).toBeGreaterThan(original.childCount)
    expect(reportLines(state.doc)).toEqual(reportLines(original))
    expect(reportLines(original)).toEqual(['标题', '第一段正文，包括后半句。', '一、总体情况', '（一）分项。正文内容。'])
  })
})

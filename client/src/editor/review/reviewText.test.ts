import { describe, expect, it } from 'vitest'
import { analyzeReport, type SuggestionInfo } from '../../../../shared/editor/lib/analyzeReport'
import { schema } from '../../../../shared/editor/schema'
import { sampleDoc, stateAt, textPos } from '../../../../shared/editor/testing/reportFixtures'
import { changeContext, changeKind, formatWords, sectionRef } from './reviewText'

const suggestion = (changes: Partial<SuggestionInfo>): SuggestionInfo => ({
  id: 's1',
  type: 'insertion',
  kind: 'text',
  format: null,
  authorId: 'u1',
  authorName: '王局长',
  createdAt: null,
  inserted: '',
  deleted: '',
  from: 0,
  to: 0,
  sectionPath: [],
  section: -1,
  ...changes,
})

describe('sectionRef', () => {
  it('names a section by its ordinals from the top, as offices cite it', () => {
    const analysis = analyzeReport(sampleDoc())
    const at = (label: string, parent: string) =>
      analysis.sections.findIndex((section) => section.label === label && analysis.sections[section.parent]?.label === parent)
    expect(sectionRef(analysis, at('（一）深入学习宣传贯彻党的二十大精神', '二、强化理论武装，提升政治素养'))).toBe('二（一）')
    expect(sectionRef(analysis, at('（三）堵塞管理漏洞', '四、全面从严治党，加强纪律建设'))).toBe('四（三）')
    expect(sectionRef(analysis, analysis.sections.findIndex((section) => section.label === '三、建强战斗堡垒，建好基层组织'))).toBe('三、')
  })
})

describe('changeContext', () => {
  it('gives the words of the same paragraph on each side, marked as cut where the paragraph goes on', () => {
    const doc = sampleDoc()
    const from = textPos(doc, '研究审议')
    expect(changeContext(doc, { from, to: from })).toEqual({ before: '…责，全年主持局委会*次，', after: '研究审议**局发展纲要、…' })
    // At the start of a paragraph there is nothing before, and no ellipsis.
    const title = textPos(doc, '2022年度党建工作述职')
    expect(changeContext(doc, { from: title, to: title + 4 }).before).toBe('')
    expect(changeContext(doc, { from: title, to: title + 4 }).after).toBe('年度党建工作述职')
  })

  it('reads the words around as they stand: other pending insertions left out, pending deletions kept', () => {
    const doc = sampleDoc()
    const at = textPos(doc, '研究审议')
    const insertion = schema.marks.insertion.create({ id: 'other', authorId: 'u2', authorName: '李四', createdAt: null })
    const deletion = schema.marks.deletion.create({ id: 'other2', authorId: 'u2', authorName: '李四', createdAt: null })
    let state = stateAt(doc, at)
    state = state.apply(state.tr.insert(at, schema.text('先后', [insertion])).addMark(at - 3, at - 1, deletion))
    const own = state.doc.resolve(at + 2).pos
    expect(changeContext(state.doc, { from: own, to: own })).toEqual({ before: '…责，全年主持局委会*次，', after: '研究审议**局发展纲要、…' })
  })

  it('returns nothing for positions outside the document (a stale analysis)', () => {
    const doc = sampleDoc()
    expect(changeContext(doc, { from: doc.content.size + 5, to: doc.content.size + 9 })).toEqual({ before: '', after: '' })
  })
})

describe('changeKind and formatWords', () => {
  it('says what a suggestion does in words', () => {
    expect(changeKind(suggestion({ type: 'insertion', inserted: '把握' }))).toBe('插入')
    expect(changeKind(suggestion({ type: 'insertion', inserted: '' }))).toBe('分段')
    expect(changeKind(suggestion({ type: 'deletion', deleted: '' }))).toBe('合并段落')
    expect(changeKind(suggestion({ type: 'replacement', inserted: '全力', deleted: '扎实' }))).toBe('替换')
    expect(changeKind(suggestion({ type: 'structure', change: '上移章节' }))).toBe('结构')
    const bold = suggestion({ type: 'replacement', kind: 'format', inserted: '防四超', deleted: '防四超', format: { added: ['bold'], removed: ['italic'] } })
    expect(changeKind(bold)).toBe('格式')
    expect(formatWords(bold)).toBe('格式：加粗、取消倾斜')
  })
})

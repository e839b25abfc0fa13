import type { Node as PMNode } from '@tiptap/pm/model'
import { AllSelection, EditorState, NodeSelection, TextSelection } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import { analyzeReport } from '../lib/analyzeReport'
import { Transform } from '@tiptap/pm/transform'
import { schema } from '../schema'
import {
  caretAt,
  caretInTitle,
  docFromText,
  findSection,
  outline,
  run,
  sampleDoc,
  stateAt,
  textPos,
} from '../testing/reportFixtures'
import {
  adoptTrailingParagraphs,
  demoteSection,
  dissolveSection,
  insertSectionAfter,
  insertSubsection,
  moveSection,
  promoteSection,
  sectionAround,
  setSectionRunIn,
} from './sections'

const ONE = '一、强化政治引领，贯彻中央部署'
const TWO = '二、强化理论武装，提升政治素养'
const THREE = '三、建强战斗堡垒，建好基层组织'
const FOUR = '四、全面从严治党，加强纪律建设'

const SAMPLE_OUTLINE = [
  ONE,
  '  （一）落实党建政治责任',
  '  （二）完成重大政治任务',
  TWO,
  '  （一）深入学习宣传贯彻党的二十大精神',
  '  （二）深入开展政治理论学习',
  '  （三）强化思想阵地建设',
  THREE,
  '  （一）提升基层党建水平',
  '  （二）加强党员教育培训',
  '  （三）严格党员管理',
  FOUR,
  '  （一）强化主体责任',
  '  （二）深化作风建设',
  '  （三）堵塞管理漏洞',
]

const doc = sampleDoc()

/** The outline with `replace` spliced in for the lines from `start` (inclusive) to `end` (exclusive). */
function outlineWith(start: string, end: string | null, replace: string[]): string[] {
  const from = SAMPLE_OUTLINE.indexOf(start)
  const to = end === null ? SAMPLE_OUTLINE.length : SAMPLE_OUTLINE.indexOf(end)
  expect(from).toBeGreaterThanOrEqual(0)
  expect(to).toBeGreaterThan(from)
  return [...SAMPLE_OUTLINE.slice(0, from), ...replace, ...SAMPLE_OUTLINE.slice(to)]
}

function sectionNode(d: PMNode, label: string, parent?: string): PMNode {
  return d.nodeAt(findSection(d, label, parent).pos)!
}

type Json = Record<string, unknown>
const t = (value: string): Json => ({ type: 'text', text: value })
const para = (value: string): Json => ({ type: 'paragraph', content: [t(value)] })
const sec = (level: number, title: string, ...body: Json[]): Json => ({
  type: 'section',
  attrs: { level, runIn: false },
  content: [{ type: 'sectionTitle', content: title ? [t(title)] : [] }, ...body],
})
function build(...blocks: Json[]): PMNode {
  const built = schema.nodeFromJSON({ type: 'doc', content: [{ type: 'reportTitle', content: [t('标题')] }, ...blocks] })
  built.check()
  return built
}

describe('sectionAround', () => {
  it('finds the innermost section, or none in the preamble and title', () => {
    const inner = findSection(doc, '（一）落实党建政治责任', ONE)
    const around = sectionAround(doc.resolve(textPos(doc, '全年主持局委会')))
    expect(around).toMatchObject({ pos: inner.pos, level: 2, depth: 2 })
    expect(sectionAround(doc.resolve(textPos(doc, '在市委的坚强领导下')))).toBeNull()
    expect(sectionAround(doc.resolve(3))).toBeNull()
  })
})

describe('insertSectionAfter', () => {
  it('adds （n+1） after a level-2 section, puts the caret in its empty title and renumbers later siblings', () => {
    const target = findSection(doc, '（一）深入学习宣传贯彻党的二十大精神', TWO)
    const { ok, state, dispatched } = run(caretInTitle(doc, target, 3), insertSectionAfter)
    expect(ok).toBe(true)
    expect(dispatched).toBe(1)
    expect(outline(state.doc)).toEqual(
      outlineWith('  （一）深入学习宣传贯彻党的二十大精神', THREE, [
        '  （一）深入学习宣传贯彻党的二十大精神',
        '  （二）',
        '  （三）深入开展政治理论学习',
        '  （四）强化思想阵地建设',
      ]),
    )
    const inserted = state.doc.nodeAt(target.pos + doc.nodeAt(target.pos)!.nodeSize)!
    expect(inserted.type.name).toBe('section')
    expect(inserted.attrs).toEqual({ level: 2, runIn: false, structural: null, workflow: null })
    expect(inserted.childCount).toBe(1)
    expect(caretAt(state)).toEqual({ block: '', blockType: 'sectionTitle', offset: 0, sectionLabel: '（二）' })
    expect(state.selection.empty).toBe(true)
    expect(state.doc.textContent).toBe(doc.textContent)
  })

  it('works the same from the section body', () => {
    const fromTitle = run(caretInTitle(doc, findSection(doc, '（一）落实党建政治责任', ONE)), insertSectionAfter).state
    const fromBody = run(stateAt(doc, textPos(doc, '全年主持局委会')), insertSectionAfter).state
    expect(fromBody.doc.eq(fromTitle.doc)).toBe(true)
    expect(outline(fromBody.doc).slice(0, 4)).toEqual([ONE, '  （一）落实党建政治责任', '  （二）', '  （三）完成重大政治任务'])
    expect(fromBody.selection.from).toBe(fromTitle.selection.from)
  })

  it('adds a level-1 section after the preamble paragraph, before 一、', () => {
    const { ok, state } = run(stateAt(doc, textPos(doc, '在市委的坚强领导下')), insertSectionAfter)
    expect(ok).toBe(true)
    expect(outline(state.doc)).toEqual([
      '一、',
      '二、强化政治引领，贯彻中央部署',
      '  （一）落实党建政治责任',
      '  （二）完成重大政治任务',
      '三、强化理论武装，提升政治素养',
      '  （一）深入学习宣传贯彻党的二十大精神',
      '  （二）深入开展政治理论学习',
      '  （三）强化思想阵地建设',
      '四、建强战斗堡垒，建好基层组织',
      '  （一）提升基层党建水平',
      '  （二）加强党员教育培训',
      '  （三）严格党员管理',
      '五、全面从严治党，加强纪律建设',
      '  （一）强化主体责任',
      '  （二）深化作风建设',
      '  （三）堵塞管理漏洞',
    ])
    expect(state.doc.child(2).type.name).toBe('section')
    expect(state.doc.child(1).type.name).toBe('paragraph')
    expect(caretAt(state)).toEqual({ block: '', blockType: 'sectionTitle', offset: 0, sectionLabel: '一、' })
    // Typing goes into the new title and numbering follows.
    const typed = state.apply(state.tr.insertText('总体情况'))
    expect(outline(typed.doc)[0]).toBe('一、总体情况')
  })

  it('adds a level-1 section after the opening paragraphs when the caret is in the report title or one of them', () => {
    for (const at of [3, textPos(doc, '在市委的坚强领导下')]) {
      const { ok, state } = run(stateAt(doc, at), insertSectionAfter)
      expect(ok).toBe(true)
      // Before them, the opening paragraph would follow the new section and read as its text.
      expect(state.doc.child(1).type.name).toBe('paragraph')
      expect(state.doc.child(2).type.name).toBe('section')
      expect(caretAt(state).sectionLabel).toBe('一、')
      expect(outline(state.doc).filter((line) => !line.startsWith(' ')).slice(0, 2)).toEqual(['一、', '二、强化政治引领，贯彻中央部署'])
    }
  })

  it('adds a level-2 section at the end of 四、 after the last sub-section (which holds the closing paragraph)', () => {
    const { state } = run(stateAt(doc, textPos(doc, '自己和家属、子女')), insertSectionAfter)
    expect(outline(state.doc).slice(-2)).toEqual(['  （三）堵塞管理漏洞', '  （四）'])
    expect(state.doc.lastChild!.lastChild!.attrs.level).toBe(2)
  })

  it('keeps the level of a deep section', () => {
    const deep = build(sec(1, '甲', sec(2, '乙', sec(3, '丙', sec(4, '丁')))))
    const { state } = run(stateAt(deep, textPos(deep, '丁')), insertSectionAfter)
    expect(outline(state.doc)).toEqual(['一、甲', '  （一）乙', '    1.丙', '      （1）丁', '      （2）'])
  })
})

describe('insertSubsection', () => {
  it('adds （n+1） at the end of a level-1 section', () => {
    const { ok, state } = run(caretInTitle(doc, findSection(doc, ONE)), insertSubsection)
    expect(ok).toBe(true)
    expect(outline(state.doc)).toEqual(
      outlineWith(ONE, TWO, [ONE, '  （一）落实党建政治责任', '  （二）完成重大政治任务', '  （三）']),
    )
    expect(caretAt(state)).toEqual({ block: '', blockType: 'sectionTitle', offset: 0, sectionLabel: '（三）' })
    expect(state.doc.textContent).toBe(doc.textContent)
  })

  it('adds 1. after the body of a level-2 section', () => {
    const { state } = run(stateAt(doc, textPos(doc, '全年主持局委会')), insertSubsection)
    expect(outline(state.doc).slice(0, 4)).toEqual([ONE, '  （一）落实党建政治责任', '    1.', '  （二）完成重大政治任务'])
    const parent = sectionNode(state.doc, '（一）落实党建政治责任', ONE)
    expect(parent.childCount).toBe(3)
    expect(parent.child(1).type.name).toBe('paragraph')
    expect(parent.lastChild!.attrs).toEqual({ level: 3, runIn: false, structural: null, workflow: null })
    expect(caretAt(state).sectionLabel).toBe('1.')
  })

  it('refuses at level 4 and outside any section', () => {
    const deep = build(sec(1, '甲', sec(2, '乙', sec(3, '丙', sec(4, '丁')))))
    expect(run(stateAt(deep, textPos(deep, '丁')), insertSubsection).ok).toBe(false)
    expect(run(stateAt(doc, textPos(doc, '在市委的坚强领导下')), insertSubsection).ok).toBe(false)
    expect(run(stateAt(doc, 3), insertSubsection).ok).toBe(false)
  })
})

describe('moveSection', () => {
  const blocks = (d: PMNode) => {
    const out: string[] = []
    d.forEach((child) => out.push(child.textContent))
    return out
  }

  it('moves 二、 up: it becomes 一、 and keeps its sub-sections and the caret', () => {
    const two = findSection(doc, TWO)
    const { ok, state } = run(caretInTitle(doc, two, 4), moveSection(-1))
    expect(ok).toBe(true)
    expect(outline(state.doc)).toEqual([
      '一、强化理论武装，提升政治素养',
      '  （一）深入学习宣传贯彻党的二十大精神',
      '  （二）深入开展政治理论学习',
      '  （三）强化思想阵地建设',
      '二、强化政治引领，贯彻中央部署',
      '  （一）落实党建政治责任',
      '  （二）完成重大政治任务',
      THREE,
      ...SAMPLE_OUTLINE.slice(SAMPLE_OUTLINE.indexOf(THREE) + 1),
    ])
    const [title, preamble, one, twoText, three, four] = blocks(doc)
    expect(blocks(state.doc)).toEqual([title, preamble, twoText, one, three, four])
    expect(caretAt(state)).toEqual({
      block: '强化理论武装，提升政治素养',
      blockType: 'sectionTitle',
      offset: 4,
      sectionLabel: '一、强化理论武装，提升政治素养',
    })
  })

  it('moves 二、 down past 三、, and back up to where it was', () => {
    const down = run(caretInTitle(doc, findSection(doc, TWO), 2), moveSection(1))
    expect(down.ok).toBe(true)
    expect(outline(down.state.doc).filter((line) => !line.startsWith(' '))).toEqual([
      ONE,
      '二、建强战斗堡垒，建好基层组织',
      '三、强化理论武装，提升政治素养',
      FOUR,
    ])
    expect(caretAt(down.state)).toMatchObject({ offset: 2, sectionLabel: '三、强化理论武装，提升政治素养' })
    const back = run(down.state, moveSection(-1))
    expect(back.ok).toBe(true)
    expect(back.state.doc.eq(doc)).toBe(true)
    expect(caretAt(back.state)).toMatchObject({ offset: 2, sectionLabel: TWO })
  })

  it('moves a level-2 section within its parent and keeps a caret that is in its body', () => {
    const caret = textPos(doc, '指导有关部门') + 3
    const { ok, state } = run(stateAt(doc, caret), moveSection(-1))
    expect(ok).toBe(true)
    expect(outline(state.doc).slice(-3)).toEqual(['  （一）强化主体责任', '  （二）堵塞管理漏洞', '  （三）深化作风建设'])
    const at = caretAt(state)
    expect(at.blockType).toBe('paragraph')
    expect(at.block.startsWith('指导有关部门')).toBe(true)
    expect(at.offset).toBe(3)
    expect(at.sectionLabel).toBe('（二）堵塞管理漏洞')
    // Placeholders move with their section and keep their ids.
    const before = analyzeReport(doc).placeholders.filter((p) => p.sectionPath.at(-1) === '（三）堵塞管理漏洞')
    const after = analyzeReport(state.doc).placeholders.filter((p) => p.sectionPath.at(-1) === '（二）堵塞管理漏洞')
    expect(after.map((p) => p.id)).toEqual(before.map((p) => p.id))
    expect(findSection(state.doc, FOUR).unfilled).toBe(7)
  })

  it('refuses to move past the section title or the report title, or past the last sibling', () => {
    const first = findSection(doc, '（一）落实党建政治责任', ONE)
    expect(run(caretInTitle(doc, first), moveSection(-1)).ok).toBe(false)
    const last = findSection(doc, '（二）完成重大政治任务', ONE)
    expect(run(caretInTitle(doc, last), moveSection(1)).ok).toBe(false)
    expect(run(caretInTitle(doc, findSection(doc, FOUR)), moveSection(1)).ok).toBe(false)
    expect(run(stateAt(doc, textPos(doc, '在市委的坚强领导下')), moveSection(-1)).ok).toBe(false)

    const noPreamble = docFromText('标题\n一、甲\n二、乙')
    expect(run(caretInTitle(noPreamble, findSection(noPreamble, '一、甲')), moveSection(-1)).ok).toBe(false)
  })

  it('never moves 一、 above the preamble paragraph (after 一、 it would read as 一、’s text) nor the report title', () => {
    expect(run(caretInTitle(doc, findSection(doc, ONE)), moveSection(-1)).ok).toBe(false)
    const moved = run(caretInTitle(doc, findSection(doc, '二、强化理论武装，提升政治素养')), moveSection(-1))
    expect(moved.ok).toBe(true)
    expect(moved.state.doc.child(1).type.name).toBe('paragraph')
    expect(outline(moved.state.doc).filter((line) => !line.startsWith(' ')).slice(0, 2)).toEqual(['一、强化理论武装，提升政治素养', '二、强化政治引领，贯彻中央部署'])
  })

  it('never moves a sub-section above its parent’s own text', () => {
    const d = build(sec(1, '甲', para('甲的正文'), sec(2, '乙', para('乙的正文'))))
    expect(run(caretInTitle(d, findSection(d, '（一）乙')), moveSection(-1)).ok).toBe(false)
  })
})

describe('demoteSection', () => {
  it('makes a level-2 section the last child (1.) of its previous sibling, keeping reading order and caret', () => {
    const target = findSection(doc, '（二）完成重大政治任务', ONE)
    const { ok, state } = run(caretInTitle(doc, target, 2), demoteSection)
    expect(ok).toBe(true)
    expect(outline(state.doc)).toEqual(
      outlineWith(ONE, TWO, [ONE, '  （一）落实党建政治责任', '    1.完成重大政治任务']),
    )
    expect(state.doc.textContent).toBe(doc.textContent)
    const parent = sectionNode(state.doc, '（一）落实党建政治责任', ONE)
    expect(parent.childCount).toBe(3)
    expect(parent.child(1).textContent.startsWith('一年来，我认真履行')).toBe(true)
    expect(parent.lastChild!.attrs.level).toBe(3)
    expect(parent.lastChild!.child(1).textContent.startsWith('落实市委部署')).toBe(true)
    expect(caretAt(state)).toEqual({
      block: '完成重大政治任务。',
      blockType: 'sectionTitle',
      offset: 2,
      sectionLabel: '1.完成重大政治任务',
    })
    expect(analyzeReport(state.doc).placeholders.map((p) => p.id)).toEqual(analyzeReport(doc).placeholders.map((p) => p.id))
    expect(findSection(state.doc, '（一）落实党建政治责任', ONE).unfilled).toBe(6)
  })

  it('appends to the previous sibling after its own sub-sections (1. then 2.)', () => {
    const first = run(caretInTitle(doc, findSection(doc, '（二）深入开展政治理论学习', TWO)), demoteSection)
    expect(first.ok).toBe(true)
    // What was （三） is now （二）.
    const second = run(caretInTitle(first.state.doc, findSection(first.state.doc, '（二）强化思想阵地建设', TWO), 1), demoteSection)
    expect(second.ok).toBe(true)
    expect(outline(second.state.doc)).toEqual(
      outlineWith(TWO, THREE, [TWO, '  （一）深入学习宣传贯彻党的二十大精神', '    1.深入开展政治理论学习', '    2.强化思想阵地建设']),
    )
    expect(caretAt(second.state)).toMatchObject({ block: '强化思想阵地建设。', offset: 1, sectionLabel: '2.强化思想阵地建设' })
    expect(second.state.doc.textContent).toBe(doc.textContent)
  })

  it('demotes the first （一） in place to level 3 when no section precedes it', () => {
    const target = findSection(doc, '（一）落实党建政治责任', ONE)
    const { ok, state } = run(stateAt(doc, textPos(doc, '全年主持局委会')), demoteSection)
    expect(ok).toBe(true)
    // Levels are numbered separately: the level-3 child is 1., the remaining level-2 one is now （一）.
    expect(outline(state.doc)).toEqual(outlineWith(ONE, TWO, [ONE, '    1.落实党建政治责任', '  （一）完成重大政治任务']))
    expect(state.doc.nodeAt(target.pos)!.attrs.level).toBe(3)
    expect(state.doc.textContent).toBe(doc.textContent)
    expect(caretAt(state)).toMatchObject({ blockType: 'paragraph', sectionLabel: '1.落实党建政治责任' })
    expect(state.selection.from).toBe(textPos(doc, '全年主持局委会'))
  })

  it('demotes a level-1 section with its sub-sections into the previous level-1 section', () => {
    const { ok, state } = run(caretInTitle(doc, findSection(doc, TWO)), demoteSection)
    expect(ok).toBe(true)
    expect(outline(state.doc)).toEqual([
      ONE,
      '  （一）落实党建政治责任',
      '  （二）完成重大政治任务',
      '  （三）强化理论武装，提升政治素养',
      '    1.深入学习宣传贯彻党的二十大精神',
      '    2.深入开展政治理论学习',
      '    3.强化思想阵地建设',
      '二、建强战斗堡垒，建好基层组织',
      '  （一）提升基层党建水平',
      '  （二）加强党员教育培训',
      '  （三）严格党员管理',
      '三、全面从严治党，加强纪律建设',
      '  （一）强化主体责任',
      '  （二）深化作风建设',
      '  （三）堵塞管理漏洞',
    ])
    expect(state.doc.textContent).toBe(doc.textContent)
    expect(caretAt(state).sectionLabel).toBe('（三）强化理论武装，提升政治素养')
    expect(findSection(state.doc, ONE).unfilled).toBe(9)
  })

  it('takes the paragraphs between the previous sibling and the section along', () => {
    const d = build(sec(1, '甲', sec(2, '乙', para('乙的正文')), para('中间段落'), sec(2, '丙', para('丙的正文'))))
    const { ok, state } = run(stateAt(d, textPos(d, '丙的正文') + 1), demoteSection)
    expect(ok).toBe(true)
    expect(state.doc.textContent).toBe(d.textContent)
    expect(outline(state.doc)).toEqual(['一、甲', '  （一）乙', '    1.丙'])
    const yi = sectionNode(state.doc, '（一）乙')
    expect(yi.content.content.map((child) => child.type.name + ':' + child.textContent)).toEqual([
      'sectionTitle:乙',
      'paragraph:乙的正文',
      'paragraph:中间段落',
      'section:丙丙的正文',
    ])
    expect(caretAt(state)).toEqual({ block: '丙的正文', blockType: 'paragraph', offset: 1, sectionLabel: '1.丙' })
  })

  it('refuses past level 4, for the section or any of its sub-sections', () => {
    let state = caretInTitle(doc, findSection(doc, '（二）完成重大政治任务', ONE), 1)
    state = run(state, demoteSection).state // 1. inside （一）
    const level4 = run(state, demoteSection) // no previous section inside （一）: in place
    expect(level4.ok).toBe(true)
    expect(outline(level4.state.doc).slice(0, 3)).toEqual([ONE, '  （一）落实党建政治责任', '      （1）完成重大政治任务'])
    expect(caretAt(level4.state)).toMatchObject({ offset: 1, sectionLabel: '（1）完成重大政治任务' })
    expect(run(level4.state, demoteSection).ok).toBe(false)
    const d = level4.state.doc
    // The parent (level 2) holds a level-4 section, so it cannot go down either; nor can 一、.
    expect(run(stateAt(d, textPos(d, '全年主持局委会')), demoteSection).ok).toBe(false)
    expect(run(caretInTitle(d, findSection(d, ONE)), demoteSection).ok).toBe(false)
    // Other sections are unaffected.
    expect(run(caretInTitle(d, findSection(d, TWO)), demoteSection).ok).toBe(true)
  })

  it('refuses outside any section', () => {
    expect(run(stateAt(doc, textPos(doc, '在市委的坚强领导下')), demoteSection).ok).toBe(false)
    expect(run(stateAt(doc, 2), demoteSection).ok).toBe(false)
  })

  it('is undone by promoteSection (both into a sibling and in place)', () => {
    for (const label of ['（二）完成重大政治任务', '（一）落实党建政治责任', '（三）强化思想阵地建设']) {
      const start = caretInTitle(doc, findSection(doc, label), 3)
      const demoted = run(start, demoteSection)
      expect(demoted.ok).toBe(true)
      const promoted = run(demoted.state, promoteSection)
      expect(promoted.ok).toBe(true)
      expect(promoted.state.doc.eq(doc)).toBe(true)
      expect(promoted.state.selection.from).toBe(start.selection.from)
    }
    const two = caretInTitle(doc, findSection(doc, TWO), 5)
    const back = run(run(two, demoteSection).state, promoteSection)
    expect(back.state.doc.eq(doc)).toBe(true)
    expect(back.state.selection.from).toBe(two.selection.from)
  })
})

describe('promoteSection', () => {
  it('lifts （二） out of 二、 as 三、 right after it, taking the following （三） as its child', () => {
    const target = findSection(doc, '（二）深入开展政治理论学习', TWO)
    const { ok, state } = run(caretInTitle(doc, target, 4), promoteSection)
    expect(ok).toBe(true)
    expect(outline(state.doc)).toEqual([
      ...SAMPLE_OUTLINE.slice(0, SAMPLE_OUTLINE.indexOf(TWO)),
      TWO,
      '  （一）深入学习宣传贯彻党的二十大精神',
      '三、深入开展政治理论学习',
      '  （一）强化思想阵地建设',
      '四、建强战斗堡垒，建好基层组织',
      '  （一）提升基层党建水平',
      '  （二）加强党员教育培训',
      '  （三）严格党员管理',
      '五、全面从严治党，加强纪律建设',
      '  （一）强化主体责任',
      '  （二）深化作风建设',
      '  （三）堵塞管理漏洞',
    ])
    expect(state.doc.textContent).toBe(doc.textContent)
    expect(state.doc.childCount).toBe(doc.childCount + 1)
    const promoted = state.doc.child(4)
    expect(promoted.attrs.level).toBe(1)
    expect(promoted.content.content.map((child) => child.type.name)).toEqual(['sectionTitle', 'paragraph', 'section'])
    expect(caretAt(state)).toEqual({
      block: '深入开展政治理论学习。',
      blockType: 'sectionTitle',
      offset: 4,
      sectionLabel: '三、深入开展政治理论学习',
    })
    expect(findSection(state.doc, TWO).unfilled).toBe(1)
    expect(findSection(state.doc, '三、深入开展政治理论学习').unfilled).toBe(2)
  })

  it('lifts the first （一） out, leaving its parent with only a title', () => {
    const { ok, state } = run(stateAt(doc, textPos(doc, '全年主持局委会')), promoteSection)
    expect(ok).toBe(true)
    expect(outline(state.doc).slice(0, 4)).toEqual([ONE, '二、落实党建政治责任', '  （一）完成重大政治任务', '三、强化理论武装，提升政治素养'])
    expect(state.doc.child(2).childCount).toBe(1)
    expect(state.doc.textContent).toBe(doc.textContent)
    expect(caretAt(state)).toMatchObject({ blockType: 'paragraph', sectionLabel: '二、落实党建政治责任' })
    expect(state.selection.from).toBe(textPos(state.doc, '全年主持局委会'))
  })

  it('lifts the last sub-section out without taking anything along', () => {
    const { state } = run(caretInTitle(doc, findSection(doc, '（三）强化思想阵地建设', TWO)), promoteSection)
    expect(outline(state.doc).slice(3, 8)).toEqual([
      TWO,
      '  （一）深入学习宣传贯彻党的二十大精神',
      '  （二）深入开展政治理论学习',
      '三、强化思想阵地建设',
      '四、建强战斗堡垒，建好基层组织',
    ])
  })

  it('promotes a sub-section with its own sub-sections', () => {
    const d = build(sec(1, '甲', sec(2, '乙', sec(3, '丙', sec(4, '丁'))), sec(2, '戊')))
    const { state } = run(stateAt(d, textPos(d, '乙')), promoteSection)
    expect(outline(state.doc)).toEqual(['一、甲', '二、乙', '  （一）丙', '    1.丁', '  （二）戊'])
  })

  it('promotes in place when the parent is already shallower than the new level', () => {
    const d = build(sec(1, '甲', sec(3, '跳级', para('正文'))))
    const { ok, state } = run(stateAt(d, textPos(d, '正文')), promoteSection)
    expect(ok).toBe(true)
    expect(outline(state.doc)).toEqual(['一、甲', '  （一）跳级'])
    expect(state.doc.child(1).childCount).toBe(2)
    expect(caretAt(state)).toMatchObject({ block: '正文', offset: 0 })
  })

  it('promotes a top-level level-2 section in place', () => {
    const d = build(sec(2, '孤立'))
    const { state } = run(stateAt(d, textPos(d, '孤立')), promoteSection)
    expect(outline(state.doc)).toEqual(['一、孤立'])
  })

  it('refuses at level 1 and outside any section', () => {
    expect(run(caretInTitle(doc, findSection(doc, THREE)), promoteSection).ok).toBe(false)
    expect(run(stateAt(doc, textPos(doc, '在市委的坚强领导下')), promoteSection).ok).toBe(false)
  })
})

describe('dissolveSection', () => {
  it('turns a sub-section title into a paragraph at Backspace in its first position and lifts its body', () => {
    const target = findSection(doc, '（一）深入学习宣传贯彻党的二十大精神', TWO)
    const { ok, state } = run(caretInTitle(doc, target, 0), dissolveSection)
    expect(ok).toBe(true)
    expect(outline(state.doc)).toEqual(
      outlineWith(TWO, THREE, [TWO, '  （一）深入开展政治理论学习', '  （二）强化思想阵地建设']),
    )
    expect(state.doc.textContent).toBe(doc.textContent)
    const two = sectionNode(state.doc, TWO)
    expect(two.content.content.map((child) => child.type.name)).toEqual(['sectionTitle', 'paragraph', 'paragraph', 'section', 'section'])
    expect(two.child(1).textContent).toBe('深入学习宣传贯彻党的二十大精神。')
    expect(caretAt(state)).toEqual({ block: '深入学习宣传贯彻党的二十大精神。', blockType: 'paragraph', offset: 0, sectionLabel: TWO })
  })

  it('dissolves a level-1 section: its sub-sections go to the top level and the rest renumber', () => {
    const { ok, state } = run(caretInTitle(doc, findSection(doc, ONE)), dissolveSection)
    expect(ok).toBe(true)
    expect(outline(state.doc).slice(0, 4)).toEqual([
      '  （一）落实党建政治责任',
      '  （二）完成重大政治任务',
      '一、强化理论武装，提升政治素养',
      '  （一）深入学习宣传贯彻党的二十大精神',
    ])
    expect(state.doc.child(2).type.name).toBe('paragraph')
    expect(state.doc.child(2).textContent).toBe('强化政治引领，贯彻中央部署')
    expect(state.doc.textContent).toBe(doc.textContent)
  })

  it('dissolves a section after a sibling into that sibling: its title and text read as the text of the section above', () => {
    const target = findSection(doc, '（二）完成重大政治任务', ONE)
    const { ok, state } = run(caretInTitle(doc, target, 0), dissolveSection)
    expect(ok).toBe(true)
    expect(outline(state.doc).slice(0, 3)).toEqual([ONE, '  （一）落实党建政治责任', TWO])
    const first = sectionNode(state.doc, '（一）落实党建政治责任', ONE)
    expect(first.lastChild!.textContent).toBe(sectionNode(doc, '（二）完成重大政治任务', ONE).lastChild!.textContent)
    expect(state.doc.textContent).toBe(doc.textContent)
    expect(caretAt(state)).toEqual({ block: '完成重大政治任务。', blockType: 'paragraph', offset: 0, sectionLabel: '（一）落实党建政治责任' })
  })

  it('keeps placeholders in the title', () => {
    const d = docFromText('标题\n一、**局工作\n正文')
    const { state } = run(caretInTitle(d, findSection(d, '一、**局工作')), dissolveSection)
    const analysis = analyzeReport(state.doc)
    expect(analysis.sections).toHaveLength(0)
    expect(analysis.placeholders.map((p) => [p.text, p.kind, p.sectionPath])).toEqual([['**', 'org', []]])
    expect(analysis.placeholders[0].id).toBe(analyzeReport(d).placeholders[0].id)
  })

  it('applies only to an empty selection at the very start of a section title', () => {
    const target = findSection(doc, '（一）深入学习宣传贯彻党的二十大精神', TWO)
    expect(run(caretInTitle(doc, target, 1), dissolveSection).ok).toBe(false)
    expect(run(stateAt(doc, target.pos + 2, target.pos + 4), dissolveSection).ok).toBe(false)
    const body = textPos(doc, '坚持把学习贯彻党的二十大精神')
    expect(doc.resolve(body).parentOffset).toBe(0)
    expect(run(stateAt(doc, body), dissolveSection).ok).toBe(false)
    expect(run(stateAt(doc, 1), dissolveSection).ok).toBe(false)
  })
})

describe('setSectionRunIn', () => {
  it('toggles run-in on a level-2 section and nothing else', () => {
    const target = findSection(doc, '（一）落实党建政治责任', ONE)
    expect(doc.nodeAt(target.pos)!.attrs).toEqual({ level: 2, runIn: true, structural: null, workflow: null })
    const off = run(stateAt(doc, textPos(doc, '全年主持局委会')), setSectionRunIn(false))
    expect(off.ok).toBe(true)
    expect(off.state.doc.nodeAt(target.pos)!.attrs).toEqual({ level: 2, runIn: false, structural: null, workflow: null })
    expect(off.state.doc.textContent).toBe(doc.textContent)
    expect(outline(off.state.doc)).toEqual(SAMPLE_OUTLINE)
    const on = run(off.state, setSectionRunIn(true))
    expect(on.state.doc.eq(doc)).toBe(true)
  })

  it('refuses for level-1 sections and outside sections', () => {
    expect(doc.nodeAt(findSection(doc, ONE).pos)!.attrs.runIn).toBe(false)
    expect(run(caretInTitle(doc, findSection(doc, ONE)), setSectionRunIn(true)).ok).toBe(false)
    expect(run(stateAt(doc, textPos(doc, '在市委的坚强领导下')), setSectionRunIn(true)).ok).toBe(false)
  })
})

describe('a selected section node', () => {
  const nodeSelected = (d: PMNode, label: string, parent?: string) =>
    EditorState.create({ schema, doc: d, selection: NodeSelection.create(d, findSection(d, label, parent).pos) })

  it('is the section the commands act on, not its parent', () => {
    const moved = run(nodeSelected(doc, '（一）落实党建政治责任', ONE), moveSection(1))
    expect(moved.ok).toBe(true)
    expect(outline(moved.state.doc).slice(0, 4)).toEqual([ONE, '  （一）完成重大政治任务', '  （二）落实党建政治责任', TWO])
    expect(caretAt(moved.state)).toMatchObject({ blockType: 'sectionTitle', offset: 0, sectionLabel: '（二）落实党建政治责任' })

    expect(run(nodeSelected(doc, '（一）落实党建政治责任', ONE), moveSection(-1)).ok).toBe(false)

    const demoted = run(nodeSelected(doc, '（二）完成重大政治任务', ONE), demoteSection)
    expect(outline(demoted.state.doc).slice(0, 4)).toEqual([ONE, '  （一）落实党建政治责任', '    1.完成重大政治任务', TWO])

    const promoted = run(nodeSelected(doc, '（二）完成重大政治任务', ONE), promoteSection)
    expect(outline(promoted.state.doc).slice(0, 4)).toEqual([ONE, '  （一）落实党建政治责任', '二、完成重大政治任务', '三、强化理论武装，提升政治素养'])
    expect(caretAt(promoted.state)).toMatchObject({ blockType: 'sectionTitle', offset: 0, sectionLabel: '二、完成重大政治任务' })

    const runIn = run(nodeSelected(doc, '（一）落实党建政治责任', ONE), setSectionRunIn(false))
    expect(runIn.state.doc.nodeAt(findSection(doc, '（一）落实党建政治责任', ONE).pos)!.attrs.runIn).toBe(false)
    expect(run(nodeSelected(doc, ONE), setSectionRunIn(true)).ok).toBe(false)
  })

  it('gets the new section after it, at its own level', () => {
    const sub = run(nodeSelected(doc, '（一）落实党建政治责任', ONE), insertSectionAfter)
    expect(outline(sub.state.doc).slice(0, 4)).toEqual([ONE, '  （一）落实党建政治责任', '  （二）', '  （三）完成重大政治任务'])
    const top = run(nodeSelected(doc, ONE), insertSectionAfter)
    expect(outline(top.state.doc)[0]).toBe(ONE)
    expect(outline(top.state.doc)[3]).toBe('二、')
    expect(caretAt(top.state)).toMatchObject({ block: '', sectionLabel: '二、' })
    const child = run(nodeSelected(doc, '（二）完成重大政治任务', ONE), insertSubsection)
    expect(outline(child.state.doc).slice(0, 4)).toEqual([ONE, '  （一）落实党建政治责任', '  （二）完成重大政治任务', '    1.'])
  })

  it('with everything selected, a new level-1 section goes at the end', () => {
    const { ok, state } = run(EditorState.create({ schema, doc, selection: new AllSelection(doc) }), insertSectionAfter)
    expect(ok).toBe(true)
    expect(state.doc.childCount).toBe(doc.childCount + 1)
    expect(outline(state.doc).at(-1)).toBe('五、')
    expect(caretAt(state)).toMatchObject({ block: '', blockType: 'sectionTitle', sectionLabel: '五、' })
  })
})

describe('commands keep the document valid whatever the caret', () => {
  it('every command at every textblock start either refuses or yields a valid document with unchanged text', () => {
    const commands = {
      demoteSection,
      promoteSection,
      moveUp: moveSection(-1),
      moveDown: moveSection(1),
      dissolveSection,
      insertSectionAfter,
      insertSubsection,
    }
    const starts: number[] = []
    doc.descendants((node, pos) => {
      if (node.isTextblock) starts.push(pos + 1)
    })
    for (const pos of starts) {
      const state = stateAt(doc, pos)
      for (const [name, command] of Object.entries(commands)) {
        const result = run(state, command)
        if (!result.ok) continue
        expect(() => result.state.doc.check(), `${name} at ${pos}`).not.toThrow()
        if (!name.startsWith('move')) expect(result.state.doc.textContent, `${name} at ${pos}`).toBe(doc.textContent)
        expect(result.state.doc.textContent.length).toBe(doc.textContent.length)
        expect(result.state.selection).toBeInstanceOf(TextSelection)
        expect(analyzeReport(result.state.doc).placeholders).toHaveLength(20)
      }
    }
  })
})

describe('promoting a run-in title to level 1', () => {
  it('clears run-in (a 一、 title stands on its own line, and 标题并入段首 is not offered at level 1 to undo it)', () => {
    const runIn = { ...sec(2, '并入的标题。', para('正文段落')), attrs: { level: 2, runIn: true } }
    const d = build(sec(1, '第一部分', para('开头'), sec(2, '前一节'), runIn))
    const target = findSection(d, '（二）并入的标题')
    const promoted = run(caretInTitle(d, target), promoteSection).state.doc
    const section = promoted.nodeAt(findSection(promoted, '二、并入的标题').pos)!
    expect(section.attrs).toMatchObject({ level: 1, runIn: false })
    // Demoted back, it is an ordinary (not run-in) level-2 title that can be run in again.
    const back = run(caretInTitle(promoted, findSection(promoted, '二、并入的标题')), demoteSection).state
    expect(run(caretInTitle(back.doc, findSection(back.doc, '（二）并入的标题')), setSectionRunIn(true)).ok).toBe(true)
  })

  it('lets a level-1 section stored as run-in (by the old promotion) be turned back, but never turned on', () => {
    const broken = build({ ...sec(1, '并入的标题。', para('正文段落')), attrs: { level: 1, runIn: true } })
    const state = caretInTitle(broken, findSection(broken, '一、并入的标题'))
    expect(run(state, setSectionRunIn(true)).ok).toBe(false)
    const fixed = run(state, setSectionRunIn(false))
    expect(fixed.ok).toBe(true)
    expect(fixed.state.doc.nodeAt(findSection(broken, '一、并入的标题').pos)!.attrs.runIn).toBe(false)
    expect(run(fixed.state, setSectionRunIn(false)).ok).toBe(false)
  })
})

describe('adoptTrailingParagraphs', () => {
  const adopt = (d: PMNode) => {
    const tr = new Transform(d)
    adoptTrailingParagraphs(tr)
    return tr
  }

  it('moves paragraphs after a section into its deepest last sub-section, at every level, in reading order', () => {
    const d = build(para('开头'), sec(1, '甲', para('甲文'), sec(2, '乙', sec(3, '丙', para('丙文'))), para('甲尾一'), para('甲尾二')), para('结尾'), sec(1, '丁'))
    const tr = adopt(d)
    tr.doc.check()
    expect(tr.doc.textContent).toBe(d.textContent)
    const third = sectionNode(tr.doc, '1.丙', '（一）乙')
    expect(third.content.content.map((child) => child.textContent)).toEqual(['丙', '丙文', '甲尾一', '甲尾二', '结尾'])
    expect(tr.doc.child(1).textContent).toBe('开头')
    expect(adopt(tr.doc).steps).toHaveLength(0)
  })

  it('leaves a report whose paragraphs all come before its sections as it is', () => {
    expect(adopt(doc).steps).toHaveLength(0)
  })
})

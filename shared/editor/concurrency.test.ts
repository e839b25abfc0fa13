// @vitest-environment happy-dom
/**
 * Two people editing one report through Yjs, the way the product syncs: each side is a headless Tiptap
 * editor with the document extensions and the Collaboration extension bound to its own Y.Doc, and the
 * Y.Docs exchange updates. Section commands, typing and placeholder fills run through Tiptap commands.
 */
import { Editor } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState, TextSelection } from '@tiptap/pm/state'
import { updateYFragment } from '@tiptap/y-tiptap'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { insertSectionAfter } from './commands/sections'
import { documentExtensions } from './extensions'
import { analyzeReport } from './lib/analyzeReport'
import { plainTextToDocJSON } from './lib/plainText'
import { CONTENT_FRAGMENT, docJSONToUpdate, yDocToNode } from './lib/ydoc'
import { schema } from './schema'
import { caretAt, findSection, outline, SAMPLE_TEXT, textPos } from './testing/reportFixtures'

const ONE = '一、强化政治引领，贯彻中央部署'
const TWO = '二、强化理论武装，提升政治素养'
const THREE = '三、建强战斗堡垒，建好基层组织'
const FOUR = '四、全面从严治党，加强纪律建设'

interface Side {
  name: string
  ydoc: Y.Doc
  editor: Editor
}

const open: Side[] = []

afterEach(() => {
  for (const side of open.splice(0)) {
    side.editor.destroy()
    side.ydoc.destroy()
  }
})

/** One person's editor on their own replica of the stored document. */
function join(name: string, initial: Uint8Array): Side {
  const ydoc = new Y.Doc()
  Y.applyUpdate(ydoc, initial)
  const editor = new Editor({
    extensions: [...documentExtensions(), Collaboration.configure({ document: ydoc, field: CONTENT_FRAGMENT })],
  })
  const side = { name, ydoc, editor }
  open.push(side)
  return side
}

/** Delivers each side's missing updates to the other (both directions, like the server relay). */
function exchange(a: Side, b: Side): void {
  const toB = Y.encodeStateAsUpdate(a.ydoc, Y.encodeStateVector(b.ydoc))
  const toA = Y.encodeStateAsUpdate(b.ydoc, Y.encodeStateVector(a.ydoc))
  Y.applyUpdate(b.ydoc, toB, 'remote')
  Y.applyUpdate(a.ydoc, toA, 'remote')
}

function type(side: Side, text: string): void {
  const { state, view } = side.editor
  view.dispatch(state.tr.insertText(text))
}

function caretIn(side: Side, pos: number): void {
  expect(side.editor.commands.setTextSelection(pos)).toBe(true)
}

function caretInSectionTitle(side: Side, label: string, offset = 0, parent?: string): void {
  caretIn(side, findSection(side.editor.state.doc, label, parent).pos + 2 + offset)
}

/** Both replicas hold the same valid document, and each editor shows it. */
function expectConverged(a: Side, b: Side): PMNode {
  const docA = yDocToNode(a.ydoc)
  const docB = yDocToNode(b.ydoc)
  expect(() => docA.check()).not.toThrow()
  expect(docA.toJSON()).toEqual(docB.toJSON())
  expect(docA.eq(docB)).toBe(true)
  // Each editor has its own schema instance, so compare as JSON.
  expect(a.editor.state.doc.toJSON()).toEqual(docA.toJSON())
  expect(b.editor.state.doc.toJSON()).toEqual(docB.toJSON())
  return docA
}

/** Ordinals run 1..n per level among the children of every container. */
function expectConsistentNumbering(doc: PMNode): void {
  const { sections } = analyzeReport(doc)
  const seen = new Map<string, number>()
  for (const section of sections) {
    const key = `${section.parent}:${section.level}`
    const index = (seen.get(key) ?? 0) + 1
    seen.set(key, index)
    const expected = { 1: `${'一二三四五六七八九十'[index - 1]}、`, 2: `（${'一二三四五六七八九十'[index - 1]}）`, 3: `${index}.`, 4: `（${index}）` }[
      section.level
    ]
    expect(section.ordinal).toBe(expected)
    expect(section.label.startsWith(section.ordinal)).toBe(true)
  }
}

const initial = docJSONToUpdate(plainTextToDocJSON(SAMPLE_TEXT))

describe('the stored document through Yjs', () => {
  it('round-trips the imported sample unchanged', () => {
    const ydoc = new Y.Doc()
    Y.applyUpdate(ydoc, initial)
    const node = yDocToNode(ydoc)
    node.check()
    const direct = schema.nodeFromJSON(plainTextToDocJSON(SAMPLE_TEXT))
    expect(outline(node)).toEqual(outline(direct))
    expect(node.textContent).toBe(direct.textContent)
    expect(analyzeReport(node).placeholders.map((p) => [p.text, p.kind, p.from])).toEqual(
      analyzeReport(direct).placeholders.map((p) => [p.text, p.kind, p.from]),
    )
    expect(node.child(2).child(1).attrs).toEqual({ level: 2, runIn: true, structural: null, workflow: null })
    ydoc.destroy()
  })

  it('gives every editor the same document, placeholder ids included', () => {
    const a = join('A', initial)
    const b = join('B', initial)
    const doc = expectConverged(a, b)
    expect(analyzeReport(doc).placeholders).toHaveLength(20)
    expect(analyzeReport(a.editor.state.doc).placeholders.map((p) => p.id)).toEqual(analyzeReport(b.editor.state.doc).placeholders.map((p) => p.id))
  })
})

describe('two people editing different sections at once', () => {
  it('A types in 一（一）, moves and demotes sections in 一、 while B types in 三、 and adds a section: both edits survive', () => {
    const a = join('A', initial)
    const b = join('B', initial)
    const ids = analyzeReport(a.editor.state.doc).placeholders.map((p) => p.id).sort()

    // A: types in the body of 一（一）.
    caretIn(a, textPos(a.editor.state.doc, '全年主持局委会'))
    type(a, '甲方补充内容，')
    // A: moves 一（二） above 一（一）; the caret stays in the moved title.
    caretInSectionTitle(a, '（二）完成重大政治任务', 2, ONE)
    expect(a.editor.commands.moveSectionUp()).toBe(true)
    expect(caretAt(a.editor.state)).toMatchObject({ block: '完成重大政治任务。', offset: 2, sectionLabel: '（一）完成重大政治任务' })
    // A: demotes what is now 一（二） into 一（一）.
    caretInSectionTitle(a, '（二）落实党建政治责任', 1, ONE)
    expect(a.editor.commands.demoteSection()).toBe(true)
    expect(caretAt(a.editor.state)).toMatchObject({ block: '落实党建政治责任。', offset: 1, sectionLabel: '1.落实党建政治责任' })

    // B, meanwhile: types in 三（二） and adds a section after 三（三）.
    caretIn(b, textPos(b.editor.state.doc, '组织开展支部书记专题培训'))
    type(b, '乙方补充内容，')
    caretIn(b, textPos(b.editor.state.doc, '全年新发展党员'))
    expect(b.editor.commands.insertSectionAfter()).toBe(true)
    expect(caretAt(b.editor.state)).toMatchObject({ block: '', blockType: 'sectionTitle', sectionLabel: '（四）' })
    type(b, '乙方新增一节')
    expect(outline(b.editor.state.doc)).toContain('  （四）乙方新增一节')

    exchange(a, b)
    const doc = expectConverged(a, b)
    expect(outline(doc)).toEqual([
      ONE,
      '  （一）完成重大政治任务',
      '    1.落实党建政治责任',
      TWO,
      '  （一）深入学习宣传贯彻党的二十大精神',
      '  （二）深入开展政治理论学习',
      '  （三）强化思想阵地建设',
      THREE,
      '  （一）提升基层党建水平',
      '  （二）加强党员教育培训',
      '  （三）严格党员管理',
      '  （四）乙方新增一节',
      FOUR,
      '  （一）强化主体责任',
      '  （二）深化作风建设',
      '  （三）堵塞管理漏洞',
    ])
    expectConsistentNumbering(doc)
    const text = doc.textContent
    expect(text).toContain('甲方补充内容，全年主持局委会*次')
    expect(text).toContain('乙方补充内容，组织开展支部书记专题培训')
    expect(text).toContain('乙方新增一节')
    const analysis = analyzeReport(doc)
    expect(analysis.placeholders.map((p) => p.id).sort()).toEqual(ids)
    expect(analysis.placeholders.find((p) => p.context.includes('局委会【*】次'))?.sectionPath).toEqual([
      ONE,
      '（一）完成重大政治任务',
      '1.落实党建政治责任',
    ])
    expect(findSection(doc, ONE).unfilled).toBe(6)
    // Each person's caret is still where they were typing.
    expect(caretAt(b.editor.state).block).toBe('乙方新增一节')
    expect(caretAt(a.editor.state).sectionLabel).toBe('1.落实党建政治责任')
  })

  it('A promotes 二（二） while B fills placeholders in 四、: both edits survive', () => {
    const a = join('A', initial)
    const b = join('B', initial)
    caretInSectionTitle(a, '（二）深入开展政治理论学习', 0, TWO)
    expect(a.editor.commands.promoteSection()).toBe(true)
    const targets = analyzeReport(b.editor.state.doc).placeholders.filter((p) => p.sectionPath[0] === FOUR)
    expect(targets).toHaveLength(7)
    for (const [i, placeholder] of targets.entries()) {
      expect(b.editor.commands.fillPlaceholder(placeholder.id, String(i + 2))).toBe(true)
    }
    exchange(a, b)
    const doc = expectConverged(a, b)
    expect(outline(doc).filter((line) => !line.startsWith(' '))).toEqual([
      ONE,
      TWO,
      '三、深入开展政治理论学习',
      '四、建强战斗堡垒，建好基层组织',
      '五、全面从严治党，加强纪律建设',
    ])
    expectConsistentNumbering(doc)
    const analysis = analyzeReport(doc)
    expect(analysis.unfilled).toHaveLength(13)
    expect(findSection(doc, '五、全面从严治党，加强纪律建设').unfilled).toBe(0)
    expect(findSection(doc, '三、深入开展政治理论学习').unfilled).toBe(2)
    expect(doc.textContent).toContain('修订完善8项')
  })

  it('keeps converging over several rounds of concurrent edits', () => {
    const a = join('A', initial)
    const b = join('B', initial)
    for (let round = 1; round <= 3; round++) {
      caretIn(a, textPos(a.editor.state.doc, '一年来，我认真履行'))
      type(a, `甲${round}`)
      caretIn(b, textPos(b.editor.state.doc, '牢固“一切工作到支部”'))
      type(b, `乙${round}`)
      caretInSectionTitle(b, THREE)
      expect(b.editor.commands.insertSubsection()).toBe(true)
      type(b, `乙节${round}`)
      exchange(a, b)
      const doc = expectConverged(a, b)
      expectConsistentNumbering(doc)
      expect(doc.textContent).toContain(`甲${round}`)
      expect(doc.textContent).toContain(`乙${round}`)
    }
    const doc = yDocToNode(a.ydoc)
    expect(outline(doc).slice(7, 15)).toEqual([
      THREE,
      '  （一）提升基层党建水平',
      '  （二）加强党员教育培训',
      '  （三）严格党员管理',
      '  （四）乙节1',
      '  （五）乙节2',
      '  （六）乙节3',
      FOUR,
    ])
    expect(doc.textContent).toContain('甲1甲2甲3一年来')
  })
})

describe('two people inserting at the same place', () => {
  it('both add a section after 二（三）: both kept, numbered （四） and （五）', () => {
    const a = join('A', initial)
    const b = join('B', initial)
    for (const [side, title] of [
      [a, '甲的新节'],
      [b, '乙的新节'],
    ] as const) {
      caretInSectionTitle(side, '（三）强化思想阵地建设', 3, TWO)
      expect(side.editor.commands.insertSectionAfter()).toBe(true)
      type(side, title)
      expect(outline(side.editor.state.doc)).toContain(`  （四）${title}`)
    }
    exchange(a, b)
    const doc = expectConverged(a, b)
    expectConsistentNumbering(doc)
    const two = outline(doc).slice(outline(doc).indexOf(TWO), outline(doc).indexOf(THREE))
    expect(two.slice(0, 4)).toEqual([
      TWO,
      '  （一）深入学习宣传贯彻党的二十大精神',
      '  （二）深入开展政治理论学习',
      '  （三）强化思想阵地建设',
    ])
    expect(two).toHaveLength(6)
    expect(two.slice(4).map((line) => line.slice(2, 5))).toEqual(['（四）', '（五）'])
    expect(two.slice(4).map((line) => line.slice(5)).sort()).toEqual(['乙的新节', '甲的新节'])
    // No title got the other's text mixed in, and nothing else moved.
    const fresh = analyzeReport(doc).sections.filter((s) => s.title.endsWith('的新节'))
    expect(fresh.map((s) => doc.nodeAt(s.pos)!.childCount)).toEqual([1, 1])
    expect(fresh.every((s) => s.level === 2)).toBe(true)
    expect(analyzeReport(doc).placeholders).toHaveLength(20)
  })

  it('both add a level-1 section at the very end: 五、 and 六、', () => {
    const a = join('A', initial)
    const b = join('B', initial)
    for (const [side, title] of [
      [a, '甲的总结'],
      [b, '乙的总结'],
    ] as const) {
      caretInSectionTitle(side, FOUR)
      expect(side.editor.commands.insertSectionAfter()).toBe(true)
      type(side, title)
    }
    exchange(a, b)
    const doc = expectConverged(a, b)
    expectConsistentNumbering(doc)
    const top = analyzeReport(doc).sections.filter((s) => s.level === 1)
    expect(top.map((s) => s.ordinal)).toEqual(['一、', '二、', '三、', '四、', '五、', '六、'])
    expect(top.slice(4).map((s) => s.title).sort()).toEqual(['乙的总结', '甲的总结'])
  })

  it('both fill the same placeholder: the replicas agree and it stays one placeholder', () => {
    const a = join('A', initial)
    const b = join('B', initial)
    const id = analyzeReport(a.editor.state.doc).placeholders[1].id
    expect(a.editor.commands.fillPlaceholder(id, '12')).toBe(true)
    expect(b.editor.commands.fillPlaceholder(id, '15')).toBe(true)
    exchange(a, b)
    const doc = expectConverged(a, b)
    const same = analyzeReport(doc).placeholders.filter((p) => p.id === id)
    expect(same).toHaveLength(1)
    expect(['1215', '1512']).toContain(same[0].text)
    expect(same[0].filled).toBe(true)
    expect(analyzeReport(doc).placeholders).toHaveLength(20)
  })
})

describe('a structural edit racing typing in the same section', () => {
  it('still converges to one valid document (the typing inside the re-nested section is lost)', () => {
    const a = join('A', initial)
    const b = join('B', initial)
    caretInSectionTitle(a, '（二）完成重大政治任务', 0, ONE)
    expect(a.editor.commands.demoteSection()).toBe(true)
    caretIn(b, textPos(b.editor.state.doc, '成立以我为组长'))
    type(b, '乙在被降级的节里打字')
    exchange(a, b)
    const doc = expectConverged(a, b)
    expectConsistentNumbering(doc)
    expect(outline(doc).slice(0, 3)).toEqual([ONE, '  （一）落实党建政治责任', '    1.完成重大政治任务'])
    // Note: y-prosemirror writes a change of nesting as delete + re-insert of the section subtree, so
    // B's concurrent typing inside the demoted section does not survive. Only convergence is asserted.
  })
})

describe('structural edits racing typing in the sections they re-nest or reorder', () => {
  const cases = [
    { what: 'move 二、 up while B types in 一、', label: TWO, command: 'moveSectionUp', at: '一年来，我认真履行', top: ['一、强化理论武装，提升政治素养', '二、强化政治引领，贯彻中央部署', THREE, FOUR] },
    { what: 'promote 二（二） while B types in 二（三）', label: '（二）深入开展政治理论学习', command: 'promoteSection', at: '严格落实意识形态', top: [ONE, TWO, '三、深入开展政治理论学习', '四、建强战斗堡垒，建好基层组织', '五、全面从严治党，加强纪律建设'] },
  ] as const
  for (const { what, label, command, at, top } of cases) {
    it(`${what}: converges to one valid document`, () => {
      const a = join('A', initial)
      const b = join('B', initial)
      caretInSectionTitle(a, label)
      expect(a.editor.commands[command]()).toBe(true)
      caretIn(b, textPos(b.editor.state.doc, at))
      type(b, '乙的字')
      exchange(a, b)
      const doc = expectConverged(a, b)
      expectConsistentNumbering(doc)
      expect(analyzeReport(doc).sections.filter((s) => s.level === 1).map((s) => s.label)).toEqual(top)
      expect(analyzeReport(doc).placeholders).toHaveLength(20)
    })
  }
})

describe('a server-side edit written with updateYFragment', () => {
  it('merges with an editor’s concurrent edits', () => {
    const a = join('A', initial)
    // The server holds its own replica and edits it headlessly.
    const server = new Y.Doc()
    Y.applyUpdate(server, initial)
    const serverDoc = yDocToNode(server)
    let state = EditorState.create({ schema, doc: serverDoc })
    const inPreamble = textPos(state.doc, '现将一年来工作情况汇报如下')
    state = state.apply(state.tr.setSelection(TextSelection.create(state.doc, inPreamble)))
    expect(insertSectionAfter(state, (tr) => (state = state.apply(tr)))).toBe(true)
    state = state.apply(state.tr.insertText('服务端插入的一节'))
    const fillId = analyzeReport(state.doc).placeholders[0].id
    const first = analyzeReport(state.doc).placeholders[0]
    state = state.apply(state.tr.insertText('王', first.from, first.to))
    updateYFragment(server, server.getXmlFragment(CONTENT_FRAGMENT), state.doc, { mapping: new Map(), isOMark: new Map() })
    expect(yDocToNode(server).eq(state.doc)).toBe(true)

    // Meanwhile A demotes 四（三） and types in 二、.
    caretInSectionTitle(a, '（三）堵塞管理漏洞', 0, FOUR)
    expect(a.editor.commands.demoteSection()).toBe(true)
    caretIn(a, textPos(a.editor.state.doc, '严格落实意识形态工作责任制'))
    type(a, '甲：')

    Y.applyUpdate(a.ydoc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(a.ydoc)))
    Y.applyUpdate(server, Y.encodeStateAsUpdate(a.ydoc, Y.encodeStateVector(server)))
    const doc = yDocToNode(server)
    doc.check()
    expect(doc.eq(yDocToNode(a.ydoc))).toBe(true)
    expect(a.editor.state.doc.toJSON()).toEqual(doc.toJSON())
    expectConsistentNumbering(doc)
    expect(outline(doc)[0]).toBe('一、服务端插入的一节')
    expect(outline(doc).slice(-3)).toEqual(['  （一）强化主体责任', '  （二）深化作风建设', '    1.堵塞管理漏洞'])
    expect(doc.textContent).toContain('甲：严格落实意识形态工作责任制')
    expect(analyzeReport(doc).placeholders.find((p) => p.id === fillId)).toMatchObject({ text: '王', filled: true, sectionPath: [] })
    server.destroy()
  })
})

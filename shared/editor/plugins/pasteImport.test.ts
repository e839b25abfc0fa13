// @vitest-environment happy-dom
import { Editor } from '@tiptap/core'
import type { Node as PMNode, Slice } from '@tiptap/pm/model'
import { afterEach, describe, expect, it } from 'vitest'
import { documentExtensions } from '../extensions'
import { analyzeReport } from '../lib/analyzeReport'
import { plainTextToDocJSON } from '../lib/plainText'
import { schema } from '../schema'
import { findSection, outline, sampleDoc, SAMPLE_TEXT, stateAt, textPos } from '../testing/reportFixtures'
import { plainTextToSlice } from './pasteImport'

function placeholderAttrs(node: PMNode | null | undefined): Record<string, unknown> | undefined {
  return node?.marks.find((mark) => mark.type.name === 'placeholder')?.attrs
}

function sliceText(slice: Slice): string {
  return slice.content.textBetween(0, slice.content.size, '\n')
}

describe('plainTextToSlice', () => {
  it('pastes a single line with a mask inline, the mask as a placeholder', () => {
    const slice = plainTextToSlice('全年主持局委会*次，研究审议**局发展纲要', schema)
    expect(slice.openStart).toBe(0)
    expect(slice.openEnd).toBe(0)
    const nodes: PMNode[] = []
    slice.content.forEach((node) => nodes.push(node))
    expect(nodes.every((node) => node.isText)).toBe(true)
    expect(nodes.map((node) => node.text)).toEqual(['全年主持局委会', '*', '次，研究审议', '**', '局发展纲要'])
    expect(placeholderAttrs(nodes[0])).toBeUndefined()
    expect(placeholderAttrs(nodes[1])).toMatchObject({ kind: 'count', label: null })
    expect(placeholderAttrs(nodes[3])).toMatchObject({ kind: 'org' })
    expect(placeholderAttrs(nodes[1])!.id).toMatch(/^ph[0-9a-z]{12}$/)
    expect(placeholderAttrs(nodes[1])!.id).not.toBe(placeholderAttrs(nodes[3])!.id)
  })

  it('treats text with trailing line breaks (any style) as a single line, and trims it', () => {
    for (const text of ['  共*次\n', '共*次\r\n', '共*次\r\r\n\n']) {
      const slice = plainTextToSlice(text, schema)
      expect(slice.content.firstChild!.isText).toBe(true)
      expect(sliceText(slice)).toBe('共*次')
    }
  })

  it('pastes a plain single line as plain text and an empty string as nothing', () => {
    const slice = plainTextToSlice('没有数字的一句话', schema)
    expect(slice.content.childCount).toBe(1)
    expect(slice.content.firstChild!.marks).toEqual([])
    expect(plainTextToSlice('', schema).size).toBe(0)
  })

  it('turns heading lines into sections, run-in titles included', () => {
    const slice = plainTextToSlice('一、总体情况\n（一）主要做法。正文共*项\n（二）存在问题\n具体表现。\r\n二、下步打算\n', schema)
    expect(slice.openStart).toBe(0)
    expect(slice.openEnd).toBe(0)
    expect(slice.content.childCount).toBe(2)
    const [first, second] = [slice.content.child(0), slice.content.child(1)]
    expect(first.type.name).toBe('section')
    expect(first.attrs).toEqual({ level: 1, runIn: false, structural: null, workflow: null })
    expect(first.child(0).type.name).toBe('sectionTitle')
    expect(first.child(0).textContent).toBe('总体情况')
    const runIn = first.child(1)
    expect(runIn.attrs).toEqual({ level: 2, runIn: true, structural: null, workflow: null })
    expect(runIn.child(0).textContent).toBe('主要做法。')
    expect(runIn.child(1).type.name).toBe('paragraph')
    expect(runIn.child(1).textContent).toBe('正文共*项')
    expect(placeholderAttrs(runIn.child(1).child(1))).toMatchObject({ kind: 'count' })
    const standalone = first.child(2)
    expect(standalone.attrs).toEqual({ level: 2, runIn: false, structural: null, workflow: null })
    expect(standalone.child(0).textContent).toBe('存在问题')
    expect(standalone.child(1).textContent).toBe('具体表现。')
    expect(second.attrs).toEqual({ level: 1, runIn: false, structural: null, workflow: null })
    expect(second.childCount).toBe(1)
    slice.content.forEach((node) => node.check())
  })

  it('keeps a short first line as a paragraph, not a report title', () => {
    const slice = plainTextToSlice('补充说明\n一、新增内容\n正文', schema)
    expect(slice.content.child(0).type.name).toBe('paragraph')
    expect(slice.content.child(0).textContent).toBe('补充说明')
    expect(slice.content.child(1).type.name).toBe('section')
    expect(slice.content.child(1).child(1).textContent).toBe('正文')
  })

  it('keeps lines that read as a 署名 or a 落款 as paragraphs, none dropped', () => {
    const slice = plainTextToSlice('补充说明\n青山市财政局\n正文。\n青山市财政局\n2023年01月15日', schema)
    const types: string[] = []
    slice.content.forEach((node) => types.push(`${node.type.name}:${node.textContent}`))
    expect(types).toEqual(['paragraph:补充说明', 'paragraph:青山市财政局', 'paragraph:正文。', 'paragraph:青山市财政局', 'paragraph:2023年1月15日'])
  })

  it('pastes plain multi-line text as paragraphs', () => {
    const slice = plainTextToSlice('第一段正文。\n\n第二段正文。', schema)
    const types: string[] = []
    slice.content.forEach((node) => types.push(`${node.type.name}:${node.textContent}`))
    expect(types).toEqual(['paragraph:第一段正文。', 'paragraph:第二段正文。'])
  })

  it('pastes the whole sample report body as the same structure as an import', () => {
    const slice = plainTextToSlice(SAMPLE_TEXT, schema)
    const imported = schema.nodeFromJSON(plainTextToDocJSON(SAMPLE_TEXT))
    // The report title becomes the first paragraph; the rest matches the import (ids aside).
    expect(slice.content.child(0).type.name).toBe('paragraph')
    expect(slice.content.child(0).textContent).toBe('2022年度党建工作述职')
    expect(slice.content.childCount).toBe(imported.childCount)
    for (let i = 1; i < imported.childCount; i++) {
      expect(slice.content.child(i).textContent).toBe(imported.child(i).textContent)
      expect(slice.content.child(i).attrs).toEqual(imported.child(i).attrs)
    }
  })
})

describe('replacing a selection with a pasted slice', () => {
  const doc = sampleDoc()
  const text = '一、总体情况\n（一）主要做法。正文共*项\n二、下步打算'

  it('splits a top-level paragraph around the pasted sections', () => {
    const at = textPos(doc, '，在市委的坚强领导下')
    const tr = stateAt(doc, at).tr.replaceSelection(plainTextToSlice(text, schema))
    expect(() => tr.doc.check()).not.toThrow()
    const top: string[] = []
    tr.doc.forEach((node) => top.push(node.type.name))
    expect(top.slice(0, 5)).toEqual(['reportTitle', 'paragraph', 'section', 'section', 'paragraph'])
    expect(tr.doc.child(1).textContent).toBe('2022年')
    expect(tr.doc.child(4).textContent.startsWith('，在市委的坚强领导下')).toBe(true)
    expect(outline(tr.doc).slice(0, 4)).toEqual(['一、总体情况', '  （一）主要做法', '二、下步打算', '三、强化政治引领，贯彻中央部署'])
    const analysis = analyzeReport(tr.doc)
    expect(analysis.placeholders).toHaveLength(21)
    expect(analysis.placeholders[0]).toMatchObject({ text: '*', kind: 'count', sectionPath: ['一、总体情况', '（一）主要做法'] })
    expect(analysis.placeholders[1]).toMatchObject({ text: '*', kind: 'name', sectionPath: [] })
    expect(tr.doc.textContent.replace('一、', '').length).toBe(doc.textContent.length + '总体情况主要做法。正文共*项下步打算'.length)
  })

  it('produces a valid document inside a section paragraph, with the text in reading order', () => {
    const at = textPos(doc, '全年主持局委会')
    const tr = stateAt(doc, at).tr.replaceSelection(plainTextToSlice(text, schema))
    expect(() => tr.doc.check()).not.toThrow()
    const flat = tr.doc.textContent
    expect(flat.indexOf('总体情况')).toBeGreaterThan(flat.indexOf('一年来，我认真履行'))
    expect(flat.indexOf('全年主持局委会')).toBeGreaterThan(flat.indexOf('下步打算'))
    expect(analyzeReport(tr.doc).placeholders).toHaveLength(21)
  })

  it('replaces a selection within a paragraph', () => {
    const from = textPos(doc, '我能够团结带领')
    const tr = stateAt(doc, from, from + 7).tr.replaceSelection(plainTextToSlice('我们共*人', schema))
    tr.doc.check()
    expect(tr.doc.child(1).textContent).toContain('在市委的坚强领导下，我们共*人全局党员干部职工')
    expect(analyzeReport(tr.doc).placeholders[0]).toMatchObject({ text: '*', kind: 'count', sectionPath: [] })
  })
})

describe('the paste plugin in an editor', () => {
  let editor: Editor | null = null
  afterEach(() => {
    editor?.destroy()
    editor = null
  })

  function paste(text: string, html = ''): { handled: boolean; defaultHandled: boolean } {
    const view = editor!.view
    const event = { clipboardData: { getData: (type: string) => (type === 'text/plain' ? text : type === 'text/html' ? html : '') } }
    const handled = !!view.someProp('handlePaste', (handler) => handler(view, event as unknown as ClipboardEvent, plainTextToSlice('', schema)))
    // What ProseMirror does next when no handler took the paste.
    const defaultHandled = handled ? false : view.pasteText(text)
    return { handled, defaultHandled }
  }

  function open(): Editor {
    editor = new Editor({ extensions: documentExtensions(), content: plainTextToDocJSON(SAMPLE_TEXT) })
    return editor
  }

  it('imports multi-line text as sections at the caret', () => {
    const ed = open()
    ed.commands.setTextSelection(textPos(ed.state.doc, '全年主持局委会'))
    expect(paste('（三）新增一节。共*次\n（四）再一节').handled).toBe(true)
    ed.state.doc.check()
    const titles = analyzeReport(ed.state.doc).sections.map((section) => section.title)
    expect(titles).toContain('新增一节。')
    expect(titles).toContain('再一节')
    expect(analyzeReport(ed.state.doc).sections).toHaveLength(17)
    // Reading order: first half of the paragraph, the pasted sections, then the rest of the paragraph.
    const flat = ed.state.doc.textContent
    expect(flat).toContain('一年来，我认真履行党建工作第一责任人的职责，新增一节。共*次再一节全年主持局委会')
    const pasted = analyzeReport(ed.state.doc).placeholders[1]
    expect(pasted).toMatchObject({ text: '*', kind: 'count' })
    expect(pasted.sectionPath.at(-1)).toMatch(/新增一节$/)
    expect(analyzeReport(ed.state.doc).placeholders).toHaveLength(21)
    expect(ed.state.doc.textContent).toContain('新增一节。共*次再一节')
  })

  it('turns a masked figure in a single pasted line into a placeholder', () => {
    const ed = open()
    const at = textPos(ed.state.doc, '圆满完成各项工作任务')
    ed.commands.setTextSelection(at)
    expect(paste('共召开*次会议，').handled).toBe(true)
    const analysis = analyzeReport(ed.state.doc)
    expect(analysis.placeholders).toHaveLength(21)
    expect(analysis.placeholders[1]).toMatchObject({ text: '*', kind: 'count', from: at + 3, sectionPath: [] })
    expect(ed.state.doc.child(1).textContent).toContain('共召开*次会议，圆满完成')
  })

  it('leaves plain single lines and Huigao-to-Huigao copies to ProseMirror', () => {
    const ed = open()
    ed.commands.setTextSelection(textPos(ed.state.doc, '圆满完成各项工作任务'))
    expect(paste('一句普通的话，').handled).toBe(false)
    expect(paste('一、标题\n正文', '<p data-pm-slice="1 1 []">一、标题</p>').handled).toBe(false)
    expect(ed.state.doc.child(1).textContent).toContain('一句普通的话，')
  })

  it('never swallows a multi-line paste into the report title', () => {
    const ed = open()
    const before = ed.state.doc.textContent
    ed.commands.setTextSelection(5)
    const pasted = '一、总体情况\n（一）主要做法。正文共*项'
    const { handled, defaultHandled } = paste(pasted)
    expect(handled || defaultHandled).toBe(true)
    ed.state.doc.check()
    const after = ed.state.doc.textContent
    expect(after.length).toBe(before.length + pasted.replace('\n', '').length)
    for (const part of ['一、总体情况', '（一）主要做法。', '正文共*项']) expect(after).toContain(part)
  })

  it('keeps section titles intact when pasting structure into one (the section is split, nothing is lost)', () => {
    const ed = open()
    const section = findSection(ed.state.doc, '（一）落实党建政治责任')
    ed.commands.setTextSelection(section.pos + 2 + 4)
    const before = ed.state.doc.textContent
    expect(paste('一、总体情况\n二、下步打算').handled).toBe(true)
    ed.state.doc.check()
    const after = ed.state.doc.textContent
    expect(after.length).toBe(before.length + '总体情况下步打算'.length)
    expect(after).toContain('落实党建总体情况下步打算政治责任。')
  })

  /** Pastes what a copy of `slice` from a Huigao editor puts on the clipboard. */
  function pasteCopied(slice: Slice): void {
    const view = editor!.view
    const { dom, text } = view.serializeForClipboard(slice)
    const html = dom.innerHTML
    const event = { clipboardData: { getData: (type: string) => (type === 'text/plain' ? text : type === 'text/html' ? html : '') } }
    view.pasteHTML(html, event as unknown as ClipboardEvent)
  }

  it('lands a pasted level-1 heading at level 1 after the last paragraph of 四（三）, not nested and numbered 一、', () => {
    const ed = open()
    const end = ed.state.doc.content.size - 3
    expect(ed.state.doc.resolve(end).parent.textContent).toMatch(/^一年来，我能够坚持/)
    expect(ed.state.doc.resolve(end).depth).toBe(3)
    ed.commands.setTextSelection(end)
    expect(paste('五、新的部分\n（一）新的小节\n正文共*项\n六、再一部分').handled).toBe(true)
    ed.state.doc.check()
    expect(outline(ed.state.doc).slice(-7)).toEqual([
      '四、全面从严治党，加强纪律建设',
      '  （一）强化主体责任',
      '  （二）深化作风建设',
      '  （三）堵塞管理漏洞',
      '五、新的部分',
      '  （一）新的小节',
      '六、再一部分',
    ])
    expect(ed.state.doc.textContent.endsWith('新的部分新的小节正文共*项再一部分')).toBe(true)
  })

  /** The sample with `text` pasted in 一（一）'s paragraph, before 全年主持局委会; and the text before the paste. */
  function pastedMidParagraph(text: string): { ed: Editor; before: string } {
    const ed = open()
    ed.commands.setTextSelection(textPos(ed.state.doc, '全年主持局委会'))
    const before = ed.state.doc.textContent
    expect(paste(text).handled).toBe(true)
    ed.state.doc.check()
    return { ed, before }
  }

  it('moves what followed the caret into the pasted level-1 section, keeping reading order', () => {
    const { ed, before } = pastedMidParagraph('插入的部分\n二、插入的部分')
    expect(outline(ed.state.doc).slice(0, 5)).toEqual([
      '一、强化政治引领，贯彻中央部署',
      '  （一）落实党建政治责任',
      '二、插入的部分',
      '  （一）完成重大政治任务',
      '三、强化理论武装，提升政治素养',
    ])
    expect(ed.state.doc.textContent.replace('插入的部分插入的部分', '')).toBe(before)
  })

  it('makes the rest of the paragraph the body of a deeper heading pasted mid-paragraph, as the text reads (and Word reads it)', () => {
    const { ed, before } = pastedMidParagraph('1.新小点\n新正文')
    const point = findSection(ed.state.doc, '1.新小点', '（一）落实党建政治责任')
    const node = ed.state.doc.nodeAt(point.pos)!
    expect(node.content.content.map((child) => child.textContent.slice(0, 7))).toEqual(['新小点', '新正文', '全年主持局委会'])
    // （一）: its title, the text before the heading, then 1. — no paragraph of its own after 1.
    const parent = ed.state.doc.nodeAt(findSection(ed.state.doc, '（一）落实党建政治责任').pos)!
    expect(parent.content.content.map((child) => child.type.name)).toEqual(['sectionTitle', 'paragraph', 'section'])
    expect(ed.state.doc.textContent.replace('新小点新正文', '')).toBe(before)
    const figure = analyzeReport(ed.state.doc).placeholders.find((placeholder) => placeholder.kind === 'count')!
    expect(figure.sectionPath.at(-1)).toMatch(/新小点$/)
  })

  it('lands a copied level-1 section pasted inside a level-2 one at level 1 too', () => {
    const ed = open()
    const one = findSection(ed.state.doc, '一、强化政治引领，贯彻中央部署')
    const copied = ed.state.doc.slice(one.pos, one.end)
    ed.commands.setTextSelection(ed.state.doc.content.size - 3)
    pasteCopied(copied)
    ed.state.doc.check()
    expect(outline(ed.state.doc).slice(-3)).toEqual(['五、强化政治引领，贯彻中央部署', '  （一）落实党建政治责任', '  （二）完成重大政治任务'])
  })
})


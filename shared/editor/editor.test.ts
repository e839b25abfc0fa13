// @vitest-environment happy-dom
/**
 * The document extensions inside a real (headless) Tiptap editor: the Tiptap command wrappers, the
 * keyboard shortcuts and the numbering/placeholder decorations drawn by reportDecorations.
 */
import { Editor } from '@tiptap/core'
import { afterEach, describe, expect, it } from 'vitest'
import { documentExtensions } from './extensions'
import { analyzeReport } from './lib/analyzeReport'
import { plainTextToDocJSON } from './lib/plainText'
import { decorationWork, reportDecorationsKey } from './plugins/reportDecorations'
import { caretAt, findSection, outline, SAMPLE_TEXT, textPos } from './testing/reportFixtures'

const ONE = '一、强化政治引领，贯彻中央部署'
const TWO = '二、强化理论武装，提升政治素养'

let editor: Editor | null = null
afterEach(() => {
  editor?.destroy()
  editor = null
})

function open(text = SAMPLE_TEXT): Editor {
  editor = new Editor({ extensions: documentExtensions(), content: plainTextToDocJSON(text) })
  return editor
}

/** Presses a key combination the way the browser would deliver it to the view (handlers dispatch for real). */
function press(ed: Editor, combo: string): boolean {
  const parts = combo.split('-')
  const key = parts.pop()!
  const mac = /Mac|iP(hone|[oa]d)/.test(navigator.platform)
  const mod = parts.includes('Mod')
  const event = new KeyboardEvent('keydown', {
    key,
    shiftKey: parts.includes('Shift'),
    altKey: parts.includes('Alt'),
    ctrlKey: parts.includes('Ctrl') || (mod && !mac),
    metaKey: mod && mac,
    bubbles: true,
    cancelable: true,
  })
  return !!ed.view.someProp('handleKeyDown', (handler) => handler(ed.view, event))
}

function caretInTitle(ed: Editor, label: string, offset = 0, parent?: string): void {
  expect(ed.commands.setTextSelection(findSection(ed.state.doc, label, parent).pos + 2 + offset)).toBe(true)
}

describe('Tiptap commands', () => {
  it('can() answers without changing the document', () => {
    const ed = open()
    caretInTitle(ed, TWO)
    const before = ed.state.doc
    expect(ed.can().promoteSection()).toBe(false)
    expect(ed.can().demoteSection()).toBe(true)
    expect(ed.can().moveSectionUp()).toBe(true)
    expect(ed.can().setSectionRunIn(true)).toBe(false)
    expect(ed.state.doc).toBe(before)
  })

  it('runs section commands in a chain on one transaction', () => {
    const ed = open()
    caretInTitle(ed, '（二）深入开展政治理论学习', 3, TWO)
    let transactions = 0
    ed.on('transaction', ({ transaction }) => {
      if (transaction.docChanged) transactions++
    })
    expect(ed.chain().moveSectionUp().demoteSection().run()).toBe(true)
    expect(transactions).toBe(1)
    ed.state.doc.check()
    // Moved above （一）, so there is no previous sibling left: demoted in place.
    expect(outline(ed.state.doc).slice(3, 7)).toEqual([
      TWO,
      '    1.深入开展政治理论学习',
      '  （一）深入学习宣传贯彻党的二十大精神',
      '  （二）强化思想阵地建设',
    ])
    expect(caretAt(ed.state)).toMatchObject({ block: '深入开展政治理论学习。', offset: 3, sectionLabel: '1.深入开展政治理论学习' })
  })

  it('keeps the caret in the section through promote, demote and move', () => {
    const ed = open()
    caretInTitle(ed, '（二）完成重大政治任务', 5, ONE)
    expect(ed.commands.demoteSection()).toBe(true)
    expect(caretAt(ed.state)).toMatchObject({ offset: 5, sectionLabel: '1.完成重大政治任务' })
    expect(ed.commands.promoteSection()).toBe(true)
    expect(caretAt(ed.state)).toMatchObject({ offset: 5, sectionLabel: '（二）完成重大政治任务' })
    expect(ed.commands.moveSectionUp()).toBe(true)
    expect(caretAt(ed.state)).toMatchObject({ offset: 5, sectionLabel: '（一）完成重大政治任务' })
    expect(ed.commands.moveSectionDown()).toBe(true)
    expect(caretAt(ed.state)).toMatchObject({ offset: 5, sectionLabel: '（二）完成重大政治任务' })
    expect(ed.commands.promoteSection()).toBe(true)
    expect(caretAt(ed.state)).toMatchObject({ offset: 5, sectionLabel: '二、完成重大政治任务' })
  })

  it('runs the placeholder commands', () => {
    const ed = open()
    const team = textPos(ed.state.doc, '6支应急分队')
    ed.commands.setTextSelection({ from: team, to: team + 1 })
    expect(ed.commands.markPlaceholder()).toBe(true)
    const added = analyzeReport(ed.state.doc).placeholders.find((p) => p.from === team)!
    expect(added).toMatchObject({ kind: 'count', text: '6', filled: true })
    expect(ed.commands.setPlaceholderKind(added.id, 'text')).toBe(true)
    expect(ed.commands.fillPlaceholder(added.id, '七')).toBe(true)
    expect(analyzeReport(ed.state.doc).placeholders.find((p) => p.id === added.id)).toMatchObject({ kind: 'text', text: '七' })
    expect(ed.state.selection.from).toBe(team)
    expect(ed.state.selection.to).toBe(team + 1)
    expect(ed.commands.unmarkPlaceholder()).toBe(true)
    expect(analyzeReport(ed.state.doc).placeholders).toHaveLength(20)
    const first = analyzeReport(ed.state.doc).placeholders[0]
    expect(ed.commands.selectPlaceholder(first.id)).toBe(true)
    expect([ed.state.selection.from, ed.state.selection.to]).toEqual([first.from, first.to])
  })
})

describe('keyboard shortcuts', () => {
  it('Tab / Shift-Tab demote and promote only from a section title', () => {
    const ed = open()
    caretInTitle(ed, '（二）完成重大政治任务', 1, ONE)
    expect(press(ed, 'Tab')).toBe(true)
    expect(outline(ed.state.doc)[2]).toBe('    1.完成重大政治任务')
    expect(press(ed, 'Shift-Tab')).toBe(true)
    expect(outline(ed.state.doc)[2]).toBe('  （二）完成重大政治任务')
    ed.commands.setTextSelection(textPos(ed.state.doc, '落实市委部署'))
    const before = ed.state.doc
    press(ed, 'Tab')
    expect(outline(ed.state.doc)).toEqual(outline(before))
    expect(ed.state.doc.eq(before)).toBe(true)
  })

  it('Mod-Enter adds a section after the current one, Mod-Shift-Enter a sub-section', () => {
    const ed = open()
    caretInTitle(ed, '（一）落实党建政治责任', 2, ONE)
    expect(press(ed, 'Mod-Enter')).toBe(true)
    ed.commands.insertContent('新一节')
    expect(outline(ed.state.doc).slice(0, 4)).toEqual([ONE, '  （一）落实党建政治责任', '  （二）新一节', '  （三）完成重大政治任务'])
    expect(press(ed, 'Mod-Shift-Enter')).toBe(true)
    ed.commands.insertContent('其下一节')
    expect(outline(ed.state.doc)[3]).toBe('    1.其下一节')
  })

  it('Alt-Shift-ArrowUp/Down move the section', () => {
    const ed = open()
    caretInTitle(ed, TWO)
    expect(press(ed, 'Alt-Shift-ArrowUp')).toBe(true)
    expect(outline(ed.state.doc)[0]).toBe('一、强化理论武装，提升政治素养')
    expect(press(ed, 'Alt-Shift-ArrowDown')).toBe(true)
    expect(outline(ed.state.doc)[0]).toBe(ONE)
  })

  it('Backspace at the start of a section title dissolves the section', () => {
    const ed = open()
    caretInTitle(ed, '（三）强化思想阵地建设', 0, TWO)
    expect(press(ed, 'Backspace')).toBe(true)
    expect(analyzeReport(ed.state.doc).sections).toHaveLength(14)
    expect(caretAt(ed.state)).toMatchObject({ blockType: 'paragraph', block: '强化思想阵地建设。', offset: 0 })
  })
})

describe('reportDecorations', () => {
  it('draws each section ordinal at the start of its title', () => {
    const ed = open()
    const decorations = reportDecorationsKey.getState(ed.state)!.set
    const sections = analyzeReport(ed.state.doc).sections
    const widgets = decorations.find().filter((d) => d.from === d.to)
    expect(widgets).toHaveLength(15)
    expect(widgets.map((d) => d.from)).toEqual(sections.map((s) => s.pos + 2))
    const dom = [...ed.view.dom.querySelectorAll('.section-ordinal')].map((el) => el.textContent)
    expect(dom).toEqual(sections.map((s) => s.ordinal))
  })

  it('marks placeholders filled or unfilled, and redraws after a change', () => {
    const ed = open()
    expect(ed.view.dom.querySelectorAll('.placeholder--unfilled')).toHaveLength(20)
    expect(ed.view.dom.querySelectorAll('.placeholder--filled')).toHaveLength(0)
    const first = analyzeReport(ed.state.doc).placeholders[1]
    ed.commands.fillPlaceholder(first.id, '12')
    expect(ed.view.dom.querySelectorAll('.placeholder--unfilled')).toHaveLength(19)
    const filled = ed.view.dom.querySelectorAll('.placeholder--filled')
    expect(filled).toHaveLength(1)
    expect(filled[0].textContent).toBe('12')
    // Reordering renumbers the drawn ordinals.
    caretInTitle(ed, TWO)
    ed.commands.moveSectionUp()
    const ordinals = [...ed.view.dom.querySelectorAll('.section-ordinal')].map((el) => el.textContent)
    expect(ordinals.filter((o) => o!.endsWith('、'))).toEqual(['一、', '二、', '三、', '四、'])
    expect(ed.view.dom.querySelector('.section-ordinal')!.parentElement!.textContent).toBe('一、强化理论武装，提升政治素养')
  })
})

describe('reportDecorations when typing', () => {
  it('reuses the mapped set for a keystroke that changes no ordinal or placeholder, and rebuilds when one changes', () => {
    const ed = open()
    const before = reportDecorationsKey.getState(ed.state)!
    const { unfilled } = analyzeReport(ed.state.doc)
    // Plain text right after the title: the set is mapped, not rebuilt, and still correct.
    ed.view.dispatch(ed.state.tr.insertText('甲', 2))
    const mapped = reportDecorationsKey.getState(ed.state)!
    expect(mapped.set.find().filter((d) => d.from !== d.to).map((d) => d.from)).toEqual(unfilled.map((p) => p.from + 1))
    expect(mapped.set).not.toBe(before.set)
    // Filling a figure changes its state: the placeholder is now drawn as filled.
    ed.commands.fillPlaceholder(unfilled[0].id, '9')
    expect(ed.view.dom.querySelectorAll('.placeholder--filled')).toHaveLength(1)
    expect(ed.view.dom.querySelectorAll('.placeholder--unfilled')).toHaveLength(unfilled.length - 1)
  })
})

describe('reportDecorations under many edits', () => {
  /** What a freshly built set would draw: ordinal widgets and placeholder classes, by position. */
  const expected = (ed: Editor) => {
    const { sections, placeholders } = analyzeReport(ed.state.doc)
    return {
      widgets: sections.map((s) => s.pos + 2),
      inline: placeholders.map((p) => `${p.from}-${p.to}:${p.filled ? 'placeholder--filled' : 'placeholder--unfilled'}`),
    }
  }
  const drawn = (ed: Editor) => {
    const found = reportDecorationsKey.getState(ed.state)!.set.find()
    return {
      widgets: found.filter((d) => d.from === d.to).map((d) => d.from),
      inline: found
        .filter((d) => d.from !== d.to)
        .map((d) => `${d.from}-${d.to}:${(d as unknown as { type: { attrs: { class: string } } }).type.attrs.class}`),
    }
  }

  it('stays equal to a fresh analysis while typing and deleting anywhere, placeholders included', () => {
    const ed = open()
    let seed = 7
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    const textPositions: number[] = []
    ed.state.doc.descendants((node, pos) => {
      if (node.isText) for (let i = 0; i <= node.nodeSize; i++) textPositions.push(pos + i)
    })
    for (let step = 0; step < 300; step++) {
      const size = ed.state.doc.content.size
      const pos = Math.min(textPositions[random(textPositions.length)], size - 1)
      const $pos = ed.state.doc.resolve(pos)
      if (!$pos.parent.isTextblock) continue
      const tr = ed.state.tr
      if (random(3) === 0 && $pos.parentOffset < $pos.parent.content.size) tr.delete(pos, pos + 1)
      else tr.insertText(random(2) === 0 ? '*' : '五', pos)
      ed.view.dispatch(tr)
      expect(drawn(ed)).toEqual(expected(ed))
    }
  })

  it('a keystroke in the first paragraph analyses nothing, rebuilds nothing, and leaves the decorations of the last section as they were (counted)', () => {
    const ed = open()
    const lastPlaceholder = () => reportDecorationsKey.getState(ed.state)!.set.find().filter((d) => d.from !== d.to).at(-1) as unknown as { type: object; from: number }
    const before = lastPlaceholder()
    const work = { ...decorationWork }
    const paragraph = textPos(ed.state.doc, '2022年，在市委')
    for (const char of '一二三四五') ed.view.dispatch(ed.state.tr.insertText(char, paragraph))
    expect(decorationWork).toEqual(work)
    expect(lastPlaceholder().type).toBe(before.type)
    expect(lastPlaceholder().from).toBe(before.from + 5)
    expect(drawn(ed)).toEqual(expected(ed))
    // Filling a figure is not plain typing: one analysis, one drawing.
    ed.commands.fillPlaceholder(analyzeReport(ed.state.doc).placeholders[0].id, '7')
    expect(decorationWork.analyses - work.analyses).toBeGreaterThanOrEqual(1)
    expect(decorationWork.builds - work.builds).toBe(1)
    expect(drawn(ed)).toEqual(expected(ed))
  })

  it('narrows a whole-document replacement (how y-prosemirror applies remote changes) to what changed', () => {
    const ed = open()
    const before = reportDecorationsKey.getState(ed.state)!
    const changed = ed.state.tr.insertText('甲', 2).doc
    ed.view.dispatch(ed.state.tr.replaceWith(0, ed.state.doc.content.size, changed.content))
    const after = reportDecorationsKey.getState(ed.state)!
    expect(drawn(ed)).toEqual(expected(ed))
    // Moved, not rebuilt: the sub-sets of untouched sections are the very same objects.
    const typeOf = (set: typeof before.set) => (set.find().filter((d) => d.from !== d.to)[5] as unknown as { type: object }).type
    expect(typeOf(after.set)).toBe(typeOf(before.set))
  })
})

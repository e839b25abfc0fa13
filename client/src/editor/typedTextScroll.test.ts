// @vitest-environment happy-dom
import { Editor } from '@tiptap/core'
import { NodeSelection } from '@tiptap/pm/state'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { documentExtensions } from '../../../shared/editor/extensions'
import { plainTextToDocJSON } from '../../../shared/editor/lib/plainText'
import { browserInsertsTypedText, TypedTextScroll } from './typedTextScroll'

const TEXT = '标题\n一、甲部分\n坚持每月集中学习，领导干部带头讲党课。'
let editor: Editor | null = null
afterEach(() => {
  editor?.destroy()
  editor = null
})

type View = Editor['view'] & { domObserver: { flush(): void } }

function mount(withExtension: boolean): { view: View; paragraph: Text; measured: () => number } {
  const element = document.body.appendChild(document.createElement('div'))
  editor = new Editor({ element, extensions: [...documentExtensions(), ...(withExtension ? [TypedTextScroll] : [])], content: plainTextToDocJSON(TEXT) })
  const view = editor.view as View
  // happy-dom gives a contenteditable focus only with a tabindex; the editor reads selections only when focused.
  view.dom.setAttribute('tabindex', '0')
  view.dom.focus()
  const paragraph = view.dom.querySelector('p')!.firstChild as Text
  editor.commands.setTextSelection(view.posAtDOM(paragraph, 4))
  // ProseMirror's scroll to the selection starts by measuring the caret: counted here.
  const coords = vi.spyOn(view, 'coordsAtPos')
  return { view, paragraph, measured: () => coords.mock.calls.length }
}

/** What the browser does for a typed character: the text node changes and the caret moves after it; ProseMirror reads it back. */
function typeNatively(view: View, paragraph: Text, offset: number, text: string): void {
  paragraph.insertData(offset, text)
  document.getSelection()!.collapse(paragraph, offset + text.length)
  view.domObserver.flush()
}

describe('scrolling after typed text', () => {
  it('the browser inserts typed text for a caret or a selection inside one block, not for a block selected whole', () => {
    const { view, paragraph } = mount(true)
    expect(browserInsertsTypedText(view.state)).toBe(true)
    const block = view.posAtDOM(paragraph, 0) - 1
    view.dispatch(view.state.tr.setSelection(NodeSelection.create(view.state.doc, block)))
    expect(browserInsertsTypedText(view.state)).toBe(false)
  })

  it('text the browser typed is not scrolled to a second time; the next change that asks for a scroll is', async () => {
    const { view, paragraph, measured } = mount(true)
    typeNatively(view, paragraph, 4, '甲')
    expect(view.state.doc.textContent).toContain('坚持每月甲集中学习')
    expect(measured()).toBe(0)
    await Promise.resolve()
    view.dispatch(view.state.tr.insertText('乙').scrollIntoView())
    expect(view.state.doc.textContent).toContain('坚持每月甲乙集中学习')
    expect(measured()).toBeGreaterThan(0)
  })

  it('without it, ProseMirror measured the caret for every typed character (the test can fail)', () => {
    const { view, paragraph, measured } = mount(false)
    typeNatively(view, paragraph, 4, '甲')
    expect(view.state.doc.textContent).toContain('坚持每月甲集中学习')
    expect(measured()).toBeGreaterThan(0)
  })
})

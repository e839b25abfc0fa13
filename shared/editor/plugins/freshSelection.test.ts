// @vitest-environment happy-dom
import { Editor } from '@tiptap/core'
import { afterEach, describe, expect, it } from 'vitest'
import { documentExtensions } from '../extensions'
import { analyzeReport } from '../lib/analyzeReport'
import { plainTextToDocJSON } from '../lib/plainText'
import { SuggestChanges } from '../suggestions/SuggestChanges'

const TEXT = '标题\n一、甲部分\n正文一二三四五六七八九十。\n二、乙部分\n正文四五六。'
let editor: Editor | null = null
afterEach(() => {
  editor?.destroy()
  editor = null
})

function open(withFix: boolean): Editor {
  const element = document.createElement('div')
  document.body.appendChild(element)
  const extensions = documentExtensions().filter((extension) => withFix || extension.name !== 'freshSelection')
  editor = new Editor({ element, extensions: [...extensions, SuggestChanges.configure({ author: { id: 'u', name: '王局长' }, mode: 'suggest' })], content: plainTextToDocJSON(TEXT) })
  return editor
}

/**
 * The reported stale selection: the caret sits in 一's title, the person clicks into the paragraph and
 * presses Enter, and another person's change arrives before the editor has read the click (the
 * browser's selectionchange is a task later). Here the editor's selection listener is held off to
 * stand for that queued event.
 */
function clickIntoParagraphThenRemoteChange(ed: Editor): number {
  const title = analyzeReport(ed.state.doc).sections[0]
  ed.commands.focus(title.pos + 3)
  const view = ed.view as unknown as { domObserver: { disconnectSelection(): void; connectSelection(): void } } & typeof ed.view
  const text = view.dom.querySelector('p')!.firstChild!
  view.domObserver.disconnectSelection()
  document.getSelection()!.collapse(text, 3)
  const clicked = view.posAtDOM(text, 3)
  view.dispatch(view.state.tr.insertText('乙', view.state.doc.content.size - 2).setMeta('y-sync$', { isChangeOrigin: true }))
  view.domObserver.connectSelection()
  return clicked
}

describe('a caret moved just before another person’s change', () => {
  it('stays where the person put it, so Enter splits there (not the section title it left)', () => {
    const ed = open(true)
    const clicked = clickIntoParagraphThenRemoteChange(ed)
    expect(ed.state.selection.from).toBe(clicked)
    ed.commands.keyboardShortcut('Enter')
    expect(analyzeReport(ed.state.doc).sections.map((section) => section.title)).toEqual(['甲部分', '乙部分'])
    expect(ed.state.doc.textContent.replace(/\u200B/g, '')).toContain('正文一二三四五六七八九十。')
  })

  it('is lost without the fix (the test can fail)', () => {
    const ed = open(false)
    const clicked = clickIntoParagraphThenRemoteChange(ed)
    expect(ed.state.selection.from).not.toBe(clicked)
  })
})

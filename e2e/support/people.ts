import type { Browser, BrowserContext, Page } from '@playwright/test'
import { expect } from '@playwright/test'
import type { TestServer } from './server'

export interface Person {
  name: string
  context: BrowserContext
  page: Page
}

/** A person signed in to their own account in their own browser context, looking at `path`. */
export async function openAs(browser: Browser, server: TestServer, name: string, path: string): Promise<Person> {
  const account = await server.account(name)
  const context = await browser.newContext({ baseURL: server.url })
  const response = await context.request.post('/api/login', { data: { username: account.username, password: account.password } })
  if (!response.ok()) throw new Error(`login failed for ${name}: ${response.status()}`)
  const page = await context.newPage()
  await page.goto(path)
  return { name, context, page }
}

export function editor(page: Page) {
  return page.getByTestId('editor')
}

export async function waitConnected(page: Page): Promise<void> {
  await expect(page.getByTestId('connection')).toHaveAttribute('data-status', 'connected', { timeout: 20_000 })
}

/**
 * Puts the caret at the end (or start) of the one-line block containing `text`, and checks that the
 * editor holds it there. Pressed once: a caret moved by the key and put back by another person's
 * change drawn before the browser reported the move (y-tiptap patch, pendingSelection) fails here, as
 * it would have typed mid-title for a person (a CI run).
 */
export async function caretIn(page: Page, text: string, where: 'start' | 'end'): Promise<void> {
  const block = editor(page).locator('h1, h2, p', { hasText: text }).first()
  await block.click()
  await caretSettled(page)
  await page.keyboard.press(where === 'end' ? 'End' : 'Home')
  await caretSettled(page)
  const at = () =>
    editor(page).evaluate((root) => {
      const { selection } = (root as HTMLElement & { editor: { state: { selection: { empty: boolean; $head: { parentOffset: number; parent: { content: { size: number } } } } } } }).editor.state
      const { $head } = selection
      return !selection.empty ? 'range' : $head.parentOffset === 0 ? 'start' : $head.parentOffset === $head.parent.content.size ? 'end' : 'middle'
    })
  expect(await at()).toBe(where)
}

/** The text of the first block matching `selector`, as the document holds it (other people's carets left out). */
export async function blockText(page: Page, selector = 'h1'): Promise<string> {
  return page.getByTestId('editor').evaluate((root, sel) => {
    const block = root.querySelector(sel)
    if (!block) return ''
    const copy = block.cloneNode(true) as HTMLElement
    copy.querySelectorAll('.collab-caret').forEach((caret) => caret.remove())
    return copy.textContent ?? ''
  }, selector)
}

/** The whole document's text without carets. */
export async function documentText(page: Page): Promise<string> {
  return page.getByTestId('editor').evaluate((root) => {
    const copy = root.cloneNode(true) as HTMLElement
    copy.querySelectorAll('.collab-caret').forEach((caret) => caret.remove())
    return copy.innerText
  })
}

/**
 * Waits until the editor has taken in the browser's selection. The browser reports a moved caret a
 * task later (selectionchange); a remote change drawn before that puts the old caret back on screen,
 * so each step that moves the caret waits for the editor before the next key.
 */
export async function caretSettled(page: Page): Promise<void> {
  await expect
    .poll(() =>
      page.getByTestId('editor').evaluate((root) => {
        const view = (root as HTMLElement & { editor?: { view: { state: { selection: { anchor: number; head: number } }; posAtDOM(node: Node, offset: number): number } } }).editor?.view
        const selection = getSelection()
        if (!view || !selection?.anchorNode || !selection.focusNode || !root.contains(selection.focusNode)) return false
        return view.posAtDOM(selection.anchorNode, selection.anchorOffset) === view.state.selection.anchor && view.posAtDOM(selection.focusNode, selection.focusOffset) === view.state.selection.head
      }),
    )
    .toBe(true)
}

/**
 * Where a person would click to put the caret before `text`'s first character, or null when the editor does not
 * show `text`. Other people's carets are widgets in the text: one between two characters splits their text node
 * (and adds its name label), so the text is searched in the editor's text without them, not node by node.
 */
async function pointBefore(page: Page, text: string): Promise<{ x: number; y: number } | null> {
  const edge = await characterEdge(page, text)
  return edge && { x: edge.x + 1, y: edge.y }
}

/**
 * The left edge of the character at `at` in the first occurrence of `text` in the editor (scrolled to the
 * middle of the view), or null when the editor does not show `text`. Searched in the editor's text without
 * other people's carets (see pointBefore).
 */
export async function characterEdge(page: Page, text: string, at = 0): Promise<{ x: number; y: number } | null> {
  return page.getByTestId('editor').evaluate((root, [wanted, offset]) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    const nodes: { node: Text; start: number }[] = []
    let joined = ''
    while (walker.nextNode()) {
      const node = walker.currentNode as Text
      if (node.parentElement?.closest('.collab-caret')) continue
      nodes.push({ node, start: joined.length })
      joined += node.data
    }
    const found = joined.indexOf(wanted)
    if (found < 0) return null
    const index = found + offset
    const { node, start } = nodes.findLast((candidate) => candidate.start <= index && candidate.node.data.length > index - candidate.start)!
    node.parentElement!.scrollIntoView({ block: 'center', behavior: 'instant' })
    const range = document.createRange()
    range.setStart(node, index - start)
    range.setEnd(node, index - start + 1)
    const rect = range.getClientRects()[0]
    return { x: rect.left, y: rect.top + rect.height / 2 }
  }, [text, at] as const)
}

/** The text the editor holds selected (its state, which `caretSettled` has matched with the page's selection). */
async function selectedText(page: Page): Promise<string> {
  return page.getByTestId('editor').evaluate((root) => {
    const { state } = (root as HTMLElement & { editor: { state: { selection: { from: number; to: number }; doc: { textBetween(from: number, to: number): string } } } }).editor
    return state.doc.textBetween(state.selection.from, state.selection.to)
  })
}

/** Selects `text` (its first occurrence in the editor) the way a person would: click before it, Shift+→. */
export async function selectText(page: Page, text: string): Promise<void> {
  // Another person's change can land between two keys and put the editor's older selection back: start again.
  for (let attempt = 0; ; attempt++) {
    let point: { x: number; y: number } | null = null
    await expect.poll(async () => (point = await pointBefore(page, text)), { message: `text not found in the editor: ${text}` }).not.toBeNull()
    await page.mouse.click(point!.x, point!.y)
    await caretSettled(page)
    for (let i = 0; i < text.length; i++) {
      await page.keyboard.press('Shift+ArrowRight')
      await caretSettled(page)
    }
    const selected = await selectedText(page)
    if (selected === text) return
    if (attempt === 2) expect(selected).toBe(text)
  }
}

/** Puts the caret right before `text`. */
export async function caretBefore(page: Page, text: string): Promise<void> {
  await selectText(page, text)
  await page.keyboard.press('ArrowLeft')
  await caretSettled(page)
}

/** The document as lines, one per block (title, section titles with their ordinals, paragraphs), carets left out. */
export async function blockLines(page: Page): Promise<string[]> {
  return page.getByTestId('editor').evaluate((root) =>
    [...root.querySelectorAll('.report-title, .section-title, p')].map((block) => {
      const copy = block.cloneNode(true) as HTMLElement
      copy.querySelectorAll('.collab-caret').forEach((caret) => caret.remove())
      return copy.textContent ?? ''
    }),
  )
}

import type { Page } from '@playwright/test'
import { expect, test } from './support/fixtures'
import { blockText, caretIn, documentText } from './support/people'

// client/src/editor/paintFirst.ts: in 编辑 mode a typed character is painted by the browser before
// the editor reads it. These check that nothing typed is lost in that frame, whatever lands in it.

const TITLE = '2022年度党建工作述职'

/** The report title's text as the editor's document holds it (not the screen). */
const titleInDocument = (page: Page) =>
  page.getByTestId('editor').evaluate((root) => (root as HTMLElement & { editor: { state: { doc: { firstChild: { textContent: string } } } } }).editor.state.doc.firstChild.textContent)

/** True when `part`'s characters occur in `whole` in their order. */
function inOrder(whole: string, part: string): boolean {
  let at = 0
  for (const char of whole) if (char === part[at]) at++
  return at === part.length
}

test('a typed character is painted before the editor reads it, and the editor then holds it', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const a = await join('张明', id)
  await caretIn(a.page, TITLE, 'end')
  // For each key: in the first frame after it, is the character on screen, and in the editor's document?
  await a.page.evaluate(() => {
    const w = window as unknown as { __frames: { shown: boolean; read: boolean }[] }
    w.__frames = []
    const root = document.querySelector('[data-testid="editor"]') as HTMLElement & { editor: { state: { doc: { firstChild: { textContent: string } } } } }
    document.addEventListener('keydown', (event) => {
      const char = event.key
      const before = (root.querySelector('h1')?.textContent ?? '').split(char).length
      requestAnimationFrame(() =>
        w.__frames.push({
          shown: (root.querySelector('h1')?.textContent ?? '').split(char).length > before,
          read: root.editor.state.doc.firstChild.textContent.split(char).length > before,
        }),
      )
    })
  })
  await a.page.keyboard.type('abcdefghijklmnopqrst', { delay: 60 })
  await expect.poll(() => titleInDocument(a.page)).toBe(`${TITLE}abcdefghijklmnopqrst`)
  const frames = await a.page.evaluate(() => (window as unknown as { __frames: { shown: boolean; read: boolean }[] }).__frames)
  expect(frames).toHaveLength(20)
  expect(frames.every((frame) => frame.shown)).toBe(true)
  // Read after its frame (a frame later than 50 ms, on a loaded machine, is read before it).
  expect(frames.filter((frame) => !frame.read).length).toBeGreaterThanOrEqual(15)
})

test('two people typing into the same words at once lose no character', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const [a, b] = await Promise.all([join('张明', id), join('李华', id)])
  await caretIn(a.page, TITLE, 'end')
  await caretIn(b.page, TITLE, 'end')
  const typedByA = 'abcdefghijklmnopqrstuvwxyzabcdefghijklmn'
  const typedByB = '0123456789012345678901234567890123456789'
  // Key presses (Latin) and an input method's commits (Chinese) from both, interleaved within frames.
  await Promise.all([
    a.page.keyboard.type(typedByA, { delay: 15 }),
    b.page.keyboard.type(typedByB, { delay: 17 }),
    (async () => {
      for (const word of ['一', '二', '三', '四', '五']) {
        await a.page.keyboard.insertText(word)
        await a.page.waitForTimeout(23)
      }
    })(),
  ])
  const length = TITLE.length + typedByA.length + typedByB.length + 5
  await expect.poll(() => titleInDocument(a.page).then((text) => text.length), { timeout: 15_000 }).toBe(length)
  await expect.poll(() => titleInDocument(b.page)).toBe(await titleInDocument(a.page))
  const text = await titleInDocument(a.page)
  expect(text.startsWith(TITLE)).toBe(true)
  expect(inOrder(text, typedByA)).toBe(true)
  expect(inOrder(text, typedByB)).toBe(true)
  expect(inOrder(text, '一二三四五')).toBe(true)
  // What each person sees is what the document holds.
  expect(await blockText(a.page)).toBe(text)
  expect(await blockText(b.page)).toBe(text)
  expect(await documentText(a.page)).toBe(await documentText(b.page))
})

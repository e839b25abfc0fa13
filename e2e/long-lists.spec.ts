import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from './support/fixtures'
import { editor } from './support/people'

const SAMPLE = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../server/assets/2022-party-building-report.txt'), 'utf8')
/** The sample's title, then its body ten times: 200 figures, 150 sections (the sample alone fits in the lists' first chunk). */
const COPIES = 10
const [TITLE, ...BODY] = SAMPLE.split('\n')
const TEXT = [TITLE, ...Array.from({ length: COPIES }, () => BODY.join('\n'))].join('\n')

/**
 * Scrolls a side panel down a half view at a time, as a person with the wheel does, to its end, and
 * returns what it listed on the way (the attribute `key` of every `testId` element seen rendered).
 */
async function scrollThrough(page: Page, panel: Locator, testId: string, key: string): Promise<Set<string>> {
  const seen = new Set<string>()
  await panel.hover()
  for (let step = 0; step < 400; step++) {
    for (const id of await panel.getByTestId(testId).evaluateAll((elements, key) => elements.map((element) => element.getAttribute(key) ?? ''), key)) seen.add(id)
    const atEnd = await panel.evaluate((element) => element.scrollTop + element.clientHeight >= element.scrollHeight - 1)
    if (atEnd && (await panel.getByTestId('lazy-chunk').count()) === 0) return seen
    await page.mouse.wheel(0, 400)
    // The wheel's scroll lands in a frame; the chunks that came near are rendered in the next ones.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
  }
  throw new Error('the panel never reached its end')
}

test('a long report lists every figure and section: scrolled to, the last ones are shown and work', async ({ server, join }) => {
  const { id } = await server.api<{ id: string }>('POST', '/api/documents', { title: TITLE, text: TEXT })
  const a = await join('管理员', id, 'owner')
  const page = a.page
  await expect(page.getByTestId('unfilled-count')).toHaveText(String(20 * COPIES))
  const sidebar = page.locator('.side-panel')
  const outline = page.getByTestId('outline')
  // Rendered a chunk at a time: what is far below is not there yet (that is what made a 100-page open slow).
  await expect(sidebar.getByTestId('placeholder-entry').first()).toBeInViewport()
  expect(await sidebar.getByTestId('lazy-chunk').count()).toBeGreaterThan(0)
  expect(await outline.getByTestId('lazy-chunk').count()).toBeGreaterThan(0)

  // Scrolled through, the sidebar lists all 200 figures, and the last one is in view.
  const figures = await scrollThrough(page, sidebar, 'placeholder-entry', 'data-placeholder-id')
  expect(figures.size).toBe(20 * COPIES)
  await expect(sidebar.getByTestId('placeholder-entry')).toHaveCount(20 * COPIES)
  const last = sidebar.getByTestId('placeholder-entry').last()
  await expect(last).toBeInViewport()
  await expect(last).toContainText('修订完善')
  await page.screenshot({ path: test.info().outputPath('sidebar-end.png') })

  // Its click selects that figure in the page (the last one of the report), far down.
  await last.locator('.placeholder-entry__context').click()
  await expect.poll(() => page.evaluate(() => getSelection()?.toString())).toBe('*')
  await expect(editor(page).locator('.placeholder--unfilled').last()).toBeInViewport()
  // F8 from the last figure finds no later one; Shift+F8 walks back to the one before it.
  const selectionStart = () => page.evaluate(() => getSelection()?.getRangeAt(0).getBoundingClientRect().top ?? NaN)
  const lastTop = await selectionStart()
  await page.keyboard.press('Shift+F8')
  await expect.poll(selectionStart).toBeLessThan(lastTop)

  // Filled from the sidebar: the count and the page follow.
  await last.getByRole('textbox').fill('3')
  await last.getByRole('textbox').press('Enter')
  await expect(page.getByTestId('unfilled-count')).toHaveText(String(20 * COPIES - 1))
  await expect(editor(page).locator('.placeholder--filled', { hasText: '3' })).toHaveCount(1)

  // The outline: every section listed once scrolled through; the last one, clicked, brings its section into view.
  const sections = await scrollThrough(page, outline, 'outline-item', 'title')
  await expect(outline.getByTestId('outline-item')).toHaveCount(15 * COPIES)
  // Titles repeat ten times; the path (the `title` attribute) tells the copies apart by their ordinals.
  expect(sections.size).toBe(15 * COPIES)
  const lastSection = outline.getByTestId('outline-item').last()
  await expect(lastSection).toBeInViewport()
  await expect(lastSection).toContainText('（三）堵塞管理漏洞')
  await lastSection.click()
  await expect(editor(page).locator('.section-title', { hasText: '堵塞管理漏洞' }).last()).toBeInViewport()
  await expect(lastSection).toHaveClass(/outline__link--current/)
  await page.screenshot({ path: test.info().outputPath('outline-end.png') })
})

test('typing at the foot of the view keeps the caret in view, in ASCII and in Chinese', async ({ server, join }) => {
  const { id } = await server.api<{ id: string }>('POST', '/api/documents', { title: TITLE, text: TEXT })
  const page = (await join('管理员', id, 'owner')).page
  // A paragraph far down (a plain one: no title runs into it), its end put on the scroller's last
  // line, the caret after its last character.
  const paragraph = editor(page).locator('p').filter({ hasText: '一年来，我能够坚持以习近平' }).nth(5)
  const original = (await paragraph.textContent()) ?? ''
  const end = await paragraph.evaluate((element) => {
    element.scrollIntoView({ block: 'end' })
    const range = document.createRange()
    range.selectNodeContents(element)
    const rects = range.getClientRects()
    const last = rects[rects.length - 1]
    return { x: last.right - 2, y: last.top + last.height / 2 }
  })
  await page.mouse.click(end.x, end.y)
  await page.keyboard.press('End')
  const caretInView = () =>
    page.evaluate(() => {
      const caret = getSelection()!.getRangeAt(0).getBoundingClientRect()
      const view = document.querySelector('.page-scroller')!.getBoundingClientRect()
      return caret.height > 0 && caret.top >= view.top && caret.bottom <= view.bottom
    })
  // The caret was at the foot of the view: what follows wraps onto lines below it. Where the paragraph
  // sits in the view, not scrollTop: sections above it lay out lazily (content-visibility), and the
  // browser's scroll anchoring then changes scrollTop without the view moving (CI once read 31 px less).
  const paragraphTop = () => paragraph.evaluate((element) => element.getBoundingClientRect().top)
  const before = await paragraphTop()
  const ascii = 'abcdefghij'.repeat(12)
  await page.keyboard.type(ascii, { delay: 5 })
  await expect.poll(caretInView).toBe(true)
  // Input.insertText, as an input method's commit arrives.
  const chinese = '坚持以习近平新时代中国特色社会主义思想为指导'.repeat(4)
  for (const character of chinese) await page.keyboard.insertText(character)
  await expect.poll(caretInView).toBe(true)
  // The view followed the typing: the paragraph moved up in it.
  expect(await paragraphTop()).toBeLessThan(before)
  await expect(paragraph).toHaveText(original + ascii + chinese)
  await page.screenshot({ path: test.info().outputPath('typed-at-foot.png') })
})

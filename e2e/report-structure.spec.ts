import type { Page } from '@playwright/test'
import { expect, test } from './support/fixtures'
import { blockLines, caretBefore, characterEdge, editor, waitConnected } from './support/people'

const unfilledCount = (page: Page) => page.getByTestId('unfilled-count')
const sectionTitle = (page: Page, text: string) => editor(page).locator('.section-title', { hasText: text })

test('the sample opens as a numbered report with its 20 unfilled figures listed', async ({ server, join }) => {
  const a = await join('张明', await server.sampleDocumentId())
  await expect(unfilledCount(a.page)).toHaveText('20')
  await expect(a.page.getByTestId('placeholder-entry')).toHaveCount(20)
  await expect(a.page.getByTestId('outline-item')).toHaveCount(15)
  await expect(sectionTitle(a.page, '强化政治引领，贯彻中央部署')).toContainText('一、强化政治引领')
  await expect(sectionTitle(a.page, '全面从严治党')).toContainText('四、全面从严治党')
  await expect(sectionTitle(a.page, '落实党建政治责任')).toContainText('（一）落实党建政治责任')
  await expect(editor(a.page).locator('.placeholder--unfilled')).toHaveCount(20)
  await a.page.screenshot({ path: test.info().outputPath('report.png') })
})

test('a figure filled from the sidebar updates the other person live', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const [a, b] = await Promise.all([join('张明', id), join('李华', id)])
  await expect(unfilledCount(b.page)).toHaveText('20')

  const entry = a.page.getByTestId('placeholder-entry').filter({ hasText: '主持局委会' })
  await entry.getByRole('textbox').fill('12')
  await entry.getByRole('textbox').press('Enter')

  await expect(unfilledCount(a.page)).toHaveText('19')
  await expect(unfilledCount(b.page)).toHaveText('19')
  await expect(editor(b.page)).toContainText('全年主持局委会12次')
  await expect(b.page.getByTestId('placeholder-entry').filter({ hasText: '主持局委会' })).toHaveCount(0)
  // Filled, not forgotten: the figure stays marked for the leader to verify.
  await expect(editor(b.page).locator('.placeholder--filled', { hasText: '12' })).toHaveCount(1)

  // The server's view agrees.
  const placeholders = await server.api<unknown[]>('GET', `/api/documents/${id}/placeholders`)
  expect(placeholders).toHaveLength(19)
})

test('a section inserted by one person renumbers the other person\'s sections live', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const [a, b] = await Promise.all([join('张明', id), join('李华', id)])
  // A works in 二、.
  await sectionTitle(a.page, '强化理论武装').click()
  await expect(sectionTitle(a.page, '强化理论武装')).toContainText('二、强化理论武装')

  // B adds a new level-1 section after 一、 (so before A's) and names it.
  await sectionTitle(b.page, '强化政治引领').click()
  await b.page.getByRole('button', { name: '新增章节' }).click()
  await b.page.keyboard.type('坚持学用结合')

  await expect(sectionTitle(a.page, '坚持学用结合')).toContainText('二、坚持学用结合')
  await expect(sectionTitle(a.page, '强化理论武装')).toContainText('三、强化理论武装')
  await expect(sectionTitle(a.page, '全面从严治党')).toContainText('五、全面从严治党')
  await expect(a.page.getByTestId('outline-item').filter({ hasText: '五、全面从严治党' })).toHaveCount(1)

  // A moves their section up with the keyboard: numbers follow for both.
  await sectionTitle(a.page, '强化理论武装').click()
  await a.page.keyboard.press('Alt+Shift+ArrowUp')
  await expect(sectionTitle(b.page, '强化理论武装')).toContainText('二、强化理论武装')
  await expect(sectionTitle(b.page, '坚持学用结合')).toContainText('三、坚持学用结合')
})

test('a title typed the instant its section is made goes into that section, not the next one', async ({ server, join }) => {
  const draft = ['结构建议', '一、抓好党建工作', '全年召开党委会十二次。', '二、推动业务发展', '业务收入稳步增长。', '三、下一步打算', '继续深化改革。']
  const { id } = await server.api<{ id: string }>('POST', '/api/documents', { title: draft[0], text: draft.join('\n') })
  const a = await join('张明', id)
  await expect.poll(() => blockLines(a.page)).toEqual(draft)
  await caretBefore(a.page, '业务收入稳步增长')
  // Ctrl+Enter and the first characters in one task, before the browser's next frame: what a quick typist
  // or an input method's commit meets. (Top-level sections are content-visibility: auto; Chromium had
  // not laid out the new one yet and put the text at the start of 三、下一步打算.) The browser inserts a
  // typed character with the same editing command as execCommand('insertText').
  await editor(a.page).evaluate((root) => {
    root.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', keyCode: 13, ctrlKey: true, bubbles: true, cancelable: true }))
    document.execCommand('insertText', false, '加强')
  })
  await a.page.keyboard.type('队伍建设')
  const expected = ['结构建议', '一、抓好党建工作', '全年召开党委会十二次。', '二、推动业务发展', '业务收入稳步增长。', '三、加强队伍建设', '四、下一步打算', '继续深化改革。']
  await expect.poll(() => blockLines(a.page)).toEqual(expected)
  await expect(sectionTitle(a.page, '加强队伍建设')).toBeInViewport()
  await a.page.reload()
  await waitConnected(a.page)
  await expect.poll(() => blockLines(a.page)).toEqual(expected)
})

test('pasting a masked draft creates sections and placeholders', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const a = await join('张明', id)
  await a.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
  await expect(unfilledCount(a.page)).toHaveText('20')

  // Caret at the end of the last paragraph of the report.
  await editor(a.page).locator('p').last().click()
  await a.page.keyboard.press('Control+End')
  await a.page.keyboard.press('Enter')
  const draft = ['五、加强作风建设', '（一）狠抓落实。全年开展调研**次，解决问题＊＊个，节约经费*.*万元。', '（二）完善制度。出台制度××项。'].join('\n')
  await a.page.evaluate((text) => navigator.clipboard.writeText(text), draft)
  await a.page.keyboard.press('Control+V')

  await expect(sectionTitle(a.page, '加强作风建设')).toContainText('加强作风建设')
  await expect(sectionTitle(a.page, '狠抓落实')).toContainText('（一）狠抓落实')
  await expect(unfilledCount(a.page)).toHaveText('24')
  await expect(a.page.getByTestId('placeholder-entry').filter({ hasText: '万元' })).toContainText('金额')
})

test('clicking a section in the outline scrolls to it', async ({ server, join }) => {
  const a = await join('张明', await server.sampleDocumentId())
  const target = sectionTitle(a.page, '堵塞管理漏洞')
  await a.page.getByTestId('outline-item').filter({ hasText: '（三）堵塞管理漏洞' }).click()
  await expect(target).toBeInViewport()
  await expect(a.page.getByTestId('outline-item').filter({ hasText: '（三）堵塞管理漏洞' })).toHaveClass(/outline__link--current/)
})

test('the sidebar\'s next button and F8 walk through unfilled figures', async ({ server, join }) => {
  const a = await join('张明', await server.sampleDocumentId())
  await a.page.getByRole('button', { name: '下一处（F8）' }).click()
  await expect.poll(() => a.page.evaluate(() => getSelection()?.toString())).toBe('*')
  await a.page.keyboard.press('F8')
  await expect.poll(() => a.page.evaluate(() => getSelection()?.toString())).toBe('*')
  await a.page.keyboard.press('F8')
  await expect.poll(() => a.page.evaluate(() => getSelection()?.toString())).toBe('**')
  // Typing over the selected mask fills it.
  await a.page.keyboard.type('市')
  await expect(unfilledCount(a.page)).toHaveText('19')
  await expect(editor(a.page)).toContainText('研究审议市局发展纲要')
})

test('a Word draft uploaded from the list opens as a structured report', async ({ server, open }) => {
  const { Document, Packer, Paragraph } = await import('docx')
  const lines = ['2023年度述职报告', '一、抓好班子建设', '（一）加强学习。全年组织集中学习**次，撰写心得*篇。', '二、推进重点工作', '完成项目××个。']
  const docx = await Packer.toBuffer(new Document({ sections: [{ children: lines.map((text) => new Paragraph({ text })) }] }))
  const file = test.info().outputPath('draft.docx')
  const fs = await import('node:fs/promises')
  await fs.writeFile(file, docx)

  const a = await open('张明')
  await a.page.getByTestId('import-docx').setInputFiles(file)
  await waitConnected(a.page)
  await expect(a.page.getByTestId('document-title')).toHaveText('2023年度述职报告')
  await expect(sectionTitle(a.page, '抓好班子建设')).toContainText('一、抓好班子建设')
  await expect(sectionTitle(a.page, '推进重点工作')).toContainText('二、推进重点工作')
  await expect(unfilledCount(a.page)).toHaveText('3')

  // A broken file is refused with a clear message and creates nothing.
  await a.page.goto(server.url)
  await fs.writeFile(file, 'this is not a docx')
  await a.page.getByTestId('import-docx').setInputFiles(file)
  await expect(a.page.locator('.notice--error')).toHaveText('导入失败：无法读取该文件：请选择 Word 文档（.docx）。')
  await expect(a.page.getByTestId('document-row')).toHaveCount(1)
})

/** The left edge of `text`'s character at `at` (support/people.ts), which must be shown. */
async function leftEdgeOf(page: Page, text: string, at = 0): Promise<{ x: number; y: number }> {
  const point = await characterEdge(page, text, at)
  expect(point, text).not.toBeNull()
  return point!
}

test('typing before the first word of a run-in section’s body goes into the body, typed or through an input method', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const { page } = await join('张明', id)
  const heading = sectionTitle(page, '完成重大政治任务。')
  const body = (start: string) => editor(page).locator('p', { hasText: `${start}落实市委部署，扎实做好` })
  // The heading's end and the body's start are one spot on the line: the browser put the typing in the heading.
  let point = await leftEdgeOf(page, '落实市委部署，扎实做好')
  await page.mouse.click(point.x, point.y)
  await page.keyboard.type('前置语')
  await expect(body('前置语')).toHaveCount(1)
  await expect(heading).toHaveText('（二）完成重大政治任务。')

  // An input method's composition there (a Chinese IME, through the browser's own IME events).
  await page.waitForTimeout(600) // not a double click
  point = await leftEdgeOf(page, '前置语落实市委部署')
  await page.mouse.click(point.x, point.y)
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Input.imeSetComposition', { text: 'qian', selectionStart: 4, selectionEnd: 4 })
  await cdp.send('Input.insertText', { text: '前言' })
  await expect(body('前言前置语')).toHaveCount(1)
  await expect(heading).toHaveText('（二）完成重大政治任务。')
  await expect(page.getByTestId('outline')).not.toContainText('前置语')
  await page.screenshot({ path: test.info().outputPath('run-in-typed.png') })

  // The heading's own end, reached from inside it, still edits the heading.
  await page.waitForTimeout(600)
  point = await leftEdgeOf(page, '政治任务。', 4)
  await page.mouse.click(point.x + 2, point.y)
  await page.keyboard.press('ArrowRight')
  await page.keyboard.type('X')
  await expect(heading).toHaveText('（二）完成重大政治任务。X')
})

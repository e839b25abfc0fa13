import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import { expect, test } from './support/fixtures'
import { caretIn } from './support/people'

test('页面视图 shows the report on A4 sheets of 22 lines × 28 characters with 「— N —」, and print gives the same sheets', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const { page } = await join('张明', id)
  await page.getByTestId('page-view-toggle').click()
  const sheets = page.locator('.page-view .pv-sheet')
  await expect(page.getByTestId('page-count')).toContainText('共')
  const count = await sheets.count()
  expect(count).toBeGreaterThanOrEqual(3)
  await expect(page.getByTestId('page-count')).toHaveText(`共 ${count} 页（A4，每页 22 行，每行 28 字）`)
  await expect(sheets.first().locator('.pv-title')).toHaveText('2022年度党建工作述职')
  await expect(sheets.first().locator('.pv-number')).toHaveText('— 1 —')
  await expect(sheets.nth(1).locator('.pv-number')).toHaveText('— 2 —')
  // Odd numbers on the right, even ones on the left. Polled: the sheets are laid out again when the
  // web fonts arrive, and a sheet replaced while it is measured reads as an empty box.
  const sides = () =>
    Promise.all([sheets.nth(0), sheets.nth(1)].map((sheet) => sheet.locator('.pv-number').evaluate((n) => {
      const box = n.getBoundingClientRect()
      const sheetBox = n.parentElement!.getBoundingClientRect()
      if (!n.isConnected || sheetBox.width === 0) return 'not laid out'
      return (box.left + box.right) / 2 - sheetBox.left < sheetBox.width / 2 ? 'left' : 'right'
    })))
  await expect.poll(sides).toEqual(['right', 'left'])
  // A full sheet holds 22 lines; a body line holds 28 characters.
  const layout = await sheets.nth(1).evaluate((sheet) => {
    const body = sheet.querySelector('.pv-body') as HTMLElement
    const lineHeight = parseFloat(getComputedStyle(body).lineHeight)
    const used = [...body.children].reduce((sum, child) => sum + child.getBoundingClientRect().height, 0)
    // Characters on the second line of the first paragraph that has three lines or more.
    const paragraph = [...body.querySelectorAll('p')].find((p) => p.getBoundingClientRect().height > 2.5 * lineHeight)!
    const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT)
    const tops: number[] = []
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.nodeValue!.length; i++) {
        const range = document.createRange()
        range.setStart(node, i)
        range.setEnd(node, i + 1)
        const rect = range.getClientRects()[0]
        if (rect) tops.push(Math.round(rect.top))
      }
    }
    const lines = [...new Set(tops)]
    return { lines: Math.round(used / lineHeight), secondLine: tops.filter((top) => top === lines[1]).length }
  })
  expect(layout.lines).toBe(22)
  expect(layout.secondLine).toBe(28)
  // A relayout that moves lines (a late font) replaces the sheets; one that moves none leaves them (test below).
  await expect(() => sheets.first().scrollIntoViewIfNeeded({ timeout: 2000 })).toPass()
  await page.screenshot({ path: '/tmp/page-view.png' })

  // Print: the same sheets, one per printed page.
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')))
  await expect(page.locator('body > .print-sheets .pv-sheet')).toHaveCount(count)
  const pdf = test.info().outputPath('print.pdf')
  await fs.writeFile(pdf, await page.pdf({ preferCSSPageSize: true }))
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })
  expect(info).toMatch(new RegExp(`Pages:\\s+${count}\\n`))
  expect(info).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/)
  const first = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', pdf, '-'], { encoding: 'utf8' })
  expect(first).toContain('2022年度党建工作述职')
  expect(first).toMatch(/—\s*1\s*—/)
  execFileSync('pdftoppm', ['-r', '40', '-f', '1', '-l', '2', '-png', pdf, '/tmp/print-page'])
})

test('页面视图 follows another person’s change, and a relayout that moves no line leaves the sheets as they are', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const [a, b] = await Promise.all([join('张明', id), join('李华', id)])
  await a.page.getByTestId('page-view-toggle').click()
  const sheets = a.page.locator('.page-view .pv-sheet')
  await expect(sheets.first().locator('.pv-title')).toHaveText('2022年度党建工作述职')
  await a.page.evaluate(() => document.fonts.ready)
  // Marked with a property (not an attribute: that would change the sheet's HTML): a replaced sheet has none.
  const marked = () => sheets.first().evaluate((sheet) => (sheet as HTMLElement & { marked?: boolean }).marked === true)
  await sheets.first().evaluate((sheet) => void ((sheet as HTMLElement & { marked?: boolean }).marked = true))
  await a.page.evaluate(() => document.fonts.dispatchEvent(new Event('loadingdone')))
  await a.page.waitForTimeout(1000) // the relayout runs 400 ms after the event
  expect(await marked()).toBe(true)

  await caretIn(b.page, '2022年度党建工作述职', 'end')
  await b.page.keyboard.type('（送审稿）')
  await expect(sheets.first().locator('.pv-title')).toHaveText('2022年度党建工作述职（送审稿）')
  expect(await marked()).toBe(false)
})

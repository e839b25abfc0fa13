import fs from 'node:fs/promises'
import { around, del, ins, p, reviewedSample, run, WORD_REVIEWED, wordPackage } from '../shared/word/testing'
import { expect, test } from './support/fixtures'
import { documentText, editor, waitConnected } from './support/people'

/**
 * A report reviewed in Word with 修订 on (李局长 has an account here, 王处长 reviewed outside the system)
 * comes back through 导入 Word 文稿 with every revision as a suggestion and every comment as a thread.
 */
test('a Word-reviewed file imports with its revisions as suggestions and its comments as threads; an as-is export re-imports the same', async ({ server, open }) => {
  await server.account('李局长')
  const file = test.info().outputPath('reviewed.docx')
  await fs.writeFile(file, await wordPackage(WORD_REVIEWED))

  const drafter = await open('张明')
  await drafter.page.getByTestId('import-docx').setInputFiles(file)
  await waitConnected(drafter.page)
  const page = drafter.page
  await expect(page.getByTestId('document-title')).toHaveText('2023年度述职报告')

  // In the text: 李局长's insertion underlined, 王处长's deletion struck through.
  await expect(editor(page).locator('ins.suggestion', { hasText: '**' })).toHaveCount(1)
  await expect(editor(page).locator('del.suggestion', { hasText: '认真' })).toHaveCount(1)
  await expect(editor(page).locator('span.comment', { hasText: '局委会' })).toBeInViewport()

  await page.getByTestId('review-tab').click()
  const cards = page.getByTestId('suggestion-card')
  await expect(cards).toHaveCount(7)
  await expect(page.getByTestId('review-count')).toContainText('7')
  const li = cards.filter({ hasText: '李局长' })
  const wang = cards.filter({ hasText: '王处长' })
  await expect(li).toHaveCount(3)
  await expect(wang).toHaveCount(4)
  // 王处长 has no account: marked as a Word reviewer; 李局长 is the account of that name.
  await expect(wang.first().locator('.author-external')).toHaveText('Word 审阅人')
  await expect(li.first().locator('.author-external')).toHaveCount(0)
  // (Cards also show the words around a change: find the one whose change is the deletion of 认真.)
  await expect(cards.filter({ has: page.locator('del.change__old', { hasText: '认真' }) })).toContainText('王处长')

  // One open thread on 局委会**; the resolved one (with its reply) shows when resolved threads are shown.
  const threads = page.getByTestId('thread-card')
  await expect(threads).toHaveCount(1)
  await expect(threads.first()).toContainText('「局委会**」')
  await expect(threads.first()).toContainText('张三')
  await expect(threads.first()).toContainText('次数请再核实')
  await page.getByRole('checkbox', { name: '显示已解决' }).check()
  await expect(threads).toHaveCount(2)
  const resolved = threads.filter({ hasText: '第一行' })
  await expect(resolved).toContainText('被合并的段，下一段')
  await expect(resolved.getByTestId('thread-message')).toHaveCount(2)
  await expect(resolved.getByTestId('thread-message').nth(1)).toContainText('同意')
  await expect(resolved).toContainText('已解决')
  await page.screenshot({ path: '/tmp/word-import-review.png' })

  // Export as is, import that file again: the same suggestions and threads.
  const id = new URL(page.url()).pathname.split('/').pop()
  const exported = await page.request.get(`/api/documents/${id}/export.docx?mode=as-is`)
  expect(exported.status()).toBe(200)
  const again = await page.request.post('/api/documents/import', { data: await exported.body(), headers: { 'Content-Type': 'application/octet-stream' } })
  expect(again.status()).toBe(201)
  const copy = (await again.json()) as { id: string }
  const review = async (docId: string) => (await (await page.request.get(`/api/documents/${docId}/review`)).json()) as unknown
  const strip = (view: unknown) => JSON.parse(JSON.stringify(view, (key, value) => (['id', 'threadId', 'from', 'to', 'pos'].includes(key) ? undefined : value)))
  expect(strip(await review(copy.id))).toEqual(strip(await review(id!)))
})

test('合并 Word 修订: a Word-reviewed copy of the report merges into the live report as suggestions everyone sees; what no longer fits is listed', async ({ server, join }) => {
  await server.account('李局长')
  const id = await server.sampleDocumentId()
  const [drafter, leader] = await Promise.all([join('张明', id), join('王局长', id, 'reviewer')])
  const comment = '<w:comment w:id="7" w:author="王处长" w:date="2024-04-02T11:00:00Z"><w:p><w:r><w:t>请核实次数</w:t></w:r></w:p></w:comment>'
  const file = test.info().outputPath('reviewed-copy.docx')
  await fs.writeFile(
    file,
    await reviewedSample(
      [
        { line: '全年主持局委会', body: (line) => around(line, '研究审议**局发展纲要', ins(1, '李局长', '2024-04-01T09:00:00Z', run('认真')) + run('研究审议**局发展纲要')) },
        { line: '组织6支应急分队', body: (line) => around(line, '确保会议期间', '<w:commentRangeStart w:id="7"/>' + run('确保会议期间') + '<w:commentRangeEnd w:id="7"/>') },
      ],
      comment,
      // A paragraph the report no longer has: its revision cannot be placed.
      p(run('这一段在当前文稿中已经删去，') + del(2, '王处长', '2024-04-02T10:00:00Z', run('不再适用', true))),
    ),
  )

  const page = drafter.page
  await page.getByRole('button', { name: /下载/ }).click()
  await expect(page.getByTestId('merge-word')).toBeVisible()
  await page.getByTestId('merge-word-file').setInputFiles(file)
  const dialog = page.getByTestId('merge-dialog')
  await expect(dialog).toBeInViewport()
  await expect(page.getByTestId('merge-summary')).toHaveText('已将 1 处修订作为建议合并，新增 1 条批注。')
  const rows = page.getByTestId('merge-unmatched').locator('tbody tr')
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('删除')
  await expect(rows.first()).toContainText('王处长')
  await expect(rows.first()).toContainText('不再适用')
  await page.screenshot({ path: test.info().outputPath('word-merge-dialog.png') })
  // Escape closes it, as every other dialog.
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)

  // Both see 李局长's suggestion in place, and the thread on 确保会议期间.
  for (const person of [drafter, leader]) {
    await expect(editor(person.page).locator('ins.suggestion', { hasText: '认真' })).toHaveCount(1)
    await expect.poll(() => documentText(person.page)).toContain('局委会*次，认真研究审议')
    await expect(editor(person.page).locator('span.comment', { hasText: '确保会议期间' })).toHaveCount(1)
  }
  await leader.page.getByTestId('review-tab').click()
  await expect(leader.page.getByTestId('suggestion-card').filter({ hasText: '李局长' })).toContainText('认真')
  await expect(leader.page.getByTestId('thread-card')).toContainText('请核实次数')

  // The same file again adds nothing.
  await page.getByRole('button', { name: /下载/ }).click()
  await page.getByTestId('merge-word-file').setInputFiles(file)
  await expect(page.getByTestId('merge-summary')).toHaveText('已将 0 处修订作为建议合并，新增 0 条批注；另有 2 处本文已有，未重复添加。')
  await expect(editor(page).locator('ins.suggestion', { hasText: '认真' })).toHaveCount(1)
})

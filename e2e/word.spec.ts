import fs from 'node:fs/promises'
import { WORD_REVIEWED, wordPackage } from '../shared/word/testing'
import { expect, test } from './support/fixtures'
import { editor, waitConnected } from './support/people'

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
  await expect(cards.filter({ hasText: '认真' })).toContainText('王处长')

  // One open thread on 局委会**; the resolved one (with its reply) shows when resolved threads are shown.
  const threads = page.getByTestId('thread-card')
  await expect(threads).toHaveCount(1)
  await expect(threads.first()).toContainText('「局委会**」')
  await expect(threads.first()).toContainText('张三')
  await expect(threads.first()).toContainText('次数请再核实')
  await page.getByRole('checkbox').check()
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

import JSZip from 'jszip'
import { documentText, editor, waitConnected } from './support/people'
import { expect, test } from './support/fixtures'

test('submission is blocked by the 20 unfilled figures, then goes through once they are filled, and locks the report', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  // The owner (administrator) submits; a drafter works alongside.
  const owner = await join('管理员', id, 'owner')
  const drafter = await join('张明', id)

  await owner.page.getByRole('button', { name: '提交' }).click()
  const dialog = owner.page.getByTestId('submit-dialog')
  await expect(dialog.getByTestId('check-summary')).toContainText('20')
  await expect(dialog.getByTestId('check-group').first()).toContainText('未填数字（20）')
  await expect(dialog.getByTestId('check-item')).toHaveCount(20)
  await expect(dialog.getByRole('button', { name: '提交并锁定' })).toBeDisabled()
  // Each figure says where it is as a report refers to a place: 一（一）, not a bare （一） every chapter has.
  await expect(dialog.getByTestId('check-item').filter({ hasText: '主持局委会' }).locator('.check-item__where')).toHaveText('一（一）落实党建政治责任')
  await owner.page.screenshot({ path: '/tmp/shots/submit-check-places.png' })

  // Clicking a problem jumps to it in the text.
  await dialog.getByTestId('check-item').filter({ hasText: '主持局委会' }).click()
  await expect(dialog).toHaveCount(0)
  await expect.poll(() => owner.page.evaluate(() => getSelection()?.toString())).toBe('*')

  // The drafter fills every figure from the sidebar.
  const entries = drafter.page.getByTestId('placeholder-entry')
  for (let left = 20; left > 0; left--) {
    await expect(entries).toHaveCount(left)
    const input = entries.first().getByRole('textbox')
    await input.fill(String(left))
    await input.press('Enter')
  }
  await expect(entries).toHaveCount(0)
  await expect(owner.page.getByTestId('unfilled-count')).toHaveText('0')

  await owner.page.getByRole('button', { name: '提交' }).click()
  await expect(dialog).toContainText('检查通过')
  await dialog.getByLabel('版本名称').fill('报送稿')
  await dialog.getByRole('button', { name: '提交并锁定' }).click()

  for (const person of [owner, drafter]) {
    await expect(person.page.getByTestId('submitted-banner')).toContainText('报送稿', { timeout: 15_000 })
    await expect(editor(person.page)).toHaveAttribute('contenteditable', 'false')
  }
  // The drafter cannot type any more.
  const before = await documentText(drafter.page)
  await editor(drafter.page).locator('p').first().click()
  await drafter.page.keyboard.type('提交后')
  await drafter.page.waitForTimeout(300)
  expect(await documentText(drafter.page)).toBe(before)

  // Reopening makes it editable again.
  await owner.page.getByRole('button', { name: '重新打开编辑' }).click()
  await expect(drafter.page.getByTestId('submitted-banner')).toHaveCount(0, { timeout: 15_000 })
})

test('an owner can submit anyway with a recorded reason; a drafter offline meanwhile sees the lock once back', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const drafter = await join('张明', id)
  await waitConnected(drafter.page)
  await drafter.context.setOffline(true)
  const owner = await join('管理员', id, 'owner')
  await owner.page.getByRole('button', { name: '提交' }).click()
  const dialog = owner.page.getByTestId('submit-dialog')
  await dialog.getByLabel('仍要提交（须说明理由）').check()
  await dialog.getByLabel('提交理由（将被记录）').fill('数字待统计局核定后另行报送')
  await dialog.getByRole('button', { name: '提交并锁定' }).click()
  await expect(owner.page.getByTestId('submitted-banner')).toContainText('数字待统计局核定后另行报送', { timeout: 15_000 })
  const meta = await server.api<{ status: string; submission: { overrideReason: string } }>('GET', `/api/documents/${id}`)
  expect(meta).toMatchObject({ status: 'submitted', submission: { overrideReason: '数字待统计局核定后另行报送' } })

  // The server told only those connected; the drafter learns it on reconnecting: the banner, and 查看 only.
  await drafter.context.setOffline(false)
  await expect(drafter.page.getByTestId('submitted-banner')).toBeInViewport({ timeout: 20_000 })
  await expect(drafter.page.getByTestId('submitted-banner')).toContainText('数字待统计局核定后另行报送')
  await expect(editor(drafter.page)).toHaveAttribute('contenteditable', 'false')
  await drafter.page.screenshot({ path: test.info().outputPath('drafter-back-after-submission.png') })
})

test('the report downloads as a Word file in the official layout', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const owner = await join('管理员', id, 'owner')
  await owner.page.getByRole('button', { name: '下载 ▾' }).click()
  const [download] = await Promise.all([owner.page.waitForEvent('download'), owner.page.getByRole('menuitem', { name: 'Word（含修订与批注）' }).click()])
  expect(download.suggestedFilename()).toBe('2022年度党建工作述职.docx')
  const zip = await JSZip.loadAsync(await (await import('node:fs/promises')).readFile(await download.path()))
  const xml = await zip.file('word/document.xml')!.async('string')
  expect(xml).toContain('w:w="11906"')
  expect(xml).toContain('仿宋_GB2312')
  expect(xml).toContain('强化政治引领，贯彻中央部署')
})

test('a saved version can be viewed, compared and restored for everyone', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const [a, b] = [await join('张明', id), await join('李华', id)]
  // Opened offline, the list says it could not be read, not that there are no versions; read again once back.
  await a.page.context().setOffline(true)
  await a.page.getByTestId('versions-tab').click()
  await expect(a.page.getByTestId('versions-panel').getByRole('alert')).toHaveText('无法连接服务器，请检查网络后重试。')
  await expect(a.page.getByText('还没有版本')).toHaveCount(0)
  await a.page.screenshot({ path: test.info().outputPath('versions-offline.png') })
  await a.page.context().setOffline(false)
  await a.page.getByTestId('versions-retry').click()
  await expect(a.page.getByTestId('versions-retry')).toHaveCount(0)
  await expect(a.page.getByTestId('versions-panel').getByRole('alert')).toHaveCount(0)
  a.page.once('dialog', (dialog) => dialog.accept('初稿'))
  await a.page.getByRole('button', { name: '保存版本' }).click()
  await expect(a.page.getByTestId('version-row').filter({ hasText: '初稿' })).toHaveCount(1)

  await editor(a.page).locator('.report-title').click()
  await a.page.keyboard.press('End')
  await a.page.keyboard.type('（修改）')
  await expect.poll(() => documentText(b.page)).toContain('述职（修改）')

  const row = a.page.getByTestId('version-row').filter({ hasText: '初稿' })
  await row.getByRole('button', { name: '查看' }).click()
  const viewer = a.page.getByRole('dialog', { name: '查看版本：初稿' })
  await expect(viewer).toContainText('2022年度党建工作述职')
  await expect(viewer.getByRole('textbox', { name: '版本“初稿”的正文' })).toHaveAttribute('aria-readonly', 'true')
  // Over the page, not squeezed into the side panel: the whole dialog and every button can be seen and used.
  await expect(viewer).toBeInViewport({ ratio: 1 })
  const box = (await viewer.boundingBox())!
  expect(box.width).toBeGreaterThan(600)
  for (const name of ['查看', '与当前对比', '关闭']) await expect(viewer.getByRole('button', { name, exact: true })).toBeInViewport({ ratio: 1 })
  await a.page.screenshot({ path: '/tmp/shots/version-viewer.png' })
  await viewer.getByRole('button', { name: '与当前对比' }).click()
  await expect(viewer.getByTestId('version-diff').locator('ins')).toContainText('（修改）')
  await viewer.getByRole('button', { name: '关闭' }).click()

  a.page.once('dialog', (dialog) => dialog.accept())
  await row.getByRole('button', { name: '恢复' }).click()
  await expect.poll(() => documentText(b.page)).not.toContain('（修改）')
  await expect(a.page.getByTestId('version-row').filter({ hasText: '恢复前备份' })).toHaveCount(1)
  // 李华 sees his text change under him and is told who did it and what became of the text before.
  await expect(b.page.getByTestId('bell-count')).toHaveText('1')
  await b.page.getByTestId('bell').click()
  await expect(b.page.getByTestId('bell-list')).toContainText('张明 将文稿恢复到了版本「初稿」（恢复前的内容已存为备份版本）')
  await b.page.screenshot({ path: '/tmp/shots/version-restored-bell.png' })
  // The one who restored it is not told what they did.
  await expect(a.page.getByTestId('bell-count')).toHaveCount(0)
  await b.page.reload()
  await waitConnected(b.page)
  await expect.poll(() => documentText(b.page)).not.toContain('（修改）')
})

test('in a short window the check still shows each list: unfilled figures give way, unverified ones keep a few rows', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const owner = await join('管理员', id, 'owner')
  await owner.page.setViewportSize({ width: 1280, height: 720 })
  // Two figures filled, not yet verified.
  const entries = owner.page.getByTestId('placeholder-entry')
  for (const [left, value] of [[20, '12'], [19, '3']] as const) {
    await expect(entries).toHaveCount(left)
    const input = entries.first().getByRole('textbox')
    await input.fill(value)
    await input.press('Enter')
  }
  await expect(entries).toHaveCount(18)
  await owner.page.getByRole('button', { name: '提交' }).click()
  const dialog = owner.page.getByTestId('submit-dialog')
  await dialog.getByLabel('仍要提交（须说明理由）').check()
  const unverified = dialog.getByTestId('check-unverified')
  await expect(unverified.getByTestId('check-item')).toHaveCount(2)
  for (const item of await unverified.getByTestId('check-item').all()) await expect(item).toBeInViewport({ ratio: 1 })
  await expect(dialog.getByTestId('check-item').first()).toBeInViewport({ ratio: 1 })
  await expect(dialog.getByRole('button', { name: '提交并锁定' })).toBeInViewport()
  await owner.page.screenshot({ path: test.info().outputPath('check-1280x720.png') })
})

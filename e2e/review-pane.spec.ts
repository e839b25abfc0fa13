import type { Page } from '@playwright/test'
import { expect, test } from './support/fixtures'
import { blockText, caretIn, documentText, editor, selectText, waitConnected } from './support/people'

async function setMode(page: Page, mode: '编辑' | '建议' | '查看'): Promise<void> {
  await page.getByTestId('mode-switcher').getByRole('button', { name: mode, exact: true }).click()
}

const background = (page: Page, selector: string) =>
  editor(page)
    .locator(selector)
    .first()
    .evaluate((element) => getComputedStyle(element).backgroundColor)

test('the review pane tells a reviewer the truth, shows where and around what each change is, and comments by Ctrl+Alt+C', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const [leader, drafter] = await Promise.all([join('王局长', id, 'reviewer'), join('张明', id)])

  // Avatars show the surname, not the last two characters (「局长」).
  await expect(drafter.page.getByTestId('presence-person').filter({ hasText: '王局长' }).locator('.presence__avatar')).toHaveText('王')
  await expect(leader.page.getByTestId('presence-person').filter({ hasText: '王局长' }).locator('.presence__avatar')).toHaveText('王')

  await setMode(leader.page, '建议')
  await selectText(leader.page, '左右')
  await leader.page.keyboard.type('作为')
  await leader.page.getByTestId('review-tab').click()
  const card = leader.page.getByTestId('suggestion-card')
  await expect(card).toHaveCount(1)
  // Where (the section by its ordinals and its title) and the words around the change.
  await expect(card.getByTestId('suggestion-place')).toHaveText('四（一） 强化主体责任')
  await expect(card).toContainText('…持把落实全面从严治党责任左右→作为首要政治责任，以')
  // No accept/reject for a 审阅人, and no talk of a mode they do not have.
  await expect(card.getByRole('button', { name: '接受' })).toHaveCount(0)
  await expect(leader.page.getByTestId('review-hint')).toHaveText('修订由起草人接受或拒绝；您可以继续提出修订和批注。')
  await expect(leader.page.getByTestId('review-panel')).not.toContainText('切换到“编辑”模式')
  await leader.page.screenshot({ path: '/tmp/shots/review-pane-reviewer.png' })

  // A drafter in 建议 is told to switch to 编辑, which they have.
  await setMode(drafter.page, '建议')
  await drafter.page.getByTestId('review-tab').click()
  await expect(drafter.page.getByTestId('review-hint')).toHaveText('切换到“编辑”模式后可接受或拒绝修订')
  // Deleting another person's suggested words in 建议 cannot be a suggestion: nothing changes, and the page says why.
  // (The sample has an earlier 作为 of its own: select the suggested one itself.)
  await editor(drafter.page)
    .locator('ins.suggestion', { hasText: '作为' })
    .evaluate((element) => {
      ;(element.closest('[contenteditable]') as HTMLElement).focus()
      const range = document.createRange()
      range.selectNodeContents(element)
      getSelection()!.removeAllRanges()
      getSelection()!.addRange(range)
    })
  await expect.poll(() => drafter.page.evaluate(() => getSelection()?.toString())).toBe('作为')
  await drafter.page.keyboard.press('Backspace')
  await expect(drafter.page.getByTestId('editor-notice')).toContainText('在“建议”模式下不能直接改动')
  await expect(drafter.page.getByTestId('editor-notice')).toBeInViewport()
  await expect.poll(() => documentText(drafter.page)).toContain('责任左右作为首要政治责任')
  await drafter.page.getByTestId('editor-notice').getByRole('button').click()

  // Ctrl+Alt+C, as the 批注 tooltip says, opens the comment box on the selection.
  await selectText(leader.page, '时时放心不下')
  await leader.page.keyboard.press('Control+Alt+c')
  await leader.page.getByLabel('新批注').fill('请注明出处')
  await leader.page.getByRole('button', { name: '发送' }).click()
  await expect(editor(drafter.page).locator('.comment', { hasText: '时时放心不下' })).toHaveCount(1)
  // Without a selection the shortcut says what to do instead of nothing.
  await caretIn(leader.page, '2022年度党建工作述职', 'end')
  await leader.page.keyboard.press('Control+Alt+c')
  await expect(leader.page.getByTestId('editor-notice')).toContainText('请先选中要批注的文字')
  await expect(leader.page.getByTestId('editor-notice')).toBeInViewport()

  // Comment highlights are not the placeholders' colour; a resolved thread is not highlighted at all.
  const commentColour = await background(drafter.page, '.comment')
  expect(commentColour).not.toBe(await background(drafter.page, '.placeholder--unfilled'))
  expect(commentColour).not.toBe('rgba(0, 0, 0, 0)')
  await drafter.page.getByTestId('thread-card').getByRole('button', { name: '解决' }).click()
  await expect.poll(() => background(drafter.page, '.comment')).toBe('rgba(0, 0, 0, 0)')
  await expect.poll(() => background(leader.page, '.comment')).toBe('rgba(0, 0, 0, 0)')

  // What a 审阅人 can do with a suggestion: take back their own (the server allows it), nothing more.
  const inserted = editor(leader.page).locator('ins.suggestion', { hasText: '作为' })
  await inserted.evaluate((element) => element.scrollIntoView({ block: 'center', behavior: 'instant' }))
  await inserted.click()
  const popover = leader.page.getByTestId('suggestion-popover')
  await expect(popover.getByRole('button', { name: '撤回' })).toBeInViewport()
  await expect(popover.getByRole('button', { name: '接受' })).toHaveCount(0)
  await leader.page.getByTestId('suggestion-card').getByRole('button', { name: '撤回' }).click()
  await expect(drafter.page.getByTestId('suggestion-card')).toHaveCount(0)
  await expect.poll(() => documentText(drafter.page)).toContain('全面从严治党责任左右首要政治责任')
  await expect(leader.page.getByTestId('refused-change')).toHaveCount(0)
})

test('the connection badge says 离线 when the browser is offline, and edits made meanwhile arrive afterwards', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const [a, b] = await Promise.all([join('张明', id), join('李华', id)])
  await a.context.setOffline(true)
  const badge = a.page.getByTestId('connection')
  await expect(badge).toHaveAttribute('data-status', 'offline')
  await expect(badge).toContainText('离线')
  await caretIn(a.page, '2022年度党建工作述职', 'end')
  await a.page.keyboard.type('（离线时）')
  await expect(badge).toContainText('待同步')
  await a.context.setOffline(false)
  await waitConnected(a.page)
  await expect(badge).not.toContainText('待同步')
  await expect.poll(() => blockText(b.page)).toBe('2022年度党建工作述职（离线时）')
})

test('a clean copy with unfilled figures is refused with a message in Chinese', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const owner = await join('管理员', id, 'owner')
  await owner.page.getByRole('button', { name: '下载 ▾' }).click()
  await owner.page.getByRole('menuitem', { name: 'Word（清稿）' }).click()
  const message = owner.page.getByTestId('export-error')
  await expect(message).toContainText('还有 20 处数字未填写，不能下载清稿')
  await expect(message).toBeInViewport({ ratio: 1 })
  await message.getByRole('button', { name: '关闭' }).click()
  await expect(message).toHaveCount(0)
  // The copy with suggestions and comments still downloads.
  await owner.page.getByRole('button', { name: '下载 ▾' }).click()
  const [download] = await Promise.all([owner.page.waitForEvent('download'), owner.page.getByRole('menuitem', { name: 'Word（含修订与批注）' }).click()])
  expect(download.suggestedFilename()).toBe('2022年度党建工作述职.docx')
})

test('a submitted report offers no reply, resolve or fill inputs that the server would refuse', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const [owner, drafter] = await Promise.all([join('管理员', id, 'owner'), join('张明', id)])
  await selectText(drafter.page, '时时放心不下')
  await drafter.page.getByRole('button', { name: '批注' }).click()
  await drafter.page.getByLabel('新批注').fill('请核实')
  await drafter.page.getByRole('button', { name: '发送' }).click()
  await expect(owner.page.getByTestId('review-tab')).toContainText('1')

  await server.api('POST', `/api/documents/${id}/submit`, { versionName: '报送稿', overrideReason: '数字另报' })
  await drafter.page.reload()
  await waitConnected(drafter.page)
  await expect(drafter.page.getByTestId('submitted-banner')).toBeVisible()
  await expect(drafter.page.getByTestId('placeholder-entry').first()).toBeVisible()
  await expect(drafter.page.getByTestId('placeholder-entry').getByRole('textbox')).toHaveCount(0)
  await expect(drafter.page.getByTestId('fill-note')).toHaveText('文稿已提交锁定，不能填写。所有者重新打开后方可填写。')
  await drafter.page.getByTestId('review-tab').click()
  const thread = drafter.page.getByTestId('thread-card')
  await expect(thread).toContainText('请核实')
  await expect(thread.getByLabel('回复')).toHaveCount(0)
  await expect(thread.getByRole('button', { name: '解决' })).toHaveCount(0)
  await expect(drafter.page.getByTestId('review-panel')).toContainText('文稿已提交锁定，不能批注或回复')
  // The 批注 shortcut explains instead of opening a box whose text would be lost (the page is read-only now).
  await editor(drafter.page).locator('p', { hasText: '时时放心不下' }).click()
  await drafter.page.keyboard.press('Control+Alt+c')
  await expect(drafter.page.getByTestId('editor-notice')).toContainText('文稿已提交锁定')
  await expect(drafter.page.getByTestId('new-thread')).toHaveCount(0)
  expect(await documentText(drafter.page)).toContain('时时放心不下')
})

test('a change the server refuses is not lost silently: the page says so in Chinese and shows the server\'s text', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const [leader, drafter] = await Promise.all([join('王局长', id, 'reviewer'), join('张明', id)])
  await setMode(leader.page, '建议')
  // What a faulty or tampered client might send: a plain edit by a 审阅人, bypassing suggestion mode.
  await editor(leader.page).evaluate((root) => {
    const view = (root as HTMLElement & { editor: { view: { state: { tr: { insertText(text: string, pos: number): { setMeta(key: string, value: unknown): unknown } } }; dispatch(tr: unknown): void } } }).editor.view
    view.dispatch(view.state.tr.insertText('越权', 3).setMeta('suggestChanges.skip', true))
  })
  const message = leader.page.getByTestId('refused-change')
  await expect(message).toContainText('服务器拒绝了您的一处修改')
  await expect(message).toBeInViewport()
  await waitConnected(leader.page)
  await expect.poll(() => documentText(leader.page)).not.toContain('越权')
  expect(await documentText(drafter.page)).not.toContain('越权')
})

test('删除线 in 建议 is a format suggestion (「格式：加删除线」), and the popover on text at the window\'s bottom edge stays inside the window', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const [leader, drafter] = await Promise.all([join('王局长', id, 'reviewer'), join('张明', id)])
  await setMode(leader.page, '建议')
  // The last words of the report: the bottom of a long page.
  await selectText(leader.page, '没有发生廉洁方面的问题')
  const strike = leader.page.getByRole('button', { name: '删除线' })
  await expect(strike).toBeEnabled()
  await strike.click()
  await leader.page.getByTestId('review-tab').click()
  const card = leader.page.getByTestId('suggestion-card')
  await expect(card).toHaveCount(1)
  await expect(card.getByTestId('change-words')).toHaveText('格式：加删除线')
  await expect(card).toContainText('没有发生廉洁方面的问题')

  // The drafter clicks the struck words after scrolling them to the very bottom of the window.
  await drafter.page.getByTestId('review-tab').click()
  await expect(drafter.page.getByTestId('suggestion-card')).toHaveCount(1)
  const words = editor(drafter.page).locator('ins.suggestion', { hasText: '没有发生廉洁方面的问题' })
  await words.evaluate((element) => element.scrollIntoView({ block: 'end', behavior: 'instant' }))
  const box = (await words.boundingBox())!
  const viewport = drafter.page.viewportSize()!
  expect(box.y + box.height).toBeGreaterThan(viewport.height - 60)
  await drafter.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
  const popover = drafter.page.getByTestId('suggestion-popover')
  await expect(popover).toBeInViewport({ ratio: 1 })
  await expect(popover.getByRole('button', { name: '接受' })).toBeInViewport()
  await drafter.page.screenshot({ path: '/tmp/shots/popover-bottom.png' })
  await popover.getByRole('button', { name: '接受' }).click()
  await expect(drafter.page.getByTestId('suggestion-card')).toHaveCount(0)
  await expect(editor(drafter.page).locator('s', { hasText: '没有发生廉洁方面的问题' })).toHaveCount(1)
  await expect(editor(leader.page).locator('s', { hasText: '没有发生廉洁方面的问题' })).toHaveCount(1)
})

import type { Page } from '@playwright/test'
import { expect, test, type Fixtures } from './support/fixtures'
import { blockLines, caretBefore, documentText, editor, selectText, waitConnected } from './support/people'

async function setMode(page: Page, mode: '编辑' | '建议' | '查看'): Promise<void> {
  await page.getByTestId('mode-switcher').getByRole('button', { name: mode, exact: true }).click()
}

const suggestionMarks = (page: Page) => editor(page).locator('ins.suggestion, del.suggestion')

/** The leader suggests 左右 → 作为 in 四（一） while the drafter types in 一（一）. */
async function leaderSuggestsWhileDrafterTypes({ server, join }: Pick<Fixtures, 'server' | 'join'>) {
  const id = await server.sampleDocumentId()
  const [leader, drafter] = await Promise.all([join('王局长', id, 'reviewer'), join('张明', id)])
  await setMode(leader.page, '建议')
  await expect(drafter.page.getByTestId('presence')).toContainText('建议')

  await selectText(leader.page, '左右')
  await caretBefore(drafter.page, '研究审议')
  await Promise.all([leader.page.keyboard.type('作为', { delay: 50 }), drafter.page.keyboard.type('先后', { delay: 50 })])

  // The drafter's typing is a plain edit; the leader's is a suggestion, on both screens.
  for (const page of [leader.page, drafter.page]) {
    await expect.poll(() => documentText(page)).toContain('先后研究审议')
    await expect(editor(page).locator('del.suggestion', { hasText: '左右' })).toHaveCount(1)
    await expect(editor(page).locator('ins.suggestion', { hasText: '作为' })).toHaveCount(1)
  }
  await drafter.page.getByTestId('review-tab').click()
  const card = drafter.page.getByTestId('suggestion-card')
  await expect(card).toHaveCount(1)
  await expect(card).toContainText('王局长')
  await expect(card).toContainText('左右')
  await expect(card).toContainText('作为')
  return { id, leader, drafter, card }
}

test('the drafter accepts the leader\'s suggestion: both end with 作为 and no marks, also after a reload', async ({ server, join }) => {
  const { leader, drafter, card } = await leaderSuggestsWhileDrafterTypes({ server, join })
  await card.getByRole('button', { name: '接受' }).click()
  for (const page of [leader.page, drafter.page]) {
    await expect(suggestionMarks(page)).toHaveCount(0)
    await expect.poll(() => documentText(page)).toContain('全面从严治党责任作为首要政治责任')
    await expect.poll(() => documentText(page)).not.toContain('左右')
  }
  await leader.page.reload()
  await waitConnected(leader.page)
  await expect.poll(() => documentText(leader.page)).toContain('全面从严治党责任作为首要政治责任')
  await expect(suggestionMarks(leader.page)).toHaveCount(0)
})

test('the drafter rejects the leader\'s suggestion: 左右 stays', async ({ server, join }) => {
  const { leader, drafter, card } = await leaderSuggestsWhileDrafterTypes({ server, join })
  await card.getByRole('button', { name: '拒绝' }).click()
  for (const page of [leader.page, drafter.page]) {
    await expect(suggestionMarks(page)).toHaveCount(0)
    await expect.poll(() => documentText(page)).toContain('全面从严治党责任左右首要政治责任')
    await expect.poll(() => documentText(page)).not.toContain('责任作为首要')
  }
})

test('accepting from the popover on the text', async ({ server, join }) => {
  const { drafter } = await leaderSuggestsWhileDrafterTypes({ server, join })
  await editor(drafter.page).locator('ins.suggestion', { hasText: '作为' }).click()
  const popover = drafter.page.getByTestId('suggestion-popover')
  await expect(popover).toContainText('王局长')
  await popover.getByRole('button', { name: '接受' }).click()
  await expect(suggestionMarks(drafter.page)).toHaveCount(0)
  await expect.poll(() => documentText(drafter.page)).toContain('责任作为首要')
})

test('a comment thread is started, answered, resolved, and survives a reload', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const [leader, drafter] = await Promise.all([join('王局长', id, 'reviewer'), join('张明', id)])
  await setMode(leader.page, '建议')

  await selectText(leader.page, '时时放心不下')
  await leader.page.getByRole('button', { name: '批注' }).click()
  await leader.page.getByLabel('新批注').fill('请注明出处')
  await leader.page.getByRole('button', { name: '发送' }).click()
  await expect(editor(leader.page).locator('.comment', { hasText: '时时放心不下' })).toHaveCount(1)
  // Commenting is not an edit: no suggestion was made.
  await expect(suggestionMarks(leader.page)).toHaveCount(0)

  await drafter.page.getByTestId('review-tab').click()
  const thread = drafter.page.getByTestId('thread-card')
  await expect(thread).toContainText('请注明出处')
  await expect(thread).toContainText('王局长')
  await thread.getByLabel('回复').fill('出自总书记讲话，已补注')
  await thread.getByRole('button', { name: '发送' }).click()

  const leaderThread = leader.page.getByTestId('thread-card')
  await expect(leaderThread.getByTestId('thread-message')).toHaveCount(2)
  await expect(leaderThread).toContainText('出自总书记讲话，已补注')

  await thread.getByRole('button', { name: '解决' }).click()
  await expect(leader.page.getByTestId('thread-card')).toHaveCount(0)
  expect((await server.api<{ openThreads: unknown[] }>('GET', `/api/documents/${id}/review`)).openThreads).toHaveLength(0)

  await drafter.page.reload()
  await waitConnected(drafter.page)
  await drafter.page.getByTestId('review-tab').click()
  await drafter.page.getByLabel('显示已解决').check()
  const resolved = drafter.page.getByTestId('thread-card')
  await expect(resolved).toContainText('已解决')
  await expect(resolved.getByTestId('thread-message')).toHaveCount(2)
  await resolved.getByRole('button', { name: '重新打开' }).click()
  await expect(leader.page.getByTestId('thread-card')).toHaveCount(1)
})

test('view mode is read-only and previews the text as if all suggestions were accepted', async ({ server, join }) => {
  const { leader } = await leaderSuggestsWhileDrafterTypes({ server, join })
  await setMode(leader.page, '查看')
  await expect(editor(leader.page)).toHaveAttribute('contenteditable', 'false')
  await leader.page.getByLabel('预览定稿').check()
  await expect(editor(leader.page).locator('del.suggestion').first()).toBeHidden()
  // What a reader sees: the suggestion as if accepted.
  expect(await editor(leader.page).innerText()).toContain('全面从严治党责任作为首要政治责任')
})

test('in 建议, Shift+Enter is refused with a message rather than sent for the server to refuse; typing goes on as a suggestion', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const leader = await join('王局长', id, 'reviewer')
  await setMode(leader.page, '建议')
  const before = await documentText(leader.page)
  await caretBefore(leader.page, '研究审议')
  await leader.page.keyboard.press('Shift+Enter')
  const notice = leader.page.getByTestId('editor-notice')
  await expect(notice).toBeInViewport()
  await expect(notice).toContainText('“建议”模式下不能插入或删除换行（Shift+Enter）')
  await leader.page.screenshot({ path: test.info().outputPath('line-break-refused.png') })
  expect(await documentText(leader.page)).toBe(before)
  await expect(editor(leader.page).locator('br:not(.ProseMirror-trailingBreak)')).toHaveCount(0)

  await leader.page.keyboard.type('先后')
  await expect(editor(leader.page).locator('ins.suggestion', { hasText: '先后' })).toHaveCount(1)
  await expect.poll(() => documentText(leader.page)).toContain('先后研究审议')
  await expect(leader.page.getByText('服务器拒绝了您的一处修改')).toHaveCount(0)
})

test('two reviewers: 王局长 types right before 李处长’s suggestion; each suggestion keeps its author and nothing is refused', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const [wang, li, drafter] = await Promise.all([join('王局长', id, 'reviewer'), join('李处长', id, 'reviewer'), join('张明', id)])
  await setMode(wang.page, '建议')
  await setMode(li.page, '建议')
  await caretBefore(li.page, '研究审议')
  await li.page.keyboard.type('反复', { delay: 50 })
  await expect(editor(wang.page).locator('ins.suggestion', { hasText: '反复' })).toHaveCount(1)

  // His second character sits between his own suggestion and hers: it used to make hers his, and the
  // server refused his update (his page reloaded).
  await caretBefore(wang.page, '反复')
  await wang.page.keyboard.type('先后', { delay: 50 })
  for (const person of [wang, li, drafter]) await expect.poll(() => documentText(person.page)).toContain('先后反复研究审议')

  await drafter.page.getByTestId('review-tab').click()
  const cards = drafter.page.getByTestId('suggestion-card')
  await expect(cards.filter({ hasText: '李处长' }).filter({ hasText: '反复' })).toHaveCount(1)
  await expect(cards.filter({ hasText: '王局长' }).filter({ hasText: '先后' })).toHaveCount(1)
  await expect(cards.filter({ hasText: '王局长' }).filter({ hasText: '反复' })).toHaveCount(0)
  await drafter.page.screenshot({ path: test.info().outputPath('two-reviewers.png') })
  for (const person of [wang, li]) await expect(person.page.getByText('服务器拒绝了您的一处修改')).toHaveCount(0)
})

test('a replacement at the end of a paragraph, then Enter: one 「¶」 on both screens, and rejecting all restores the paragraph', async ({ server, join }) => {
  const lines = ['党建汇报', '一、抓好党建工作', '全年召开党委会十二次。', '二、推动业务发展', '业务收入稳步增长。']
  const { id } = await server.api<{ id: string }>('POST', '/api/documents', { title: lines[0], text: lines.join('\n') })
  const [leader, drafter] = await Promise.all([join('王局长', id, 'reviewer'), join('张明', id)])
  await setMode(leader.page, '建议')
  await selectText(leader.page, '十二次')
  await leader.page.keyboard.type('十五次')
  await leader.page.keyboard.press('Enter')
  await leader.page.keyboard.type('新段落')
  for (const page of [leader.page, drafter.page]) {
    // The zero-width marker of the break is in the text; the one 「¶」 is drawn beside it.
    await expect.poll(() => blockLines(page)).toEqual(['党建汇报', '一、抓好党建工作', '全年召开党委会十二次十五次\u200b¶', '新段落。', '二、推动业务发展', '业务收入稳步增长。'])
    // The library also drew a 「¶」 for the new paragraph's own suggestion: two marks for one break.
    const pilcrows = editor(page).getByText('¶', { exact: true })
    await expect(pilcrows).toHaveCount(1)
    await expect(pilcrows).toBeInViewport()
    await expect(editor(page).locator('p', { has: page.getByText('¶', { exact: true }) })).toContainText('十五次')
  }
  await editor(leader.page).locator('p', { hasText: '全年召开党委会' }).screenshot({ path: '/tmp/shots/replacement-enter-pilcrow.png' })
  await drafter.page.getByTestId('review-tab').click()
  await drafter.page.getByRole('button', { name: '全部拒绝' }).click()
  for (const page of [leader.page, drafter.page]) {
    await expect.poll(() => blockLines(page)).toEqual(lines)
    await expect(editor(page).getByText('¶', { exact: true })).toHaveCount(0)
  }
})

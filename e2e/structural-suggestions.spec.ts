import type { Page } from '@playwright/test'
import { expect, test } from './support/fixtures'
import { blockLines, caretBefore, editor, waitConnected } from './support/people'

/**
 * Structural suggestions in the browser: 王局长 (审阅人) in 建议 adds a section with Ctrl+Enter and types
 * its title straight away, moves a section with the toolbar; nothing is refused or lost, the sections
 * show the change in words in the margin, and 张明 (起草人) accepts them all.
 */
const DRAFT = ['结构建议', '一、抓好党建工作', '全年召开党委会十二次。', '二、推动业务发展', '业务收入稳步增长。', '三、下一步打算', '继续深化改革。']

async function setMode(page: Page, mode: '编辑' | '建议' | '查看'): Promise<void> {
  await page.getByTestId('mode-switcher').getByRole('button', { name: mode, exact: true }).click()
}

test('a reviewer’s new section and move are suggestions: nothing refused or lost, shown in words, accepted by the drafter', async ({ server, join }) => {
  const { id } = await server.api<{ id: string }>('POST', '/api/documents', { title: DRAFT[0], text: DRAFT.join('\n') })
  const [leader, drafter] = await Promise.all([join('王局长', id, 'reviewer'), join('张明', id)])
  for (const person of [leader, drafter]) await expect.poll(() => blockLines(person.page)).toEqual(DRAFT)
  await setMode(leader.page, '建议')
  await drafter.page.getByTestId('review-tab').click()

  // Ctrl+Enter and the title typed right after it: once refused by the server, reloaded and lost.
  await caretBefore(leader.page, '业务收入稳步增长')
  await leader.page.keyboard.press('Control+Enter')
  await leader.page.keyboard.type('加强队伍建设')
  // The toolbar's move, enabled in 建议.
  await caretBefore(leader.page, '继续深化改革')
  const moveUp = leader.page.getByRole('button', { name: '上移', exact: true })
  await expect(moveUp).toBeEnabled()
  await moveUp.click()

  const expectedPending = ['结构建议', '一、抓好党建工作', '全年召开党委会十二次。', '二、推动业务发展', '业务收入稳步增长。', '三、加强队伍建设', '四、下一步打算', '继续深化改革。']
  for (const person of [leader, drafter]) await expect.poll(() => blockLines(person.page)).toEqual(expectedPending)
  const moved = editor(leader.page).locator('section[data-structural]', { hasText: '下一步打算' })
  await expect(moved).toHaveAttribute('data-structural-label', '上移章节')
  await expect(editor(leader.page).locator('section[data-structural~="insert"]', { hasText: '加强队伍建设' })).toBeVisible()
  await moved.scrollIntoViewIfNeeded()
  await leader.page.screenshot({ path: '/tmp/shots/structural-suggestion-leader.png' })
  // Nothing was refused: no reload, no message.
  await expect(leader.page.getByText('服务器拒绝了您的一处修改')).toHaveCount(0)

  const pane = drafter.page.getByTestId('review-panel')
  await expect(pane.getByTestId('change-words')).toHaveText(['新增章节', '上移章节'])
  await drafter.page.screenshot({ path: '/tmp/shots/structural-suggestion-pane.png' })
  await drafter.page.getByRole('button', { name: '全部接受' }).click()

  const accepted = ['结构建议', '一、抓好党建工作', '全年召开党委会十二次。', '二、推动业务发展', '业务收入稳步增长。', '三、下一步打算', '继续深化改革。', '四、加强队伍建设']
  for (const person of [leader, drafter]) {
    await expect.poll(() => blockLines(person.page)).toEqual(accepted)
    await expect(editor(person.page).locator('section[data-structural]')).toHaveCount(0)
  }
  await leader.page.reload()
  await waitConnected(leader.page)
  await expect.poll(() => blockLines(leader.page)).toEqual(accepted)
})

import type { Page } from '@playwright/test'
import { expect, test } from './support/fixtures'
import { caretBefore, documentText, editor } from './support/people'

/**
 * Joint drafting (issue 15) with several people: the owner (管理员) assigns 一 to 张三 and 二 to 李四 and
 * turns on 按分工编辑; 李四's typing in 一 becomes a suggestion; 张三 sends 一 to 待审, the leader (王局长,
 * 审阅人) approves it, and from then on 张三's typing in 一 is a suggestion too.
 */

const ONE = '一、强化政治引领，贯彻中央部署'
const TWO = '二、强化理论武装，提升政治素养'

const outlineRow = (page: Page, label: string) => page.getByTestId('outline').locator('li.outline__item', { hasText: label }).first()

async function openMenu(page: Page, label: string) {
  await outlineRow(page, label).getByTestId('section-menu-button').click()
  const menu = page.getByTestId('section-menu')
  await expect(menu).toBeInViewport()
  return menu
}

async function assign(owner: Page, label: string, drafter: string) {
  const menu = await openMenu(owner, label)
  await menu.getByRole('checkbox', { name: drafter }).check()
  await menu.getByRole('button', { name: '保存分配' }).click()
  await expect(menu).toHaveCount(0)
}

async function statusIs(page: Page, label: string, status: string) {
  await expect(outlineRow(page, label).getByTestId('section-status')).toHaveText(status)
}

test('three drafters and a leader: assignment, 按分工编辑, 待审 → 定稿, and a 定稿 section takes only suggestions', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const zhang = await join('张三', id)
  const li = await join('李四', id)
  const leader = await join('王局长', id, 'reviewer')
  const owner = await join('管理员', id, 'owner')

  await assign(owner.page, ONE, '张三')
  await assign(owner.page, TWO, '李四')
  await owner.page.getByTestId('option-by-assignment').check()

  // Everyone sees who drafts what, and the status, in the outline and at the section header.
  for (const person of [owner, zhang, li, leader]) {
    await statusIs(person.page, ONE, '起草中')
    await expect(outlineRow(person.page, ONE).getByTestId('assignee-avatar')).toHaveAttribute('title', '张三')
    await expect(outlineRow(person.page, TWO).getByTestId('assignee-avatar')).toHaveAttribute('title', '李四')
  }
  await expect(editor(zhang.page).getByTestId('section-chip').first()).toContainText('起草中')

  // 李四 types in 一: the editor switches to 建议 there and says so; the text arrives as a suggestion.
  await caretBefore(li.page, '一年来，我认真履')
  await expect(li.page.getByTestId('section-mode-notice')).toHaveText('此处不是您负责的章节，您的修改将作为建议。')
  await li.page.keyboard.type('李四补充')
  for (const person of [owner, li]) {
    await expect(editor(person.page).locator('ins.suggestion', { hasText: '李四补充' })).toHaveCount(1)
  }
  // In 二, their own section, the notice goes and typing is a direct edit.
  await caretBefore(li.page, '学习贯彻习近平新')
  await expect(li.page.getByTestId('section-mode-notice')).toHaveCount(0)
  await li.page.keyboard.type('直接')
  await expect.poll(() => documentText(owner.page)).toContain('直接学习贯彻习近平新')
  await expect(editor(owner.page).locator('ins.suggestion', { hasText: '直接' })).toHaveCount(0)

  // 张三 types in 一 directly, then sends it for review.
  await caretBefore(zhang.page, '扎')
  await zhang.page.keyboard.type('张三写')
  await expect.poll(() => documentText(owner.page)).toContain('张三写扎')
  await expect(editor(owner.page).locator('ins.suggestion', { hasText: '张三写' })).toHaveCount(0)
  await (await openMenu(zhang.page, ONE)).getByRole('button', { name: '提交审核' }).click()
  await statusIs(leader.page, ONE, '待审')

  // The leader approves: 定稿 everywhere, with who did it.
  const menu = await openMenu(leader.page, ONE)
  await expect(menu).toContainText('张三')
  await menu.getByRole('button', { name: '通过定稿' }).click()
  for (const person of [owner, zhang, li, leader]) await statusIs(person.page, ONE, '定稿')
  await expect((await openMenu(owner.page, ONE))).toContainText('王局长')

  await owner.page.screenshot({ path: '/tmp/joint-drafting-outline.png' })

  // 张三 can no longer edit 一 directly: his typing is a suggestion, and the notice says why.
  await caretBefore(zhang.page, '一年来，我认真履')
  await expect(zhang.page.getByTestId('section-mode-notice')).toHaveText('本节已定稿，您的修改将作为建议。')
  await zhang.page.keyboard.type('定稿后')
  for (const person of [owner, zhang]) {
    await expect(editor(person.page).locator('ins.suggestion', { hasText: '定稿后' })).toHaveCount(1)
  }
  // Nobody was refused and resynced on the way.
  for (const person of [zhang, li, leader]) await expect(person.page.getByTestId('connection')).toHaveAttribute('data-status', 'connected')
  await zhang.page.screenshot({ path: '/tmp/joint-drafting-final-section.png' })
})

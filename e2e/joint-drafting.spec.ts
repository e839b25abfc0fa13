import fs from 'node:fs/promises'
import type { Page } from '@playwright/test'
import JSZip from 'jszip'
import { expect, test } from './support/fixtures'
import { blockText, caretBefore, documentText, editor } from './support/people'

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
  await expect(outlineRow(owner, label).getByTestId('assignee-avatar')).toHaveAttribute('title', drafter)
  await expect(owner.getByTestId('section-progress')).toBeVisible()
  await expect(owner.getByTestId('section-unassigned')).toHaveCount(0)
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

  // Before any assignment the outline says so (the owner is told where to assign), in the progress line's place.
  await expect(owner.page.getByTestId('section-unassigned')).toHaveText('尚未分工')
  await expect(owner.page.getByTestId('section-unassigned')).toHaveAttribute('title', '尚未分工：在章节的“分工与状态”中分配负责人。')
  await expect(zhang.page.getByTestId('section-unassigned')).toBeInViewport()
  // The first assignment puts the progress line in that place and moves no row (it once moved every row
  // down, and the next click landed beside the next row's menu button).
  const rowBefore = await outlineRow(owner.page, TWO).boundingBox()
  await assign(owner.page, ONE, '张三')
  expect((await outlineRow(owner.page, TWO).boundingBox())!.y).toBe(rowBefore!.y)
  await expect(zhang.page.getByTestId('section-progress')).toHaveText(/0 \/ 1 节已定稿/u)
  await expect(zhang.page.getByTestId('section-unassigned')).toHaveCount(0)
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
  // From 二's title (his), 李四 moves 二 up: that moves 张三's 一 too, so it becomes a suggestion to move it
  // and the toast says why (the server used to refuse it as a direct edit: a reload, the move lost).
  await caretBefore(li.page, '强化理论武装')
  await expect(li.page.getByTestId('section-mode-notice')).toHaveCount(0)
  await li.page.keyboard.press('Alt+Shift+ArrowUp')
  await expect(li.page.getByTestId('editor-notice')).toContainText('已作为修订建议')
  await expect(li.page.getByTestId('editor-notice')).toBeInViewport()
  // Not an error: drawn as information and announced politely (the refusals below are alerts).
  await expect(li.page.getByTestId('editor-notice')).toHaveAttribute('role', 'status')
  const moved = editor(owner.page).locator('section[data-structural]', { hasText: '强化理论武装' })
  await expect(moved).toHaveAttribute('data-structural-label', '上移章节')
  await expect.poll(async () => (await documentText(owner.page)).indexOf('强化政治引领') < (await documentText(owner.page)).indexOf('强化理论武装')).toBe(true)
  await li.page.screenshot({ path: '/tmp/joint-drafting-move-suggested.png' })
  await li.page.getByTestId('editor-notice').getByRole('button').first().click()
  // Backspace at the start of his own title would join it to 张三's text: nothing happens, and he is told.
  await caretBefore(li.page, '强化理论武装')
  await li.page.keyboard.press('Backspace')
  await expect(li.page.getByTestId('editor-notice')).toContainText('退格键不能在此取消章节')
  await expect(li.page.getByTestId('editor-notice')).toHaveAttribute('role', 'alert')
  await expect(editor(li.page).locator('.section-title', { hasText: '强化理论武装' }).first()).toBeVisible()
  await li.page.getByTestId('editor-notice').getByRole('button').first().click()

  // 张三 reviews: he decides what lies in his 一 (李四补充), not 李四's move of 二, which reaches his 一 and
  // 李四's 二 (the owner decides it). Bulk 接受 used to take everything, and the server refused it: a reload.
  await zhang.page.getByTestId('review-tab').click()
  const cards = zhang.page.getByTestId('suggestion-card')
  await expect(cards).toHaveCount(2)
  const moveCard = cards.filter({ hasText: '上移章节' })
  await expect(moveCard.getByTestId('not-yours')).toHaveText('不在您负责的章节中（或已定稿），由负责的起草人或所有者接受或拒绝。')
  await expect(moveCard.getByRole('button', { name: '接受' })).toHaveCount(0)
  await zhang.page.getByTestId('accept-own').click()
  await expect(zhang.page.getByTestId('accept-own')).toHaveCount(0)
  await expect(zhang.page.getByTestId('review-hint')).toHaveText('这些修订都不在您负责的章节中（或所在章节已定稿），由负责的起草人或所有者接受或拒绝。')
  await zhang.page.screenshot({ path: '/tmp/joint-drafting-review-own.png' })
  for (const person of [owner, zhang]) {
    await expect(editor(person.page).locator('ins.suggestion', { hasText: '李四补充' })).toHaveCount(0)
    await expect.poll(() => documentText(person.page)).toContain('李四补充')
  }
  await expect(zhang.page.getByTestId('connection')).toHaveAttribute('data-status', 'connected')
  // 李四 cannot accept his own move either, but he can take it back (撤回), as the server allows.
  await li.page.getByTestId('review-tab').click()
  const liMove = li.page.getByTestId('suggestion-card').filter({ hasText: '上移章节' })
  await expect(liMove.getByRole('button', { name: '撤回' })).toBeVisible()
  await expect(liMove.getByRole('button', { name: '接受' })).toHaveCount(0)
  await li.page.getByRole('tab', { name: /待填数字/u }).click()
  // The owner decides everything: he rejects the move, and the order stays.
  await owner.page.getByTestId('review-tab').click()
  await owner.page.getByTestId('suggestion-card').filter({ hasText: '上移章节' }).getByRole('button', { name: '拒绝' }).click()
  await expect(editor(owner.page).locator('section[data-structural]')).toHaveCount(0)
  for (const person of [owner, zhang]) await person.page.getByRole('tab', { name: /待填数字/u }).click()

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
  // The owner still edits the 定稿 section directly, with no notice.
  await caretBefore(owner.page, '落实市委部署')
  await expect(owner.page.getByTestId('section-mode-notice')).toHaveCount(0)
  await owner.page.keyboard.type('主笔改')
  await expect.poll(() => documentText(zhang.page)).toContain('主笔改落实市委部署')
  await expect(editor(zhang.page).locator('ins.suggestion', { hasText: '主笔改' })).toHaveCount(0)

  // The section's own menu opens from the chip at its title; 我的章节 leaves only 李四's part in his outline.
  await editor(li.page).getByTestId('section-chip').filter({ hasText: '起草中' }).first().click()
  await expect(li.page.getByTestId('section-menu')).toContainText(TWO)
  await expect(li.page.getByTestId('section-menu').getByRole('button', { name: '提交审核' })).toBeInViewport()
  await li.page.getByTestId('outline-mine').click()
  await expect(outlineRow(li.page, TWO)).toBeInViewport()
  await expect(li.page.getByTestId('outline').locator('li.outline__item', { hasText: ONE })).toHaveCount(0)
  await li.page.screenshot({ path: '/tmp/joint-drafting-mine.png' })
  // The same filter in the 待填数字 sidebar: only figures of 李四's section are listed.
  await li.page.getByTestId('placeholders-mine').check()
  const groupTitles = li.page.getByTestId('placeholder-group').locator('.placeholder-group__title')
  await expect(groupTitles.first()).toBeVisible()
  for (const title of await groupTitles.evaluateAll((elements) => elements.map((element) => element.getAttribute('title') ?? ''))) expect(title.startsWith(TWO)).toBe(true)

  // Nobody was refused and resynced on the way.
  for (const person of [zhang, li, leader]) await expect(person.page.getByTestId('connection')).toHaveAttribute('data-status', 'connected')
  await zhang.page.screenshot({ path: '/tmp/joint-drafting-final-section.png' })
})

test('署名 and 落款 laid out; 李四 sends 提请提交; the owner sees it (bell, toolbar, list), submits; the .docx places both', async ({ server, join, open }) => {
  const id = await server.sampleDocumentId()
  const owner = await join('管理员', id, 'owner')
  const li = await join('李四', id)
  const leader = await join('王局长', id, 'reviewer')

  // The owner adds the 署名 under the title and the 落款 at the end from the toolbar.
  await owner.page.getByRole('button', { name: '署名', exact: true }).click()
  await owner.page.keyboard.type('青山市财政局')
  await owner.page.getByRole('button', { name: '落款', exact: true }).click()
  await owner.page.keyboard.type('中共青山市财政局党组')
  // Everyone sees them (read without the others' carets).
  await expect.poll(() => blockText(li.page, 'p.report-author')).toBe('青山市财政局')
  await expect.poll(() => blockText(li.page, '.signature-unit')).toBe('中共青山市财政局党组')
  await expect.poll(() => blockText(li.page, '.signature-date')).toMatch(/^\d{4}年[1-9]\d?月[1-9]\d?日$/u)
  // Laid out on the owner's page (no remote caret inside the lines): the 署名 centred; the 落款 as GB/T 9704
  // 7.3.5.2 says, the date's first character two characters right of the unit's, both ending at the same place.
  await expect(editor(owner.page).locator('p.report-author')).toHaveCSS('text-align', 'center')
  const unit = editor(owner.page).locator('.signature-unit')
  const date = editor(owner.page).locator('.signature-date')
  const textBox = (locator: typeof unit) =>
    locator.evaluate((el) => {
      const range = document.createRange()
      range.selectNodeContents(el)
      const box = range.getBoundingClientRect()
      return { left: box.left, right: box.right, em: parseFloat(getComputedStyle(el).fontSize) }
    })
  const [unitText, dateText, pageBox] = await Promise.all([textBox(unit), textBox(date), editor(owner.page).boundingBox()])
  expect(Math.round(dateText.left - unitText.left)).toBe(Math.round(2 * unitText.em))
  expect(unitText.left).toBeGreaterThan(pageBox!.x + pageBox!.width / 2 - 4 * unitText.em)
  // The unit is the longer line here: it ends two characters from the right edge of the text.
  const content = await editor(owner.page).evaluate((el) => {
    const box = el.getBoundingClientRect()
    const style = getComputedStyle(el)
    return box.right - parseFloat(style.paddingRight)
  })
  expect(Math.round(content - unitText.right)).toBe(Math.round(2 * unitText.em))

  // The leader cannot submit and is told why; 李四 sees 提请提交 in place of 提交.
  const leaderSubmit = leader.page.getByRole('button', { name: /^提交：/u })
  await expect(leaderSubmit).toBeDisabled()
  await expect(leaderSubmit).toHaveAttribute('title', '只有所有者可以提交，起草人可以提请提交；您的角色不能提交。')
  await li.page.getByTestId('ask-submit').click()
  const dialog = li.page.getByTestId('ask-submit-dialog')
  await expect(dialog).toContainText('将请所有者（管理员）审核后提交本文。')
  await dialog.getByLabel('附言（可选）').fill('第二部分已写完，数字已核实。')
  await dialog.getByRole('button', { name: '发送' }).click()
  await expect(li.page.getByTestId('request-pending')).toHaveText(/已提请，等待所有者处理/u)

  // The owner: the bell counts it at once, the toolbar shows it, and so does the document list.
  await expect(owner.page.getByTestId('bell-count')).toHaveText('1')
  await expect(owner.page.getByTestId('incoming-requests')).toHaveText('提请提交（1）')
  await owner.page.getByTestId('bell').click()
  const item = owner.page.getByTestId('notification').first()
  await expect(item).toBeInViewport()
  await expect(item).toContainText('李四 提请提交')
  await expect(item).toContainText('第二部分已写完，数字已核实。')
  await owner.page.screenshot({ path: '/tmp/h9-bell.png' })
  await owner.page.getByTestId('bell').click()
  const list = await open('管理员', '/')
  await expect(list.page.getByTestId('document-row').first().getByTestId('row-requests')).toHaveText('李四 提请提交')
  const liList = await open('李四', '/')
  await expect(liList.page.getByTestId('document-row').first().getByTestId('row-requests')).toHaveText('已提请提交')

  // Sharing is reachable in the editor.
  await owner.page.getByTestId('share-in-editor').click()
  await expect(owner.page.getByTestId('share-dialog')).toBeInViewport()
  await owner.page.keyboard.press('Escape')

  // The owner opens the request and submits (the sample's figures are unfilled: with a reason).
  await owner.page.getByTestId('incoming-requests').click()
  const request = owner.page.getByTestId('incoming-request')
  await expect(request).toContainText('第二部分已写完，数字已核实。')
  await owner.page.screenshot({ path: '/tmp/h9-request.png' })
  await request.getByRole('button', { name: '提交…' }).click()
  const submit = owner.page.getByTestId('submit-dialog')
  await submit.getByLabel('仍要提交（须说明理由）').check()
  await submit.getByLabel('提交理由（将被记录）').fill('数字待统计局核定后另行报送')
  await submit.getByRole('button', { name: '提交并锁定' }).click()
  await expect(owner.page.getByTestId('submitted-banner')).toBeVisible({ timeout: 15_000 })

  // 李四 is told, live; the request is closed on the list.
  await expect(li.page.getByTestId('bell-count')).toHaveText('1', { timeout: 15_000 })
  await li.page.getByTestId('bell').click()
  await expect(li.page.getByTestId('notification').first()).toContainText('管理员 已提交您提请的文稿')
  await expect(liList.page.getByTestId('row-requests')).toHaveCount(0)
  await list.page.reload()
  await expect(list.page.getByTestId('document-row').first()).toBeVisible()
  await expect(list.page.getByTestId('row-requests')).toHaveCount(0)

  // The exported .docx: the 署名 centred right under the title, the 落款 right-aligned at the end.
  await owner.page.getByRole('button', { name: '下载 ▾' }).click()
  const [download] = await Promise.all([owner.page.waitForEvent('download'), owner.page.getByRole('menuitem', { name: 'Word（含修订与批注）' }).click()])
  await download.saveAs('/tmp/h9-export.docx')
  const zip = await JSZip.loadAsync(await fs.readFile('/tmp/h9-export.docx'))
  const xml = await zip.file('word/document.xml')!.async('string')
  const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/gu)].map(([p]) => ({
    text: [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/gu)].map((m) => m[1]).join(''),
    align: /<w:jc w:val="(\w+)"\/>/u.exec(p)?.[1] ?? null,
    indent: /<w:ind ([^/]*)\/>/u.exec(p)?.[1] ?? null,
  }))
  expect(paragraphs[0]).toMatchObject({ text: '2022年度党建工作述职', align: 'center' })
  expect(paragraphs[1]).toMatchObject({ text: '青山市财政局', align: 'center', indent: null })
  const [unitLine, dateLine] = paragraphs.slice(-2)
  // 中共青山市财政局党组 (10 characters) is the longer line: right-aligned 右空二字 (2 × 315 twips); the date
  // starts two characters after the unit's first character (8845 − 630 − 3150 + 630 twips from the left).
  expect(unitLine).toEqual({ text: '中共青山市财政局党组', align: 'right', indent: 'w:right="630"' })
  expect(dateLine).toEqual({ text: await blockText(owner.page, '.signature-date'), align: 'left', indent: `w:left="${8845 - 3150}"` })

  // The title block and the 落款 on the page, for the eye.
  await li.page.keyboard.press('Escape')
  await editor(li.page).locator('.report-signature').scrollIntoViewIfNeeded()
  await expect(editor(li.page).locator('.report-signature')).toBeInViewport()
  await li.page.screenshot({ path: '/tmp/h9-signature.png' })
  await editor(li.page).locator('.report-author').scrollIntoViewIfNeeded()
  await expect(editor(li.page).locator('.report-author')).toBeInViewport()
  await li.page.screenshot({ path: '/tmp/h9-title-block.png' })
})

test('the status chip of an assigned section stays in the editor: 页面视图 and print show the heading alone', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  await join('张三', id)
  const owner = await join('管理员', id, 'owner')
  await assign(owner.page, ONE, '张三')
  await expect(editor(owner.page).getByTestId('section-chip').first()).toContainText('起草中')
  await owner.page.getByTestId('page-view-toggle').click()
  const heading = owner.page.locator('.page-view .pv-heading', { hasText: '强化政治引领' }).first()
  await expect(heading).toHaveText(ONE)
  await expect(owner.page.locator('.page-view .section-chip')).toHaveCount(0)
  await owner.page.screenshot({ path: test.info().outputPath('page-view-assigned.png') })
})

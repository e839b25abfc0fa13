import type { Page } from '@playwright/test'
import { docxParagraphs } from './support/docx'
import { expect, test, type Fixtures } from './support/fixtures'
import { blockLines, caretBefore, caretSettled, editor, selectText, waitConnected, type Person } from './support/people'

/**
 * The leader's review, end to end, two people at once: 王局长 (审阅人) makes suggestions of every kind
 * in 建议 while 张明 (起草人) types elsewhere; 张明 then accepts (or rejects) all of 王局长's at once.
 * The result is compared line by line, exactly, on both screens, after a reload and in the .docx.
 */

const TITLE = '年度工作报告'
const DRAFT = [
  TITLE,
  '今年以来，全局上下扎实推进各项工作。',
  '一、抓好党建工作',
  '全年召开党委会十二次，研究重大事项。',
  '（一）加强理论学习',
  '坚持每月集中学习，领导干部带头讲党课。',
  '（二）推进基层建设',
  '规范支部活动，提升组织力。',
  '二、推动业务发展',
  '业务收入稳步增长，服务水平明显提升。',
  '（一）优化营商环境',
  '简化审批流程，压缩办理时限。',
  '（二）强化安全生产',
  '开展隐患排查，落实整改措施。',
  '三、加强队伍建设',
  '开展业务培训，提升干部能力。',
  '健全考核机制。',
  '四、下一步打算',
  '继续深化改革，狠抓工作落实。',
]

/** What the drafter types meanwhile, at the end of the opening paragraph. */
const DRAFTER_TYPES = '成果丰硕。'
const withDrafter = (lines: string[]) => lines.map((line) => (line === '今年以来，全局上下扎实推进各项工作。' ? line + DRAFTER_TYPES : line))

/** The draft with every suggestion of the leader accepted: what the same edits give in 编辑 mode. */
const ACCEPTED = withDrafter([
  TITLE,
  '今年以来，全局上下扎实推进各项工作。',
  '一、抓好党建工作',
  '全年召开党委会十五次，认真研究重大事项。',
  '（一）加强理论学习',
  '坚持每月集中学习，',
  '领导干部带头讲党课。',
  '二、推进基层建设',
  '规范支部活动，切实提升组织力。',
  '三、推动业务发展',
  '业务收入增长，服务水平显著提升。',
  '（一）强化安全生产',
  '开展隐患排查，落实整改措施。',
  '（二）优化营商环境',
  '简化审批流程，压缩办理时限。',
  '四、加强队伍建设',
  '开展业务培训，提升干部能力。健全考核机制。',
  '五、加强组织保障',
  '六、下一步打算',
  '深化改革，狠抓工作落实。',
])
const REJECTED = withDrafter(DRAFT)

async function setMode(page: Page, mode: '编辑' | '建议' | '查看'): Promise<void> {
  await page.getByTestId('mode-switcher').getByRole('button', { name: mode, exact: true }).click()
}

const cards = (page: Page) => page.getByTestId('suggestion-card')

/** The leader's suggestions, one of each kind and more, each waited for on the leader's own pane. */
async function leaderSuggests(leader: Person): Promise<number> {
  const page = leader.page
  let made = 0
  const step = async (action: () => Promise<void>, suggestions = 1) => {
    await action()
    made += suggestions
    await expect(cards(page)).toHaveCount(made)
  }
  // Text: insert, replace, paragraph split, delete, replace, insert, delete, paragraph join.
  await step(async () => {
    await caretBefore(page, '研究重大事项')
    await page.keyboard.type('认真')
  })
  await step(async () => {
    await selectText(page, '十二')
    await page.keyboard.type('十五')
  })
  await step(async () => {
    await caretBefore(page, '领导干部带头')
    await page.keyboard.press('Enter')
  })
  await step(async () => {
    await selectText(page, '稳步')
    await page.keyboard.press('Backspace')
  })
  await step(async () => {
    await selectText(page, '明显')
    await page.keyboard.type('显著')
  })
  await step(async () => {
    await caretBefore(page, '提升组织力')
    await page.keyboard.type('切实')
  })
  await step(async () => {
    await selectText(page, '继续')
    await page.keyboard.press('Delete')
  })
  await step(async () => {
    await caretBefore(page, '健全考核机制')
    await page.keyboard.press('Backspace')
  })
  // Format: bold from the toolbar.
  await step(async () => {
    await selectText(page, '狠抓工作落实')
    await page.getByRole('button', { name: '加粗' }).click()
  })
  // Structure: promote a level-2 section, move one up, add a new section and type its title.
  await step(async () => {
    await caretBefore(page, '推进基层建设')
    await page.keyboard.press('Shift+Tab')
  })
  await step(async () => {
    await caretBefore(page, '强化安全生产')
    await page.keyboard.press('Alt+Shift+ArrowUp')
  })
  await step(async () => {
    await caretBefore(page, '提升干部能力')
    await page.keyboard.press('Control+Enter')
    await page.keyboard.type('加强组织保障')
    // Two cards: the new section, and its title typed as an insertion.
  }, 2)
  return made
}

/** The drafter types at the end of the opening paragraph, slowly, while the leader works. */
async function drafterTypes(drafter: Person): Promise<void> {
  await caretBefore(drafter.page, '全局上下')
  await drafter.page.keyboard.press('End')
  await caretSettled(drafter.page)
  await drafter.page.keyboard.type(DRAFTER_TYPES, { delay: 120 })
}

async function reviewSession({ server, join }: Pick<Fixtures, 'server' | 'join'>) {
  const { id } = await server.api<{ id: string }>('POST', '/api/documents', { title: TITLE, text: DRAFT.join('\n') })
  const [leader, drafter] = await Promise.all([join('王局长', id, 'reviewer'), join('张明', id)])
  // The draft as imported, on both screens.
  for (const person of [leader, drafter]) await expect.poll(() => blockLines(person.page)).toEqual(DRAFT)
  await setMode(leader.page, '建议')
  await leader.page.getByTestId('review-tab').click()
  await drafter.page.getByTestId('review-tab').click()

  const [made] = await Promise.all([leaderSuggests(leader), drafterTypes(drafter)])
  expect(made).toBeGreaterThanOrEqual(8)
  await expect(cards(drafter.page)).toHaveCount(made)
  // Each kind is in the drafter's pane, in words where it is not text.
  const pane = drafter.page.getByTestId('review-panel')
  await expect(pane.getByTestId('change-words')).toHaveText(['升为一级', '上移章节', '新增章节', '格式：加粗'])
  // On the page a bold suggestion shows the words once, bold, not struck out and repeated.
  await expect(editor(drafter.page).locator('del.suggestion', { hasText: '狠抓工作落实' })).toBeHidden()
  await expect(editor(drafter.page).locator('ins.suggestion strong, strong ins.suggestion', { hasText: '狠抓工作落实' })).toBeVisible()
  // Cards read as the text stands: the words around each change, other pending insertions left out.
  const replacement = cards(drafter.page).filter({ hasText: '十二→十五' })
  await expect(replacement).toContainText('全年召开党委会十二→十五次，研究重大事项。')
  await expect(replacement.getByTestId('suggestion-place')).toHaveText('一、 抓好党建工作')
  await expect(cards(drafter.page).filter({ hasText: '插入' }).first()).toContainText('全年召开党委会十二次，认真研究重大事项。')
  await expect(cards(drafter.page).filter({ hasText: '分段' })).toContainText('一（一） 加强理论学习')
  await expect(cards(drafter.page).filter({ hasText: '合并段落' })).toContainText('三、 加强队伍建设')
  return { id, leader, drafter, made }
}

async function expectEverywhere(expected: string[], { leader, drafter }: { leader: Person; drafter: Person }) {
  for (const person of [leader, drafter]) {
    await expect(cards(person.page)).toHaveCount(0)
    await expect.poll(() => blockLines(person.page)).toEqual(expected)
  }
  for (const person of [leader, drafter]) {
    await person.page.reload()
    await waitConnected(person.page)
    await expect.poll(() => blockLines(person.page)).toEqual(expected)
  }
  // The exported Word file has the same text, paragraph by paragraph.
  await drafter.page.getByRole('button', { name: '下载 ▾' }).click()
  const [download] = await Promise.all([drafter.page.waitForEvent('download'), drafter.page.getByRole('menuitem', { name: 'Word（含修订与批注）' }).click()])
  return docxParagraphs(download)
}

test('the drafter accepts all of the leader\'s suggestions of every kind: the text is exactly the edited text, everywhere', async ({ server, join }) => {
  test.slow()
  const session = await reviewSession({ server, join })
  await session.drafter.page.screenshot({ path: '/tmp/shots/review-session-pane.png' })
  // A structural suggestion as the drafter sees it on the page and in the pane.
  await session.drafter.page.getByTestId('suggestion-card').filter({ hasText: '上移章节' }).locator('.review-card__body').click()
  await session.drafter.page.screenshot({ path: '/tmp/shots/structural-suggestion.png' })
  await session.drafter.page.getByRole('button', { name: '王局长', exact: true }).click()
  await session.drafter.page.getByRole('button', { name: '接受王局长的全部修订' }).click()
  const docx = await expectEverywhere(ACCEPTED, session)
  expect(docx.map((paragraph) => paragraph.text).filter(Boolean)).toEqual(ACCEPTED)
  expect(docx.find((paragraph) => paragraph.text.endsWith('狠抓工作落实。'))?.bold).toEqual(['狠抓工作落实'])
  await expect(editor(session.leader.page).locator('strong', { hasText: '狠抓工作落实' })).toHaveCount(1)
})

test('rejecting all of the leader\'s suggestions restores the original exactly, with the drafter\'s typing kept', async ({ server, join }) => {
  test.slow()
  const session = await reviewSession({ server, join })
  await session.drafter.page.getByRole('button', { name: '王局长', exact: true }).click()
  await session.drafter.page.getByRole('button', { name: '拒绝王局长的全部修订' }).click()
  const docx = await expectEverywhere(REJECTED, session)
  expect(docx.map((paragraph) => paragraph.text).filter(Boolean)).toEqual(REJECTED)
  expect(docx.flatMap((paragraph) => paragraph.bold).filter((text) => text.includes('狠抓'))).toEqual([])
  await expect(editor(session.leader.page).locator('strong')).toHaveCount(0)
})

import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { editor } from './support/people'
import { expect, test } from './support/fixtures'

/**
 * 统计数据征集 end to end: a drafter exports the sheet, a department fills it (a script, through exceljs),
 * the drafter imports it, everyone sees the figures filled live, the leader verifies, the submission
 * check and the Word export reflect it.
 */

/** What the 综合科 writes into the sheet, found by the sentence in the 上下文 column, as a person would. */
const DEPARTMENT_VALUES: [context: string, value: string | number][] = [
  ['主持局委会【*】次', 12], // someone fills this one in the report first, with 11: refused
  ['集中学习【*】次', 10],
  ['交流发言【**】余人次', 30],
  ['组织【**】名优秀党员', 20],
  ['新发展党员【**】名', 5],
  ['六个方面【*】个表现', 6],
  ['服务意识等【*】个方面', 6],
  ['个方面【*】条问题', 15],
  ['制定【*】条整改措施', 20],
  ['制度规定【*】项', 8],
  ['修订完善【*】项', 4],
  ['落实市委【*】书记', '王'],
  ['中央党校【***】教授', '张3'], // a name with a digit: refused
]

async function fillLikeADepartment(path: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.readFile(path)
  for (const sheet of workbook.worksheets) {
    const headings = (sheet.getRow(1).values as unknown[]).map(String)
    const column = (name: string) => headings.indexOf(name)
    sheet.eachRow((row, number) => {
      if (number === 1) return
      const sentence = String(row.getCell(column('上下文')).value)
      const entry = DEPARTMENT_VALUES.find(([context]) => sentence.includes(context))
      if (!entry) return
      row.getCell(column('数值')).value = entry[1]
      row.getCell(column('数据来源')).value = '局办公室会议台账'
      row.getCell(column('负责部门或人员')).value = '综合科 刘洋'
    })
  }
  // A row for a figure that is not in this report (copied from another sheet).
  workbook.worksheets[0].addRow(['ph-not-in-this-report', '一', '全年开展调研【*】次', '数量', '次', 3])
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

test('征集表: export, a department fills it, import with rejected rows, live counts, 核实, check and Word', async ({ server, join }, testInfo) => {
  test.setTimeout(120_000)
  const id = await server.sampleDocumentId()
  const drafter = await join('张明', id)
  const owner = await join('管理员', id, 'owner')
  const leader = await join('王局长', id, 'reviewer')
  for (const person of [drafter, owner, leader]) await expect(person.page.getByTestId('unfilled-count')).toHaveText('20')

  // 1. The drafter exports the sheet: offline, told so; back online, it downloads.
  await drafter.context.setOffline(true)
  await drafter.page.getByRole('button', { name: '导出征集表' }).click()
  await expect(drafter.page.getByText('导出征集表失败：无法连接服务器，请检查网络后重试。')).toBeInViewport()
  await drafter.page.screenshot({ path: testInfo.outputPath('export-sheet-offline.png') })
  await drafter.context.setOffline(false)
  const [download] = await Promise.all([drafter.page.waitForEvent('download'), drafter.page.getByRole('button', { name: '导出征集表' }).click()])
  expect(download.suggestedFilename()).toMatch(/统计数据征集表\.xlsx$/)
  const exported = testInfo.outputPath('exported.xlsx')
  await download.saveAs(exported)

  // Meanwhile the owner fills one figure from the sidebar.
  const entry = owner.page.getByTestId('placeholder-entry').filter({ hasText: '主持局委会' })
  await entry.getByRole('textbox').fill('11')
  await entry.getByRole('textbox').press('Enter')
  await expect(drafter.page.getByTestId('unfilled-count')).toHaveText('19')

  // 2. The department fills it; 3. the drafter imports it.
  const filled = testInfo.outputPath('filled.xlsx')
  await import('node:fs/promises').then((fs) => fillLikeADepartment(exported).then((data) => fs.writeFile(filled, data)))
  await drafter.page.getByTestId('import-file').setInputFiles(filled)
  const dialog = drafter.page.getByTestId('figure-import-dialog')
  await expect(dialog).toBeInViewport()
  await expect(dialog.getByTestId('import-applied')).toHaveText('已填入 11 个数字（作为一次修改，可整体撤销）')
  await expect(dialog.getByTestId('rejected-row')).toHaveCount(3)
  await expect(dialog.getByTestId('rejected-row').filter({ hasText: '主持局委会' }).or(dialog.getByTestId('rejected-row').filter({ hasText: '文稿中已填为“11”' }))).toContainText('文稿中已填为“11”（管理员），与表中不同')
  await expect(dialog.getByTestId('rejected-row').filter({ hasText: '张3' })).toContainText('此处应为名称，不应含数字')
  await expect(dialog.getByTestId('rejected-row').filter({ hasText: '没有这个编号' })).toHaveCount(1)
  await expect(dialog.getByRole('button', { name: '关闭' })).toBeInViewport()
  await drafter.page.screenshot({ path: '/tmp/figures-import-dialog.png' })
  await dialog.getByRole('button', { name: '关闭' }).click()
  await expect(dialog).toHaveCount(0)

  // The count drops live on the others' screens: 20 − 1 − 11.
  await expect(owner.page.getByTestId('unfilled-count')).toHaveText('8')
  await expect(leader.page.getByTestId('unfilled-count')).toHaveText('8')
  await expect(editor(leader.page)).toContainText('集中学习10次')

  // 4. The leader looks at what was filled, with its source, and verifies two figures.
  await leader.page.getByTestId('status-unverified').click()
  await expect(leader.page.getByTestId('status-count-unverified')).toHaveText('12')
  const study = leader.page.getByTestId('placeholder-entry').filter({ hasText: '集中学习' })
  await expect(study.getByTestId('figure-source')).toContainText('局办公室会议台账')
  await expect(study.getByTestId('figure-source')).toContainText('综合科 刘洋')
  await expect(study).toContainText('张明 填写于')
  await study.getByRole('button', { name: '核实' }).click()
  await leader.page.getByTestId('placeholder-entry').filter({ hasText: '新发展党员' }).getByRole('button', { name: '核实' }).click()
  await expect(leader.page.getByTestId('status-count-verified')).toHaveText('2')
  await expect(owner.page.getByTestId('status-count-unverified')).toHaveText('10')
  await leader.page.getByTestId('status-verified').click()
  await expect(leader.page.getByTestId('placeholder-entry')).toHaveCount(2)
  await expect(leader.page.getByTestId('placeholder-entry').first()).toContainText('王局长 核实于')
  await leader.page.screenshot({ path: '/tmp/figures-sidebar-verified.png' })
  await leader.page.getByTestId('status-unverified').click()
  await leader.page.screenshot({ path: '/tmp/figures-sidebar-unverified.png' })

  // Hovering a filled figure in the text shows where it came from.
  await editor(owner.page).locator('[data-placeholder-id]', { hasText: '10' }).first().hover()
  await expect(owner.page.getByTestId('figure-hover')).toContainText('局办公室会议台账')
  await expect(owner.page.getByTestId('figure-hover')).toContainText('已核实')
  await expect(owner.page.getByTestId('figure-hover')).toBeInViewport()
  await owner.page.screenshot({ path: '/tmp/figures-hover.png' })

  // A value that does not fit its kind is filled but flagged where it was typed, and in the text.
  const professor = owner.page.getByTestId('placeholder-entry').filter({ hasText: '中央党校' })
  await professor.getByRole('textbox').fill('张3')
  await professor.getByRole('textbox').press('Enter')
  await expect(owner.page.getByTestId('figure-notice')).toContainText('已填入，但请核对：此处应为名称，不应含数字')
  await expect(owner.page.getByTestId('figure-notice')).toBeInViewport()
  await owner.page.mouse.move(5, 5)
  await expect(editor(owner.page).locator('.placeholder--problem', { hasText: '张3' })).toHaveCount(1)
  await expect(leader.page.getByTestId('placeholder-entry').filter({ hasText: '中央党校' }).getByTestId('figure-problem')).toContainText('此处应为名称')
  await owner.page.screenshot({ path: '/tmp/figures-flagged.png' })

  // 5. The submission check lists the 11 unverified figures (a warning: the owner did not make it blocking).
  await owner.page.getByRole('button', { name: '提交' }).click()
  const check = owner.page.getByTestId('submit-dialog')
  await expect(check.getByTestId('check-unverified')).toContainText('未核实数字（11）')
  await expect(check.getByTestId('check-summary')).toContainText('7')
  await check.getByRole('button', { name: '取消' }).click()

  // 6. The Word file has the values, without marks; only the 7 unfilled figures stay highlighted.
  const response = await owner.context.request.get(`/api/documents/${id}/export.docx?mode=as-is`)
  expect(response.ok()).toBe(true)
  const xml = await (await JSZip.loadAsync(await response.body())).file('word/document.xml')!.async('string')
  const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((match) => match[1]).join('')
  for (const phrase of ['全年主持局委会11次', '集中学习10次', '交流发言30余人次', '落实市委王书记', '修订完善4项']) expect(text).toContain(phrase)
  expect(xml.match(/<w:highlight w:val="yellow"\/>/g)).toHaveLength(7)
})

test('two people filling the same figure: the first value wins and the other is told; a viewer cannot fill', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const [drafter, owner, viewer] = await Promise.all([join('张明', id), join('管理员', id, 'owner'), join('赵丽', id, 'viewer')])
  const meetings = (person: typeof drafter) => person.page.getByTestId('placeholder-entry').filter({ hasText: '主持局委会' })

  // 张明 is typing 15 when 管理员 fills 12 first.
  await meetings(drafter).getByRole('textbox').fill('15')
  await meetings(owner).getByRole('textbox').fill('12')
  await meetings(owner).getByRole('textbox').press('Enter')
  await expect(drafter.page.getByTestId('figure-notice')).toHaveText('管理员已将此处填为“12”，您的数值未填入')
  await expect(drafter.page.getByTestId('figure-notice')).toBeInViewport()
  await expect(editor(drafter.page)).toContainText('全年主持局委会12次')
  await expect(meetings(drafter)).toHaveCount(0)

  // A viewer sees the figures but has nothing to fill them with.
  await expect(viewer.page.getByTestId('placeholder-entry').first()).toBeVisible()
  await expect(viewer.page.getByTestId('placeholder-panel').getByRole('textbox')).toHaveCount(0)
  await expect(viewer.page.getByRole('button', { name: '导入征集表' })).toHaveCount(0)
})

test('the owner\'s 提交前所有数字须经核实 shows as stored, at once and after a reload, without fetching every figure', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const owner = await join('管理员', id, 'owner')
  const figureRequests: string[] = []
  owner.page.on('request', (request) => {
    if (new URL(request.url()).pathname === `/api/documents/${id}/figures`) figureRequests.push(request.method())
  })
  const requireVerified = owner.page.getByRole('checkbox', { name: '提交前所有数字须经核实' })
  await expect(requireVerified).not.toBeChecked()
  // Checked once the server has stored it (the box follows the PUT's answer).
  await requireVerified.click()
  await expect(requireVerified).toBeChecked()
  await expect.poll(async () => (await server.api<{ requireVerifiedFigures?: boolean }>('GET', `/api/documents/${id}`)).requireVerifiedFigures).toBe(true)
  await owner.page.reload()
  await expect(owner.page.getByTestId('unfilled-count')).toHaveText('20')
  await expect(requireVerified).toBeChecked()
  // The submission check reads the stored flag; the sidebar opened twice without asking for the figures list.
  expect(figureRequests).toEqual([])
})

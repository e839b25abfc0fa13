import fs from 'node:fs/promises'
import path from 'node:path'
import type { Page } from '@playwright/test'
import { ADMIN_PASSWORD } from './support/server'
import { editor, waitConnected } from './support/people'
import { expect, test } from './support/fixtures'

/** Records every Content-Security-Policy violation the page reports, from the first script on. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = []
  page.on('console', (message) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) console.push(message.text())
  })
  await page.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { __cspViolations: string[] }).__cspViolations = seen
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`))
  })
  return async () => [...console, ...(await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []))]
}

test('the built client runs under the Content-Security-Policy: sign-in, list, editor, sync, panels, admin page', async ({ server, browser }) => {
  const id = await server.sampleDocumentId()
  const context = await browser.newContext({ baseURL: server.url })
  const page = await context.newPage()
  const violations = await watchCsp(page)

  const response = await page.goto('/')
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'")
  await page.getByLabel('用户名').fill('admin')
  await page.getByLabel('密码').fill(ADMIN_PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page.getByText('2022年度党建工作述职').first()).toBeVisible()

  await page.goto(`/d/${id}`)
  await waitConnected(page)
  await editor(page).locator('p').first().click()
  await page.keyboard.type('内容安全策略')
  await expect(editor(page)).toContainText('内容安全策略')
  // A second person's caret (inline styles from the collaboration caret) and the side panels.
  const other = await browser.newContext({ baseURL: server.url })
  const account = await server.share(id, '第二人', 'drafter')
  await other.request.post('/api/login', { data: { username: account.username, password: account.password } })
  const otherPage = await other.newPage()
  await otherPage.goto(`/d/${id}`)
  await waitConnected(otherPage)
  await otherPage.keyboard.type('另一位')
  await page.screenshot({ path: '/tmp/huigao-csp-editor.png' })

  await page.goto('/admin')
  await page.waitForLoadState('networkidle')
  expect(await violations()).toEqual([])
  await other.close()
  await context.close()
})

test('signed out in another tab, or disabled by an administrator: the open editor says so in Chinese and stops', async ({ server, open }) => {
  const id = await server.sampleDocumentId()
  await server.share(id, '张明', 'drafter')
  await server.share(id, '李华', 'drafter')
  const zhang = await open('张明', `/d/${id}`)
  const li = await open('李华', `/d/${id}`)
  await waitConnected(zhang.page)
  await waitConnected(li.page)

  // 张明 signs out in another tab of the same browser.
  await zhang.context.request.post('/api/logout')
  await expect(zhang.page.getByRole('alert')).toHaveText(/已退出登录，请重新登录。/)
  await expect(editor(zhang.page)).toHaveCount(0)
  await zhang.page.screenshot({ path: '/tmp/huigao-signed-out.png' })
  await zhang.page.getByRole('alert').getByRole('button', { name: '登录' }).click()
  await expect(zhang.page.getByLabel('用户名')).toBeVisible()

  const account = await server.account('李华')
  await server.api('PATCH', `/api/users/${account.username}`, { disabled: true })
  await expect(li.page.getByRole('alert')).toHaveText(/账户已停用，请联系管理员。/)
  await li.page.screenshot({ path: '/tmp/huigao-disabled.png' })
})

test('a document whose stored file is damaged is refused with a Chinese message, never shown empty', async ({ server, browser }) => {
  const id = await server.sampleDocumentId()
  await server.stop()
  const file = path.join(server.dataDir, 'documents', `${id}.state`)
  const data = await fs.readFile(file)
  data[data.length - 3] ^= 0x40
  await fs.writeFile(file, data)
  await server.spawn()

  const context = await browser.newContext({ baseURL: server.url })
  await context.request.post('/api/login', { data: { username: 'admin', password: ADMIN_PASSWORD } })
  const page = await context.newPage()
  await page.goto(`/d/${id}`)
  await expect(page.getByRole('alert')).toHaveText('文档暂时无法打开（服务器无法读取其存储文件）。请联系管理员。')
  await expect(editor(page)).toHaveCount(0)
  await page.screenshot({ path: '/tmp/huigao-damaged.png' })
  // The file is kept as it was.
  expect(await fs.readFile(file)).toEqual(data)
  await context.close()
})

import type { Page } from '@playwright/test'
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
  await page.getByLabel('密码').fill((await import('./support/server')).ADMIN_PASSWORD)
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

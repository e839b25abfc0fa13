import { ADMIN_PASSWORD } from './support/server'
import { documentText, editor, selectText, waitConnected } from './support/people'
import { expect, test } from './support/fixtures'

test('a signed-out visitor is sent to the sign-in page and back to the document after signing in', async ({ server, browser }) => {
  const id = await server.sampleDocumentId()
  const context = await browser.newContext({ baseURL: server.url })
  const page = await context.newPage()
  await page.goto(`/d/${id}`)
  await expect(page).toHaveURL(/\/login$/)
  await page.getByLabel('用户名').fill('admin')
  await page.getByLabel('密码').fill('wrong password')
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page.getByRole('alert')).toHaveText('登录失败：用户名或密码错误。')
  await page.getByLabel('密码').fill(ADMIN_PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  await expect(page).toHaveURL(new RegExp(`/d/${id}$`))
  await waitConnected(page)
  await expect(page.getByTestId('user-menu')).toContainText('管理员')

  await page.getByRole('button', { name: '退出登录' }).click()
  await expect(page).toHaveURL(/\/login$/)
  await page.goto('/')
  await expect(page).toHaveURL(/\/login$/)
  await context.close()
})

test('drafter, reviewer and viewer: edits, suggestions, read-only', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const drafter = await join('张明', id, 'drafter')
  const reviewer = await join('王局长', id, 'reviewer')
  const viewer = await join('李科员', id, 'viewer')

  await expect(reviewer.page.getByTestId('my-role')).toHaveText('审阅人')
  // A reviewer has no 编辑 mode at all; a viewer only 查看.
  await expect(reviewer.page.getByTestId('mode-switcher').getByRole('button', { name: '编辑' })).toHaveCount(0)
  await expect(viewer.page.getByTestId('mode-switcher').getByRole('button')).toHaveText(['查看'])

  await selectText(reviewer.page, '左右')
  await reviewer.page.keyboard.type('作为')
  await expect(editor(drafter.page).locator('ins.suggestion', { hasText: '作为' })).toHaveAttribute('data-author-name', '王局长')
  await expect(editor(drafter.page).locator('del.suggestion', { hasText: '左右' })).toHaveCount(1)

  // The viewer cannot change a character.
  await expect(editor(viewer.page)).toHaveAttribute('contenteditable', 'false')
  const before = await documentText(drafter.page)
  await editor(viewer.page).locator('p').first().click()
  await viewer.page.keyboard.type('不应出现')
  await viewer.page.waitForTimeout(500)
  expect(await documentText(drafter.page)).toBe(before)
  expect(await documentText(viewer.page)).not.toContain('不应出现')

  // Presence names come from the accounts.
  await expect(drafter.page.getByTestId('presence')).toContainText('王局长')
  await expect(drafter.page.getByTestId('presence')).toContainText('李科员')
})

test('the owner shares a document from the list; a person without a share cannot open it', async ({ server, open }) => {
  const colleague = await server.account('李华')
  const owner = await open('张明')
  await owner.page.getByRole('button', { name: '新建文稿' }).click()
  await owner.page.getByLabel('标题').fill('共享测试')
  await owner.page.getByRole('button', { name: '创建' }).click()
  await waitConnected(owner.page)
  const id = owner.page.url().split('/d/')[1]

  const outsider = await open('李华', `/d/${id}`)
  await expect(outsider.page.getByRole('alert')).toContainText('没有此文档的访问权限')

  await owner.page.goto('/')
  await owner.page.getByTestId('document-row').filter({ hasText: '共享测试' }).getByRole('button', { name: '共享' }).click()
  const dialog = owner.page.getByTestId('share-dialog')
  await dialog.getByLabel('同事').selectOption(colleague.username)
  await dialog.getByLabel('角色', { exact: true }).selectOption('reviewer')
  await dialog.getByRole('button', { name: '添加' }).click()
  await expect(dialog.getByTestId('member-row')).toHaveCount(2)

  await outsider.page.reload()
  await waitConnected(outsider.page)
  await expect(outsider.page.getByTestId('my-role')).toHaveText('审阅人')
})

test('the administrator creates an account that can then sign in', async ({ server, browser }) => {
  const context = await browser.newContext({ baseURL: server.url })
  await context.request.post('/api/login', { data: { username: 'admin', password: ADMIN_PASSWORD } })
  const page = await context.newPage()
  await page.goto('/admin')
  const form = page.getByTestId('create-user')
  await form.getByLabel('用户名').fill('zhaoliu')
  await form.getByLabel('姓名').fill('赵六')
  await form.getByLabel('初始密码（至少 8 位）').fill('zhaoliu-password')
  await form.getByRole('button', { name: '新建账户' }).click()
  await expect(page.getByTestId('user-row').filter({ hasText: '赵六' })).toHaveCount(1)
  // The same username again: refused, and said in Chinese (the server's English text is for its log).
  await form.getByLabel('用户名').fill('zhaoliu')
  await form.getByLabel('姓名').fill('另一个赵六')
  await form.getByLabel('初始密码（至少 8 位）').fill('zhaoliu-password')
  await form.getByRole('button', { name: '新建账户' }).click()
  await expect(form.getByText('该用户名已被使用，请换一个。')).toBeInViewport()
  await page.screenshot({ path: test.info().outputPath('username-taken.png') })
  await context.close()

  const fresh = await browser.newContext({ baseURL: server.url })
  const login = await fresh.newPage()
  await login.goto('/login')
  await login.getByLabel('用户名').fill('zhaoliu')
  await login.getByLabel('密码').fill('zhaoliu-password')
  await login.getByRole('button', { name: '登录' }).click()
  await expect(login.getByTestId('user-menu')).toContainText('赵六')
  await fresh.close()
})

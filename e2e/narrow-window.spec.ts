import { expect, test } from './support/fixtures'
import { characterEdge, documentText, editor, waitConnected } from './support/people'

test('in a 1024 × 700 window the sheet fits beside the side panel, and clicking, typing and hovering land where they show', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const a = await join('张明', id)
  await a.page.setViewportSize({ width: 1024, height: 700 })
  await waitConnected(a.page)
  const sheet = a.page.locator('article.page')
  const panel = a.page.locator('aside.side-panel')
  // Scaled to the room there is, not cut by the panel: the sheet ends before the panel begins.
  await expect.poll(async () => (await sheet.boundingBox())!.width).toBeLessThan(700)
  const [sheetBox, panelBox] = [(await sheet.boundingBox())!, (await panel.boundingBox())!]
  expect(sheetBox.x + sheetBox.width).toBeLessThanOrEqual(panelBox.x)
  expect(sheetBox.x).toBeGreaterThanOrEqual(0)
  // A line still holds its 28 characters: the opening paragraph's first line ends with 党员.
  const paragraph = editor(a.page).locator('p').first()
  const lineEnd = (await characterEdge(a.page, '党员干部', 1))!
  const lineStart = (await characterEdge(a.page, '干部职工', 0))!
  expect(lineStart.y).toBeGreaterThan(lineEnd.y)
  expect(lineEnd.x).toBeLessThan(panelBox.x)
  await a.page.screenshot({ path: '/tmp/shots/narrow-window.png' })

  // A click goes before the character clicked, and typing lands there.
  const point = (await characterEdge(a.page, '坚强领导', 0))!
  await a.page.mouse.click(point.x + 1, point.y)
  await a.page.keyboard.type('最')
  await expect.poll(() => paragraph.textContent()).toContain('在市委的最坚强领导下')

  // The figure's card opens under the figure hovered.
  const figure = editor(a.page).locator('[data-placeholder-id]').first()
  await figure.hover()
  const hover = a.page.getByTestId('figure-hover')
  await expect(hover).toBeInViewport()
  const [figureBox, hoverBox] = [(await figure.boundingBox())!, (await hover.boundingBox())!]
  expect(hoverBox.y - (figureBox.y + figureBox.height)).toBeGreaterThanOrEqual(0)
  expect(hoverBox.y - (figureBox.y + figureBox.height)).toBeLessThan(20)

  // The outline, hidden beside so narrow a page, opens as a drawer from the tab at the page's edge; choosing
  // a section shows it and closes the drawer.
  const outline = a.page.getByTestId('outline')
  await expect(outline).toBeHidden()
  await a.page.getByTestId('outline-toggle').click()
  await expect(outline).toBeInViewport()
  await a.page.screenshot({ path: '/tmp/shots/narrow-window-outline.png' })
  await a.page.keyboard.press('Escape')
  await expect(outline).toBeHidden()
  await a.page.getByTestId('outline-toggle').click()
  await expect(outline).toBeInViewport()
  await outline.getByTestId('outline-item').filter({ hasText: '四、全面从严治党' }).click()
  await expect(outline).toBeHidden()
  await expect(editor(a.page).locator('.section-title', { hasText: '全面从严治党' })).toBeInViewport()

  // A wide window shows the sheet at its real size again, and the outline beside it.
  await a.page.setViewportSize({ width: 1600, height: 900 })
  await expect.poll(async () => Math.round((await sheet.boundingBox())!.width)).toBe(794)
  expect(await documentText(a.page)).toContain('最坚强领导')
  await expect(outline).toBeVisible()
  await expect(a.page.getByTestId('outline-toggle')).toBeHidden()
})

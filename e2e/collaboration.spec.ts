import type { Page } from '@playwright/test'
import { expect, test } from './support/fixtures'
import { blockText, caretIn, documentText, editor, waitConnected } from './support/people'

const TITLE = '2022年度党建工作述职'

/** The report title's text as the editor's document holds it (not the screen). */
const titleInDocument = (page: Page) =>
  page.getByTestId('editor').evaluate((root) => (root as HTMLElement & { editor: { state: { doc: { firstChild: { textContent: string } } } } }).editor.state.doc.firstChild.textContent)

/** True when `part`'s characters occur in `whole` in their order. */
function inOrder(whole: string, part: string): boolean {
  let at = 0
  for (const char of whole) if (char === part[at]) at++
  return at === part.length
}

test('two people typing in the same line at once end with identical text', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const [a, b] = await Promise.all([join('张明', id), join('李华', id)])
  await caretIn(a.page, TITLE, 'end')
  await caretIn(b.page, TITLE, 'start')
  await Promise.all([a.page.keyboard.type('（征求意见稿）', { delay: 40 }), b.page.keyboard.type('关于', { delay: 40 })])

  const expected = `关于${TITLE}（征求意见稿）`
  await expect.poll(() => blockText(a.page)).toBe(expected)
  await expect.poll(() => blockText(b.page)).toBe(expected)
  expect(await documentText(a.page)).toBe(await documentText(b.page))
})

test('two people typing into the same words at once, with key presses and input-method commits, lose no character', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const [a, b] = await Promise.all([join('张明', id), join('李华', id)])
  await caretIn(a.page, TITLE, 'end')
  await caretIn(b.page, TITLE, 'end')
  const typedByA = 'abcdefghijklmnopqrstuvwxyzabcdefghijklmn'
  const typedByB = '0123456789012345678901234567890123456789'
  // Both type into the same text at the same place, changes crossing within a frame; A also commits Chinese words.
  await Promise.all([
    a.page.keyboard.type(typedByA, { delay: 15 }),
    b.page.keyboard.type(typedByB, { delay: 17 }),
    (async () => {
      for (const word of ['一', '二', '三', '四', '五']) {
        await a.page.keyboard.insertText(word)
        await a.page.waitForTimeout(23)
      }
    })(),
  ])
  const length = TITLE.length + typedByA.length + typedByB.length + 5
  await expect.poll(() => titleInDocument(a.page).then((text) => text.length), { timeout: 15_000 }).toBe(length)
  await expect.poll(() => titleInDocument(b.page)).toBe(await titleInDocument(a.page))
  const text = await titleInDocument(a.page)
  expect(text.startsWith(TITLE)).toBe(true)
  // Each person's characters in the order they typed them.
  for (const typed of [typedByA, typedByB, '一二三四五']) expect(inOrder(text, typed)).toBe(true)
  // What each person sees is what the document holds.
  expect(await blockText(a.page)).toBe(text)
  expect(await blockText(b.page)).toBe(text)
})

test('a reload shows what was typed', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const a = await join('张明', id)
  await caretIn(a.page, TITLE, 'end')
  await a.page.keyboard.type('（修改稿）')
  await a.page.reload()
  await waitConnected(a.page)
  await expect.poll(() => blockText(a.page)).toBe(`${TITLE}（修改稿）`)
})

test('a person joining late sees everything, with presence and named carets', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const a = await join('张明', id)
  const b = await join('李华', id)
  await caretIn(a.page, TITLE, 'end')
  await a.page.keyboard.type('（一稿）')
  await caretIn(b.page, TITLE, 'start')
  await b.page.keyboard.type('附：')

  const c = await join('王芳', id)
  await expect.poll(() => blockText(c.page)).toBe(`附：${TITLE}（一稿）`)
  await expect(editor(c.page)).toContainText('现将一年来工作情况汇报如下')

  // Presence: everyone sees all three names; carets of the others carry their names.
  for (const person of [a, b, c]) {
    for (const name of ['张明', '李华', '王芳']) {
      await expect(person.page.getByTestId('presence')).toContainText(name)
    }
  }
  await expect(c.page.locator('.collab-caret__label', { hasText: '张明' })).toBeVisible()
  await expect(c.page.locator('.collab-caret__label', { hasText: '李华' })).toBeVisible()
  await expect(a.page.locator('.collab-caret__label', { hasText: '李华' })).toBeVisible()
  await a.page.screenshot({ path: test.info().outputPath('two-carets.png') })

  // Leaving removes the person from the others' presence bar.
  await b.context.close()
  await expect(a.page.getByTestId('presence')).not.toContainText('李华')
})

test('a person reading while another types sends nothing back: carets are not echoed', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const [a, b] = await Promise.all([join('张明', id), join('李华', id)])
  // The first byte of a y-websocket message is its type; 1 is awareness (presence and carets).
  const sentTypes: number[] = []
  b.page.on('websocket', (socket) => socket.on('framesent', ({ payload }) => typeof payload !== 'string' && sentTypes.push(payload[0])))
  await b.page.reload()
  await waitConnected(b.page)

  await caretIn(a.page, TITLE, 'end')
  await expect(b.page.locator('.collab-caret__label', { hasText: '张明' })).toBeVisible()
  const before = sentTypes.length
  await a.page.keyboard.type('（征求意见稿）', { delay: 40 })
  await expect.poll(() => blockText(b.page)).toBe(`${TITLE}（征求意见稿）`)
  await expect(b.page.locator('.collab-caret__label', { hasText: '张明' })).toBeVisible()
  await b.page.waitForTimeout(300)
  expect(sentTypes.slice(before).filter((type) => type === 1)).toEqual([])
})

test('another person typing makes this editor measure no layout and scroll nothing', async ({ server, join }) => {
  // patches/@tiptap+y-tiptap+3.0.9.patch: y-tiptap measured the DOM selection and scrolled to the caret
  // after every remote change while the caret was on screen (forced layouts in every open editor).
  const id = await server.sampleDocumentId()
  const [a, b] = await Promise.all([join('张明', id), join('李华', id)])
  await caretIn(b.page, TITLE, 'start')
  await caretIn(a.page, TITLE, 'end')
  await b.page.evaluate(() => {
    const counts = { rangeRects: 0, scrolls: 0 }
    ;(window as unknown as { __counts: typeof counts }).__counts = counts
    for (const name of ['getClientRects', 'getBoundingClientRect'] as const) {
      const original = Range.prototype[name] as () => unknown
      ;(Range.prototype as unknown as Record<string, unknown>)[name] = function (this: Range) {
        counts.rangeRects++
        return original.call(this)
      }
    }
    document.addEventListener('scroll', () => counts.scrolls++, true)
  })
  await a.page.keyboard.type('（征求意见稿）', { delay: 40 })
  await expect.poll(() => blockText(b.page)).toBe(`${TITLE}（征求意见稿）`)
  // Two frames after the last change: the old patch scrolled in the next one.
  const counts = await b.page.evaluate(async () => {
    for (let frame = 0; frame < 2; frame++) await new Promise((resolve) => requestAnimationFrame(resolve))
    return (window as unknown as { __counts: { rangeRects: number; scrolls: number } }).__counts
  })
  expect(counts).toEqual({ rangeRects: 0, scrolls: 0 })
  // And this person's own typing still lands where the caret was.
  await b.page.keyboard.type('关于')
  await expect.poll(() => blockText(a.page)).toBe(`关于${TITLE}（征求意见稿）`)
})

test('edits made offline survive closing the tab and arrive when it is opened again', async ({ server, join }) => {
  // The browser's copy is written in batches (BatchedIndexeddbPersistence): closing the tab writes at once.
  const id = await server.sampleDocumentId()
  const a = await join('张明', id)
  await caretIn(a.page, TITLE, 'end')
  await a.context.setOffline(true)
  await expect(a.page.getByTestId('connection')).toHaveAttribute('data-status', 'offline')
  await a.page.keyboard.type('（离线草稿）')
  // Closed once the page has painted the last character, as a person sees it before closing. Closed in
  // the same instant as the last keystroke, under CI's load, the last character was once missing from
  // the copy (2026-12-03): whether it had reached the editor, or its write IndexedDB, is not known.
  await a.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))))
  // A blank tab keeps the browser context open while the document's tab is closed.
  const again = await a.context.newPage()
  await a.page.close()
  await a.context.setOffline(false)
  await again.goto(`/d/${id}`)
  await waitConnected(again)
  await expect.poll(() => blockText(again)).toBe(`${TITLE}（离线草稿）`)
  const b = await join('李华', id)
  await expect.poll(() => blockText(b.page)).toBe(`${TITLE}（离线草稿）`)
})

test('two tabs of the report in one browser show each other’s typing while offline, and everyone gets both once back', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const a = await join('张明', id)
  const tab = await a.context.newPage()
  await tab.goto(`/d/${id}`)
  await waitConnected(tab)
  await a.context.setOffline(true)
  await expect(a.page.getByTestId('connection')).toHaveAttribute('data-status', 'offline')
  await expect(tab.getByTestId('connection')).toHaveAttribute('data-status', 'offline')
  await caretIn(a.page, TITLE, 'end')
  await a.page.keyboard.type('（第一个标签）')
  await expect.poll(() => blockText(tab)).toBe(`${TITLE}（第一个标签）`)
  await caretIn(tab, TITLE, 'start')
  await tab.keyboard.type('附：')
  await expect.poll(() => blockText(a.page)).toBe(`附：${TITLE}（第一个标签）`)

  await a.context.setOffline(false)
  await waitConnected(a.page)
  await waitConnected(tab)
  const b = await join('李华', id)
  await expect.poll(() => blockText(b.page)).toBe(`附：${TITLE}（第一个标签）`)
  // Back online, the tabs reach each other through the server again.
  await caretIn(b.page, TITLE, 'end')
  await b.page.keyboard.type('。')
  await expect.poll(() => blockText(tab)).toBe(`附：${TITLE}（第一个标签）。`)
  await expect.poll(() => blockText(a.page)).toBe(`附：${TITLE}（第一个标签）。`)
})

test('a server crash (SIGKILL) and restart loses nothing typed before or during the outage', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const a = await join('张明', id)
  await caretIn(a.page, TITLE, 'end')
  await a.page.keyboard.type('——崩溃前')
  await server.crash()

  await expect(a.page.getByTestId('connection')).not.toHaveAttribute('data-status', 'connected')
  await a.page.keyboard.type('——断线中')
  await expect(a.page.getByTestId('connection')).toContainText('待同步')

  await server.spawn()
  await waitConnected(a.page)
  await expect(a.page.getByTestId('connection')).not.toContainText('待同步')

  const b = await join('李华', id)
  await expect.poll(() => blockText(b.page)).toBe(`${TITLE}——崩溃前——断线中`)

  // And it is on disk: a graceful restart with nobody connected still has it.
  await a.context.close()
  await b.context.close()
  await server.stop()
  await server.spawn()
  const c = await join('王芳', id)
  await expect.poll(() => blockText(c.page)).toBe(`${TITLE}——崩溃前——断线中`)
})

test('the document list creates, opens, renames and deletes documents', async ({ server, open }) => {
  await server.share(await server.sampleDocumentId(), '张明', 'drafter')
  const { page } = await open('张明')
  await expect(page.getByTestId('document-row')).toHaveCount(1)
  await expect(page.getByTestId('document-row')).toContainText(TITLE)

  await page.getByRole('button', { name: '新建文稿' }).click()
  await page.getByLabel('标题').fill('2023年度述职报告')
  await page.getByLabel(/正文/).fill('2023年度述职报告\n一年来，我们做了大量工作。')
  await page.getByRole('button', { name: '创建' }).click()
  await waitConnected(page)
  await expect(editor(page)).toContainText('一年来，我们做了大量工作。')
  await expect(page.getByTestId('document-title')).toHaveText('2023年度述职报告')

  await page.getByRole('link', { name: /会稿/ }).click()
  await expect(page.getByTestId('document-row')).toHaveCount(2)
  const row = page.getByTestId('document-row').filter({ hasText: '2023年度述职报告' })
  await row.getByRole('button', { name: '重命名' }).click()
  await page.getByLabel('标题').fill('2023年度述职报告（修订）')
  await page.getByRole('button', { name: '保存' }).click()
  await expect(page.getByTestId('document-row').filter({ hasText: '（修订）' })).toHaveCount(1)

  page.once('dialog', (dialog) => dialog.accept())
  await page.getByTestId('document-row').filter({ hasText: '（修订）' }).getByRole('button', { name: '删除' }).click()
  await expect(page.getByTestId('document-row')).toHaveCount(1)
  expect((await server.api<unknown[]>('GET', '/api/documents')).length).toBe(1)
})

/** Event listeners and DOM nodes the page holds once garbage is collected (Chromium's own counters). */
async function heldByPage(page: Page): Promise<{ listeners: number; nodes: number }> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('HeapProfiler.collectGarbage')
  const { metrics } = await cdp.send('Performance.getMetrics')
  await cdp.detach()
  const value = (name: string) => metrics.find((metric) => metric.name === name)?.value ?? NaN
  return { listeners: value('JSEventListeners'), nodes: value('Nodes') }
}

/** `heldByPage` once three readings a quarter second apart agree (at most 20 readings). */
async function settledHeldByPage(page: Page): Promise<{ listeners: number; nodes: number }> {
  const readings = [await heldByPage(page)]
  const key = (reading: { listeners: number; nodes: number }) => `${reading.listeners}/${reading.nodes}`
  while (readings.length < 20 && !(readings.length >= 3 && new Set(readings.slice(-3).map(key)).size === 1)) {
    await page.waitForTimeout(250)
    readings.push(await heldByPage(page))
  }
  return readings.at(-1)!
}

/**
 * A drafter goes from the report back to the list and in again all day. Every visit must leave nothing
 * behind: an editor, a socket or a listener kept from an earlier visit would keep the person in the
 * others' presence bar, apply each change once more per leftover session and grow the tab until it
 * slows down.
 */
test('going back to the list and into the report again leaves nothing behind', async ({ server, join }) => {
  const id = await server.sampleDocumentId()
  const [a, b] = await Promise.all([join('张明', id), join('李华', id)])
  await Promise.all([waitConnected(a.page), waitConnected(b.page)])
  const openSockets = new Set<string>()
  let opened = 0
  b.page.on('websocket', (socket) => {
    if (!socket.url().includes('/collab/')) return
    const key = `${++opened}`
    openSockets.add(key)
    socket.on('close', () => openSockets.delete(key))
  })
  const back = async () => {
    await b.page.getByTitle('返回文稿列表').click()
    await expect(b.page.getByTestId('document-row').first()).toBeInViewport()
    await expect(a.page.getByTestId('presence')).not.toContainText('李华')
    await expect.poll(() => openSockets.size).toBe(0)
  }
  const into = async () => {
    await b.page.getByTestId('document-row').getByRole('link', { name: TITLE }).click()
    await waitConnected(b.page)
    await expect(a.page.getByTestId('presence')).toContainText('李华')
  }
  await back()
  const baseline = await settledHeldByPage(b.page)
  for (let visit = 0; visit < 5; visit++) {
    await into()
    await back()
  }
  // A fetch or timer still pending when either count is read holds a few listeners for a moment (under CI's
  // load the baseline once held 4 more than the settled page): counts are read until they stop moving, and
  // what the five visits left must be no more than the list held before them.
  const after = await settledHeldByPage(b.page)
  expect(after.listeners).toBeLessThanOrEqual(baseline.listeners)
  expect(after.nodes).toBeLessThanOrEqual(baseline.nodes)
  expect(opened).toBe(5)

  // Back in once more, a word typed arrives once, and 张明's answer reaches 李华 once.
  await into()
  await caretIn(b.page, TITLE, 'end')
  await b.page.keyboard.type('初稿')
  await expect.poll(() => blockText(a.page)).toBe(`${TITLE}初稿`)
  await caretIn(a.page, `${TITLE}初稿`, 'end')
  await a.page.keyboard.type('（修改）')
  await expect.poll(() => blockText(b.page)).toBe(`${TITLE}初稿（修改）`)
  await expect.poll(() => blockText(a.page)).toBe(`${TITLE}初稿（修改）`)
})

test('a caret moved by a key stays moved when another person’s change arrives before the browser reports the move', async ({ server, join }) => {
  // The browser reports a caret moved by End a task later (selectionchange); a remote change drawn in
  // between made ProseMirror put the caret back, and the next keys went where it had been (a CI run typed
  // mid-title). Here the change is applied in that very gap: to this browser's Yjs copy, as the
  // connection applies another person's typing.
  const id = await server.sampleDocumentId()
  const a = await join('张明', id)
  await caretIn(a.page, TITLE, 'start')
  await editor(a.page).evaluate((root) => {
    type Ydoc = { transact(f: () => void, origin: string): void; getXmlFragment(name: string): { get(index: number): { get(index: number): { insert(index: number, text: string): void } } } }
    const instance = (root as HTMLElement & { editor: { extensionManager: { extensions: Array<{ name: string; options: { document?: Ydoc } }> } } }).editor
    const ydoc = instance.extensionManager.extensions.find((extension) => extension.name === 'collaboration')!.options.document!
    getSelection()!.modify('move', 'forward', 'lineboundary')
    // Another person types at the start of the opening paragraph (the fragment's second child).
    ydoc.transact(() => ydoc.getXmlFragment('default').get(1).get(0).insert(0, '乙'), 'another person')
  })
  const caretOffset = () => editor(a.page).evaluate((root) => (root as HTMLElement & { editor: { state: { selection: { $head: { parentOffset: number } } } } }).editor.state.selection.$head.parentOffset)
  await expect.poll(caretOffset, { timeout: 2_000 }).toBe(TITLE.length)
  await a.page.keyboard.type('（稿）')
  await expect.poll(() => blockText(a.page)).toBe(`${TITLE}（稿）`)
  await expect.poll(() => documentText(a.page)).toContain('乙2022年，在市委')
})

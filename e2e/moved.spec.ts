import type { WebSocketRoute } from '@playwright/test'
import { expect, test } from './support/fixtures'
import { blockText, caretIn, waitConnected } from './support/people'

const TITLE = '2022年度党建工作述职'
/** Times in a row the "other process" answers a reconnect with 4012 Moved (a lease changing hands). */
const BOUNCES = 5

/**
 * In a cluster a document's sockets are closed with 4012 Moved when its lease moves, and a process
 * that does not own the document answers a new connection the same way until the owner settles
 * (server/cluster, README "Running several processes"). The browser must take that as "try again
 * now", not as a failing server: no growing backoff, and never 离线 on the badge. A single test
 * server cannot move a lease, so the browser's socket is routed: its live connection is closed
 * with 4012, and its next reconnects are bounced with 4012 before one is let through.
 */
test('a document moving to another server process: the browser reconnects at once and never shows 离线', async ({ server, join, open }) => {
  const id = await server.sampleDocumentId()
  const a = await join('张明', id)
  await server.share(id, '李华', 'drafter')
  const b = await open('李华', '/')

  let live: WebSocketRoute | null = null
  let bounced = 0
  let moving = false
  await b.context.routeWebSocket(/\/collab\//, (ws) => {
    if (moving && bounced < BOUNCES) {
      bounced++
      void ws.close({ code: 4012, reason: 'moved' })
      return
    }
    ws.connectToServer()
    live = ws
  })
  // Every state the connection badge takes, recorded in the page so that a brief 离线 is not missed.
  await b.page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { badgeStates: string[] }).badgeStates = [])
    new MutationObserver(() => {
      const status = document.querySelector('[data-testid="connection"]')?.getAttribute('data-status')
      if (status && seen[seen.length - 1] !== status) seen.push(status)
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] })
  })
  await b.page.goto(`/d/${id}`)
  await waitConnected(b.page)

  // The lease moves: the live socket is closed with Moved, and the next reconnects are bounced.
  moving = true
  await live!.close({ code: 4012, reason: 'moved' })
  await caretIn(b.page, TITLE, 'end')
  await b.page.keyboard.type('（迁移中）')
  await waitConnected(b.page)
  expect(bounced).toBe(BOUNCES)

  const states = await b.page.evaluate(() => (window as unknown as { badgeStates: string[] }).badgeStates)
  expect(states).toContain('reconnecting')
  expect(states).not.toContain('offline')
  await expect(b.page.getByTestId('connection')).toHaveText('已连接')

  // What was typed while the document moved reaches the other person, and theirs comes back.
  await expect.poll(() => blockText(a.page)).toBe(`${TITLE}（迁移中）`)
  await caretIn(a.page, TITLE, 'start')
  await a.page.keyboard.type('附：')
  await expect.poll(() => blockText(b.page)).toBe(`附：${TITLE}（迁移中）`)
})

// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { afterEach, expect, test, vi } from 'vitest'
import { PREFERRED_TRIM_SIZE } from 'y-indexeddb'
import * as Y from 'yjs'
import { BatchedIndexeddbPersistence, WRITE_AT_ONCE_BYTES } from './BatchedIndexeddbPersistence'

/** Something that is neither the persistence itself nor a local edit: the provider, in the app. */
const SERVER = { name: 'server' }
let names = 0
const opened: BatchedIndexeddbPersistence[] = []

async function openCopy(name: string, writeAtOnce?: () => boolean): Promise<{ doc: Y.Doc; copy: BatchedIndexeddbPersistence }> {
  const doc = new Y.Doc()
  const copy = new BatchedIndexeddbPersistence(name, doc, writeAtOnce)
  opened.push(copy)
  await copy.whenSynced
  return { doc, copy }
}

/**
 * The page goes away without its batch written: pagehide's write is not sure to commit on a reload,
 * so the test drops the batch (as the browser may) and opens the copy again as the reloaded page does.
 */
async function reload(name: string, page: { doc: Y.Doc; copy: BatchedIndexeddbPersistence }): Promise<string> {
  ;(page.copy as unknown as { pending: Uint8Array[] }).pending = []
  const again = await openCopy(name)
  return again.doc.getText('t').toString()
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((copy) => copy.destroy()))
})

test('the server’s first answer is in the copy at once: a report reloaded right after its download is not downloaded again', async () => {
  const name = `report-${names++}`
  const page = await openCopy(name)
  const server = new Y.Doc()
  server.getText('t').insert(0, '述职报告'.repeat(400))
  const answer = Y.encodeStateAsUpdate(server)
  expect(answer.byteLength).toBeGreaterThanOrEqual(WRITE_AT_ONCE_BYTES)
  Y.applyUpdate(page.doc, answer, SERVER)
  expect(page.copy.writes).toBe(1)
  expect(await reload(name, page)).toBe('述职报告'.repeat(400))
})

test('keystrokes while in sync with the server are batched into one write', async () => {
  const name = `report-${names++}`
  const page = await openCopy(name, () => false)
  for (const char of '同步中的输入') page.doc.getText('t').insert(page.doc.getText('t').length, char)
  expect(page.copy.writes).toBe(0)
  page.copy.flush()
  expect(page.copy.writes).toBe(1)
  expect(await reload(name, page)).toBe('同步中的输入')
})

test('keystrokes while not in sync with the server (the copy is their only home) are each written at once', async () => {
  const name = `report-${names++}`
  const page = await openCopy(name, () => true)
  for (const char of '离线草稿') page.doc.getText('t').insert(page.doc.getText('t').length, char)
  expect(page.copy.writes).toBe(4)
  expect(await reload(name, page)).toBe('离线草稿')
})

test('each write is committed with it, not left to auto-commit: a tab closed right after an offline keystroke keeps it', async () => {
  const name = `report-${names++}`
  const page = await openCopy(name, () => true)
  const commits = vi.spyOn(IDBTransaction.prototype, 'commit')
  try {
    for (const char of '离线') page.doc.getText('t').insert(page.doc.getText('t').length, char)
    expect(page.copy.writes).toBe(2)
    expect(commits).toHaveBeenCalledTimes(2)
  } finally {
    commits.mockRestore()
  }
  expect(await reload(name, page)).toBe('离线')
})

/** How many updates the copy holds in IndexedDB now. */
function storedUpdates(name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name)
    open.onerror = () => reject(open.error)
    open.onsuccess = () => {
      const count = open.result.transaction('updates').objectStore('updates').count()
      count.onsuccess = () => {
        open.result.close()
        resolve(count.result)
      }
      count.onerror = () => reject(count.error)
    }
  })
}

test('past PREFERRED_TRIM_SIZE stored updates the copy folds them into one, and keeps every character', async () => {
  const name = `report-${names++}`
  const page = await openCopy(name, () => true)
  const internals = page.copy as unknown as { _storeTimeout: number; _dbsize: number }
  internals._storeTimeout = 0
  // y-indexeddb counts the stored updates after it has loaded them, a moment after whenSynced: that
  // count would overwrite the writes' own count.
  await vi.waitFor(() => expect(internals._dbsize).toBeGreaterThan(0))
  const text = '述职'.repeat(PREFERRED_TRIM_SIZE / 2 + 5)
  for (const char of text) page.doc.getText('t').insert(page.doc.getText('t').length, char)
  expect(page.copy.writes).toBe(text.length)
  await vi.waitFor(async () => expect(await storedUpdates(name)).toBeLessThan(10))
  expect(await reload(name, page)).toBe(text)
})

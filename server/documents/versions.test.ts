import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createThread, readThreads } from '../../shared/comments/threads'
import { schema } from '../../shared/editor/schema'
import type { DocJSON } from '../../shared/editor/lib/ydoc'
import {
  TestContext,
  api,
  appendParagraph,
  blockText,
  createDocument,
  docText,
  share,
  sleep,
  waitFor,
  type ApiResponse,
  type RunningServer,
  type Session,
} from '../testing/harness'
import { compareTexts, reportLines, reportText } from './compare'
import {
  addVersion,
  applyRetention,
  AUTO_AUTHOR,
  MAX_AUTO_VERSIONS,
  MAX_NAMED_VERSIONS,
  VersionLimitError,
  VersionStore,
  type Version,
  type VersionKind,
} from './VersionStore'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const TITLE = '版本测试'
const FIRST = '第一段原文。'
const SECOND = '第二段。'

const EMPTY_DOC: DocJSON = { type: 'doc', content: [{ type: 'reportTitle', content: [{ type: 'text', text: '标题' }] }] }

let counter = 0
function version(kind: VersionKind, name = `${kind}-${++counter}`): Version {
  return { id: `v${++counter}`, name, kind, createdAt: new Date(Date.UTC(2024, 0, 1, 0, 0, counter)).toISOString(), createdBy: '测试', doc: EMPTY_DOC }
}

function expectJsonError(response: ApiResponse, status: number, message?: RegExp): void {
  expect(response.status).toBe(status)
  expect(response.contentType).toMatch(/application\/json/)
  expect(typeof response.body.error).toBe('string')
  if (message) expect(response.body.error).toMatch(message)
}

describe('retention', () => {
  it('keeps every named and submission version and the newest 30 automatic versions and backups', () => {
    const list: Version[] = []
    for (let i = 0; i < 40; i++) list.push(version('auto'))
    const named = [version('named'), version('named')]
    const submission = version('submission')
    const backups = Array.from({ length: 35 }, () => version('backup'))
    const all = [named[0], ...list.slice(0, 20), submission, ...backups, ...list.slice(20), named[1]]
    const kept = applyRetention(all)
    expect(kept.filter((v) => v.kind === 'auto')).toEqual(list.slice(10))
    expect(kept.filter((v) => v.kind === 'backup')).toEqual(backups.slice(5))
    expect(kept.filter((v) => v.kind === 'named')).toEqual(named)
    expect(kept.filter((v) => v.kind === 'submission')).toEqual([submission])
    // Chronological order is kept.
    expect(kept).toEqual(all.filter((v) => kept.includes(v)))
    expect(MAX_AUTO_VERSIONS).toBe(30)
  })

  it('refuses a named version past 200, but still takes automatic and submission versions', () => {
    const full = Array.from({ length: MAX_NAMED_VERSIONS }, () => version('named'))
    expect(() => addVersion(full, version('named'))).toThrow(VersionLimitError)
    expect(addVersion(full, version('auto'))).toHaveLength(MAX_NAMED_VERSIONS + 1)
    expect(addVersion(full, version('submission'))).toHaveLength(MAX_NAMED_VERSIONS + 1)
    expect(addVersion(full.slice(1), version('named'))).toHaveLength(MAX_NAMED_VERSIONS)
  })

  it('the store caps automatic versions at 30 in the file, newest first in the list', async () => {
    const dir = await ctx.tempDir()
    await fs.mkdir(path.join(dir, 'documents'))
    const store = new VersionStore(dir)
    expect(await store.list('doc1')).toEqual([])
    // Reading creates no file.
    expect(existsSync(store.file('doc1'))).toBe(false)
    const named = await store.add('doc1', version('named', '初稿'))
    const autos: Version[] = []
    for (let i = 0; i < 35; i++) autos.push(await store.add('doc1', version('auto')))
    const list = await store.list('doc1')
    expect(list.filter((v) => v.kind === 'auto').map((v) => v.id)).toEqual(autos.slice(5).map((v) => v.id).reverse())
    expect(list.at(-1)).toEqual({ id: named.id, name: '初稿', kind: 'named', createdAt: named.createdAt, createdBy: '测试' })
    expect(list[0]).not.toHaveProperty('doc')
    // What is on disk is the same, in a file a fresh store reads back.
    const stored = JSON.parse(await fs.readFile(store.file('doc1'), 'utf8')) as { versions: Version[] }
    expect(stored.versions).toHaveLength(31)
    expect(await new VersionStore(dir).list('doc1')).toEqual(list)
    expect((await store.get('doc1', named.id))?.doc).toEqual(EMPTY_DOC)
    expect(await store.get('doc1', 'nope')).toBeUndefined()
    await store.remove('doc1')
    expect(existsSync(store.file('doc1'))).toBe(false)
  })
})

describe('plain text for comparing', () => {
  it('writes one line per block with derived ordinals, run-in headings opening their paragraph', () => {
    const doc = schema.nodeFromJSON({
      type: 'doc',
      content: [
        { type: 'reportTitle', content: [{ type: 'text', text: '工作报告' }] },
        { type: 'paragraph', content: [{ type: 'text', text: '导语。' }] },
        {
          type: 'section',
          attrs: { level: 1 },
          content: [
            { type: 'sectionTitle', content: [{ type: 'text', text: '总体情况' }] },
            {
              type: 'section',
              attrs: { level: 2, runIn: true },
              content: [
                { type: 'sectionTitle', content: [{ type: 'text', text: '抓学习。' }] },
                { type: 'paragraph', content: [{ type: 'text', text: '组织学习。' }] },
                { type: 'paragraph', content: [{ type: 'text', text: '另起一段。' }] },
              ],
            },
            { type: 'section', attrs: { level: 2 }, content: [{ type: 'sectionTitle', content: [{ type: 'text', text: '抓落实' }] }] },
          ],
        },
        { type: 'section', attrs: { level: 1 }, content: [{ type: 'sectionTitle', content: [{ type: 'text', text: '下步打算' }] }] },
      ],
    })
    expect(reportLines(doc)).toEqual(['工作报告', '导语。', '一、总体情况', '（一）抓学习。组织学习。', '另起一段。', '（二）抓落实', '二、下步打算'])
    expect(reportText(doc)).toBe('工作报告\n导语。\n一、总体情况\n（一）抓学习。组织学习。\n另起一段。\n（二）抓落实\n二、下步打算\n')
  })

  it('reads pending suggestions as rejected: no suggested insertions, suggested deletions kept, no zero-width spaces', () => {
    const mark = (type: string, id: string) => ({ type, attrs: { id, authorId: 'u1', authorName: '审阅人', createdAt: null } })
    const doc = schema.nodeFromJSON({
      type: 'doc',
      content: [
        { type: 'reportTitle', content: [{ type: 'text', text: '标题' }] },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: '保留' },
            { type: 'text', text: '建议插入', marks: [mark('insertion', 's1')] },
            { type: 'text', text: '建议删除', marks: [mark('deletion', 's2')] },
            { type: 'text', text: '\u200B结尾' },
          ],
        },
      ],
    })
    expect(reportLines(doc)).toEqual(['标题', '保留建议删除结尾'])
  })

  it('diffs lines, then characters within changed lines, merging parts of one kind', () => {
    expect(compareTexts('甲\n乙丙丁\n戊\n', '甲\n乙丙新丁\n戊\n己\n')).toEqual([
      { type: 'equal', text: '甲\n乙丙' },
      { type: 'insert', text: '新' },
      { type: 'equal', text: '丁\n戊\n' },
      { type: 'insert', text: '己\n' },
    ])
    expect(compareTexts('一\n二\n', '一\n二\n')).toEqual([{ type: 'equal', text: '一\n二\n' }])
    expect(compareTexts('', '新\n')).toEqual([{ type: 'insert', text: '新\n' }])
    // A rewritten sentence reads as one replacement, not scattered shared characters.
    const rewritten = compareTexts('标题\n我们完成了任务。\n', '标题\n大家超额达成目标了。\n')
    expect(rewritten[0]).toEqual({ type: 'equal', text: '标题\n' })
    expect(rewritten.filter((c) => c.type === 'delete').map((c) => c.text).join('')).toContain('完成')
    expect(rewritten.filter((c) => c.type === 'insert').map((c) => c.text).join('')).toContain('超额达成')
    for (let i = 1; i < rewritten.length; i++) expect(rewritten[i].type === rewritten[i - 1].type).toBe(false)
  })

  it('stays fast on a long report', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `第${i}段：全年完成各项工作任务，推动党建与业务工作一体推进。`)
    const changed = [...lines]
    changed[1500] = changed[1500].replace('全年', '上半年')
    changed.splice(2000, 1)
    const started = Date.now()
    const changes = compareTexts(lines.join('\n') + '\n', changed.join('\n') + '\n')
    expect(Date.now() - started).toBeLessThan(2000)
    expect(changes.filter((c) => c.type === 'insert').map((c) => c.text)).toEqual(['上半'])
    expect(changes.filter((c) => c.type === 'delete').map((c) => c.text)).toEqual(['全', lines[2000] + '\n'])
  })
})

describe('versions API', () => {
  interface Setup {
    running: RunningServer
    owner: Session
    drafter: Session
    viewer: Session
    id: string
  }

  async function setup(overrides = {}): Promise<Setup> {
    const running = await ctx.startServer(overrides)
    const owner = await running.createUser('owner', { displayName: '主笔' })
    const drafter = await running.createUser('drafter', { displayName: '起草人' })
    const viewer = await running.createUser('viewer', { displayName: '查看者' })
    const doc = await createDocument(owner, TITLE, `${TITLE}\n${FIRST}\n${SECOND}`)
    await share(owner, doc.id, 'drafter', 'drafter')
    await share(owner, doc.id, 'viewer', 'viewer')
    return { running, owner, drafter, viewer, id: doc.id }
  }

  const versionsOf = async (session: Session, id: string) => (await api(session, 'GET', `/api/documents/${id}/versions`)).body as Array<Record<string, unknown>>

  it('saves a named version, lists versions without content, and returns one with its content', async () => {
    const { owner, drafter, viewer, id } = await setup()
    expect(await versionsOf(viewer, id)).toEqual([])

    const saved = await api(drafter, 'POST', `/api/documents/${id}/versions`, { json: { name: '  初稿  ' } })
    expect(saved.status).toBe(201)
    expect(saved.body).toEqual({ id: expect.stringMatching(/^[A-Za-z0-9_-]+$/), name: '初稿', kind: 'named', createdAt: expect.stringMatching(ISO_DATE), createdBy: '起草人' })
    await sleep(5)
    const second = (await api(owner, 'POST', `/api/documents/${id}/versions`, { json: { name: '二稿' } })).body

    const list = await versionsOf(viewer, id)
    expect(list).toEqual([second, saved.body])
    for (const entry of list) expect(entry).not.toHaveProperty('doc')

    const got = await api(viewer, 'GET', `/api/documents/${id}/versions/${saved.body.id}`)
    expect(got.status).toBe(200)
    expect(got.body).toEqual({ ...saved.body, doc: expect.objectContaining({ type: 'doc' }) })
    expect(schema.nodeFromJSON(got.body.doc).textContent).toBe(TITLE + FIRST + SECOND)
  })

  it('validates names, ids and roles', async () => {
    const { owner, viewer, id } = await setup()
    const post = (session: Session, json: unknown) => api(session, 'POST', `/api/documents/${id}/versions`, { json })
    expectJsonError(await post(owner, {}), 400, /name/)
    expectJsonError(await post(owner, { name: '  ' }), 400, /name/)
    expectJsonError(await post(owner, { name: 5 }), 400, /name/)
    expectJsonError(await post(owner, { name: '版'.repeat(101) }), 400, /name/)
    expectJsonError(await post(owner, { name: 'a', kind: 'auto' }), 400, /kind/)
    expectJsonError(await api(owner, 'POST', `/api/documents/${id}/versions`, { rawBody: '[1]' }), 400)
    expect((await post(owner, { name: '版'.repeat(100) })).status).toBe(201)
    expectJsonError(await post(viewer, { name: '查看者的版本' }), 403)

    expectJsonError(await api(owner, 'GET', `/api/documents/${id}/versions/unknownVersion`), 404, /unknownVersion/)
    expectJsonError(await api(owner, 'GET', `/api/documents/${id}/versions/unknownVersion/compare`), 404)
    expectJsonError(await api(owner, 'POST', `/api/documents/${id}/versions/unknownVersion/restore`), 404)
    for (const bad of ['bad.id', '%E4%B8%AD', 'x'.repeat(65)]) {
      expectJsonError(await api(owner, 'GET', `/api/documents/${id}/versions/${bad}`), 400, /version id/)
      expectJsonError(await api(owner, 'POST', `/api/documents/${id}/versions/${bad}/restore`), 400)
    }
    expectJsonError(await api(owner, 'GET', '/api/documents/bad.id/versions'), 400)
    expectJsonError(await api(owner, 'GET', '/api/documents/unknownDoc/versions'), 404)
    expectJsonError(await api(owner.base, 'GET', `/api/documents/${id}/versions`), 401)
  })

  it('refuses a named version past the limit with 409', async () => {
    const { running, owner, id } = await setup()
    const full = Array.from({ length: MAX_NAMED_VERSIONS }, () => version('named'))
    await fs.writeFile(path.join(running.config.dataDir, 'documents', `${id}.versions.json`), JSON.stringify({ versions: full }))
    expectJsonError(await api(owner, 'POST', `/api/documents/${id}/versions`, { json: { name: '第201个' } }), 409, /200/)
    expect(await versionsOf(owner, id)).toHaveLength(MAX_NAMED_VERSIONS)
  })

  it('compares a version with the current text and restores it into the live document', async () => {
    const { owner, drafter, viewer, id } = await setup()
    const v1 = (await api(owner, 'POST', `/api/documents/${id}/versions`, { json: { name: '原稿' } })).body

    const editor = await ctx.syncedProvider(drafter, id)
    const watcher = await ctx.syncedProvider(viewer, id)
    // A comment thread on the second paragraph: restoring leaves threads alone.
    editor.doc.transact(() => {
      createThread(editor.doc, { id: 't1', author: { id: drafter.user.id, name: '起草人' }, text: '请核实', quote: SECOND, messageId: 'm1' })
      blockText(editor.doc, 2).format(0, 2, { comment: { threadId: 't1' } })
    })
    const first = blockText(editor.doc, 1)
    editor.doc.transact(() => {
      first.delete(3, 2)
      first.insert(3, '修改后')
    })
    appendParagraph(editor.doc, '新增段落。')
    const edited = TITLE + '第一段修改后。' + SECOND + '新增段落。'
    await waitFor(() => docText(watcher.doc) === edited, 10_000, 'the edit to reach the watcher')

    const compared = await api(viewer, 'GET', `/api/documents/${id}/versions/${v1.id}/compare`)
    expect(compared.status).toBe(200)
    expect(compared.body).toEqual({
      changes: [
        { type: 'equal', text: `${TITLE}\n第一段` },
        { type: 'delete', text: '原文' },
        { type: 'insert', text: '修改后' },
        { type: 'equal', text: `。\n${SECOND}\n` },
        { type: 'insert', text: '新增段落。\n' },
      ],
    })

    // Only people who may edit can restore.
    expectJsonError(await api(viewer, 'POST', `/api/documents/${id}/versions/${v1.id}/restore`), 403)
    const restored = await api(drafter, 'POST', `/api/documents/${id}/versions/${v1.id}/restore`)
    expect(restored.status).toBe(200)
    expect(restored.body).toEqual({ restored: v1.id, backup: expect.any(String), name: v1.name })

    // Every connected editor gets the old text as an ordinary change.
    await waitFor(() => docText(watcher.doc) === TITLE + FIRST + SECOND, 10_000, 'the watcher to see the restored text')
    await waitFor(() => docText(editor.doc) === TITLE + FIRST + SECOND, 10_000, 'the editor to see the restored text')
    expect(editor.provider.wsconnected).toBe(true)
    expect(readThreads(watcher.doc).map((thread) => thread.id)).toEqual(['t1'])

    // The text before the restore was kept as a backup.
    const list = await versionsOf(owner, id)
    expect(list[0]).toEqual({ id: restored.body.backup, name: '恢复前备份', kind: 'backup', createdAt: expect.stringMatching(ISO_DATE), createdBy: '起草人' })
    const backup = (await api(owner, 'GET', `/api/documents/${id}/versions/${restored.body.backup}`)).body
    expect(schema.nodeFromJSON(backup.doc).textContent).toBe(edited)

    // Now the version and the document agree.
    const after = await api(owner, 'GET', `/api/documents/${id}/versions/${v1.id}/compare`)
    expect(after.body.changes).toEqual([{ type: 'equal', text: `${TITLE}\n${FIRST}\n${SECOND}\n` }])

    // Editing goes on from the restored text.
    appendParagraph(editor.doc, '恢复后继续写。')
    await waitFor(() => docText(watcher.doc) === TITLE + FIRST + SECOND + '恢复后继续写。', 10_000, 'an edit after the restore')
  })

  it('saves an automatic version after a quiet moment, only when the content changed', async () => {
    const { drafter, owner, id } = await setup({ autoVersionIdleMs: 150, autoVersionMinIntervalMs: 0 })
    const editor = await ctx.syncedProvider(drafter, id)
    await sleep(400)
    // Connecting changes nothing: no version.
    expect(await versionsOf(owner, id)).toEqual([])

    appendParagraph(editor.doc, '第三段。')
    await sleep(50)
    appendParagraph(editor.doc, '第四段。')
    await waitFor(async () => (await versionsOf(owner, id)).length === 1, 10_000, 'an automatic version')
    const [auto] = await versionsOf(owner, id)
    expect(auto).toEqual({ id: expect.any(String), name: '自动保存', kind: 'auto', createdAt: expect.stringMatching(ISO_DATE), createdBy: AUTO_AUTHOR })
    const content = (await api(owner, 'GET', `/api/documents/${id}/versions/${auto.id}`)).body.doc
    expect(schema.nodeFromJSON(content).textContent).toBe(TITLE + FIRST + SECOND + '第三段。第四段。')

    // A change outside the content (here a comment thread) is not a new version.
    createThread(editor.doc, { id: 't-version', author: { id: drafter.user.id, name: drafter.user.displayName }, text: '批注', quote: '', messageId: 'm-version' })
    await sleep(500)
    expect(await versionsOf(owner, id)).toHaveLength(1)

    appendParagraph(editor.doc, '第五段。')
    await waitFor(async () => (await versionsOf(owner, id)).length === 2, 10_000, 'a second automatic version')
  })

  it('saves at most one automatic version per interval', async () => {
    const { drafter, owner, id } = await setup({ autoVersionIdleMs: 100, autoVersionMinIntervalMs: 1_500 })
    const editor = await ctx.syncedProvider(drafter, id)
    appendParagraph(editor.doc, '一')
    await waitFor(async () => (await versionsOf(owner, id)).length === 1, 10_000, 'the first automatic version')
    const firstAt = Date.now()
    appendParagraph(editor.doc, '二')
    await sleep(600)
    expect(await versionsOf(owner, id)).toHaveLength(1)
    await waitFor(async () => (await versionsOf(owner, id)).length === 2, 10_000, 'the second automatic version')
    expect(Date.now() - firstAt).toBeGreaterThanOrEqual(1_000)
  })

  it('deleting a document deletes its versions and stops its automatic versions', async () => {
    const { running, owner, drafter, id } = await setup({ autoVersionIdleMs: 200, autoVersionMinIntervalMs: 0 })
    await api(owner, 'POST', `/api/documents/${id}/versions`, { json: { name: '初稿' } })
    const file = path.join(running.config.dataDir, 'documents', `${id}.versions.json`)
    expect(existsSync(file)).toBe(true)
    const editor = await ctx.syncedProvider(drafter, id)
    appendParagraph(editor.doc, '删除前的编辑')
    await sleep(20)
    expect((await api(owner, 'DELETE', `/api/documents/${id}`)).status).toBe(204)
    expect(existsSync(file)).toBe(false)
    await sleep(500)
    expect(existsSync(file)).toBe(false)
    expect((await fs.readdir(path.join(running.config.dataDir, 'documents'))).filter((name) => name.startsWith(id))).toEqual([])
  })
})

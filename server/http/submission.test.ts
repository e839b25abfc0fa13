import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { plainTextToDocJSON } from '../../shared/editor/lib/plainText'
import { CONTENT_FRAGMENT, docJSONToUpdate } from '../../shared/editor/lib/ydoc'
import { CloseCode } from '../collab/Connection'
import { updateChangesNothing } from '../documents/submission'
import { SAMPLE_TITLE } from '../seed'
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
  within,
  type ApiResponse,
  type RunningServer,
  type Session,
} from '../testing/harness'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const CLEAN_TITLE = '关于工作的报告'
const CLEAN_TEXT = `${CLEAN_TITLE}\n一、总体情况\n全年完成各项任务。\n二、下步打算\n（一）加强学习。认真学习二十大精神。`

function expectJsonError(response: ApiResponse, status: number, message?: RegExp): void {
  expect(response.status).toBe(status)
  expect(response.contentType).toMatch(/application\/json/)
  expect(typeof response.body.error).toBe('string')
  if (message) expect(response.body.error).toMatch(message)
}

interface Setup {
  running: RunningServer
  /** The administrator, who owns the sample report. */
  owner: Session
  drafter: Session
  reviewer: Session
  viewer: Session
  sampleId: string
}

/** A server seeded with the sample report (20 masked figures), shared with one person per role. */
async function setup(): Promise<Setup> {
  const running = await ctx.startServer({ seedSample: true })
  const [sample] = (await api(running, 'GET', '/api/documents')).body as Array<{ id: string; title: string }>
  expect(sample.title).toBe(SAMPLE_TITLE)
  const drafter = await running.createUser('drafter', { displayName: '起草人' })
  const reviewer = await running.createUser('reviewer', { displayName: '审阅人' })
  const viewer = await running.createUser('viewer', { displayName: '查看者' })
  for (const person of ['drafter', 'reviewer', 'viewer']) await share(running, sample.id, person, person)
  return { running, owner: running, drafter, reviewer, viewer, sampleId: sample.id }
}

const submit = (session: Session, id: string, json: unknown) => api(session, 'POST', `/api/documents/${id}/submit`, { json })
const meta = async (session: Session, id: string) => (await api(session, 'GET', `/api/documents/${id}`)).body

describe('the submission check', () => {
  it('lists the sample report’s 20 unfilled placeholders, for any member', async () => {
    const { viewer, sampleId } = await setup()
    const check = await api(viewer, 'GET', `/api/documents/${sampleId}/check`)
    expect(check.status).toBe(200)
    expect(Object.keys(check.body).sort()).toEqual(['emptySections', 'ok', 'openThreads', 'pendingSuggestions', 'unfilledPlaceholders', 'unfinishedBlocks', 'unfinishedSections', 'unverifiedBlocking', 'unverifiedFigures'])
    expect(check.body.ok).toBe(false)
    expect(check.body.unfilledPlaceholders).toHaveLength(20)
    for (const placeholder of check.body.unfilledPlaceholders) {
      expect(Object.keys(placeholder).sort()).toEqual(['context', 'id', 'kind', 'sectionPath', 'text'])
      expect(placeholder.context).toContain(`【${placeholder.text}】`)
    }
    expect(check.body.unfilledPlaceholders[1]).toMatchObject({ text: '*', sectionPath: ['一、强化政治引领，贯彻中央部署', '（一）落实党建政治责任'] })
    expect(check.body.pendingSuggestions).toEqual([])
    expect(check.body.openThreads).toEqual([])
    expect(check.body.emptySections).toEqual([])
  })

  it('passes a report with no masks, and reports pending suggestions, open threads and empty sections', async () => {
    const running = await ctx.startServer()
    const clean = await createDocument(running, CLEAN_TITLE, CLEAN_TEXT)
    expect((await api(running, 'GET', `/api/documents/${clean.id}/check`)).body).toEqual({
      ok: true,
      unfilledPlaceholders: [],
      pendingSuggestions: [],
      openThreads: [],
      emptySections: [],
      unverifiedFigures: [],
      unverifiedBlocking: false,
      unfinishedSections: [],
      unfinishedBlocks: false,
    })
    const empty = await createDocument(running, '空节', '空节\n一、只有标题')
    const check = (await api(running, 'GET', `/api/documents/${empty.id}/check`)).body
    expect(check.ok).toBe(false)
    expect(check.emptySections).toEqual([{ label: '一、只有标题', path: ['一、只有标题'], reason: 'no-body' }])
  })
})

describe('submitting', () => {
  it('is refused with 409 and the check while placeholders are unfilled', async () => {
    const { owner, sampleId } = await setup()
    const refused = await submit(owner, sampleId, { versionName: '报送稿' })
    expect(refused.status).toBe(409)
    expect(refused.body.error).toMatch(/check/)
    expect(refused.body.check.ok).toBe(false)
    expect(refused.body.check.unfilledPlaceholders).toHaveLength(20)
    // A blank reason is no reason.
    expect((await submit(owner, sampleId, { versionName: '报送稿', overrideReason: '   ' })).status).toBe(409)
    expect(await meta(owner, sampleId)).toMatchObject({ status: 'draft', submission: null })
    expect((await api(owner, 'GET', `/api/documents/${sampleId}/versions`)).body).toEqual([])
  })

  it('goes through with a reason, which is recorded; the document is then read-only', async () => {
    const { owner, drafter, viewer, sampleId, running } = await setup()
    const before = await api(owner, 'GET', `/api/documents/${sampleId}/check`)
    const watcher = ctx.rawFor(drafter, sampleId)
    await watcher.opened
    const stock = await ctx.syncedProvider(viewer, sampleId)
    const stockCodes: number[] = []
    stock.provider.on('connection-close', (event: CloseEvent | null) => event && stockCodes.push(event.code))
    const submitted = await submit(owner, sampleId, { versionName: ' 2022年度报送稿 ', overrideReason: '数据待统计局核定，先行报送' })
    expect(submitted.status).toBe(200)
    expect(submitted.body).toMatchObject({
      id: sampleId,
      role: 'owner',
      status: 'submitted',
      submission: {
        versionId: expect.any(String),
        versionName: '2022年度报送稿',
        submittedAt: expect.stringMatching(ISO_DATE),
        submittedBy: owner.user.displayName,
        overrideReason: '数据待统计局核定，先行报送',
      },
    })
    // Every open connection is told to reload the document's meta.
    // (CloseCode.RoleChanged: the client reloads the meta and reconnects.)
    expect((await within(watcher.closed, 5_000, 'close RoleChanged')).code).toBe(CloseCode.RoleChanged)
    await waitFor(() => stockCodes.includes(CloseCode.RoleChanged), 10_000, 'the stock client to see RoleChanged')
    // It reconnects, and may read on.
    await waitFor(() => stock.provider.wsconnected && stock.provider.synced, 10_000, 'the stock client to reconnect')

    // The meta says so everywhere.
    expect(await meta(viewer, sampleId)).toEqual({ ...submitted.body, role: 'viewer' })
    const listed = (await api(drafter, 'GET', '/api/documents')).body
    expect(listed).toEqual([{ ...submitted.body, role: 'drafter' }])

    // The submission saved a version of the content.
    const versions = (await api(viewer, 'GET', `/api/documents/${sampleId}/versions`)).body
    expect(versions).toEqual([
      { id: submitted.body.submission.versionId, name: '2022年度报送稿', kind: 'submission', createdAt: submitted.body.submission.submittedAt, createdBy: owner.user.displayName },
    ])

    // Submitting again is refused.
    expectJsonError(await submit(owner, sampleId, { versionName: '再次报送', overrideReason: '理由' }), 409, /already submitted/)

    // Reading, checking and exporting still work.
    expect((await api(viewer, 'GET', `/api/documents/${sampleId}/check`)).body).toEqual(before.body)
    expect((await api(viewer, 'GET', `/api/documents/${sampleId}/outline`)).status).toBe(200)
    expect((await api(viewer, 'GET', `/api/documents/${sampleId}/versions/${submitted.body.submission.versionId}`)).status).toBe(200)
    expect((await api(viewer, 'GET', `/api/documents/${sampleId}/versions/${submitted.body.submission.versionId}/compare`)).body.changes).toHaveLength(1)
    const exported = await fetch(`${running.base}/api/documents/${sampleId}/export.docx`, { headers: { cookie: viewer.cookie } })
    expect(exported.status).toBe(200)

    // It survives a restart.
    await running.close()
    const again = await ctx.startServer({}, running.config.dataDir)
    expect((await api(again, 'GET', `/api/documents/${sampleId}`)).body).toMatchObject({ status: 'submitted', submission: submitted.body.submission })
  })

  it('refuses every change while submitted: websocket edits, renames, versions and restores', async () => {
    const { owner, drafter, reviewer, sampleId, running } = await setup()
    const v1 = (await api(drafter, 'POST', `/api/documents/${sampleId}/versions`, { json: { name: '初稿' } })).body
    expect((await submit(owner, sampleId, { versionName: '报送稿', overrideReason: '先行报送' })).status).toBe(200)
    const text = await running.server.documents.read(sampleId, docText)

    // A drafter's client syncs (reconnecting changes nothing and is fine) but its edit is refused.
    const client = await ctx.syncedYClient(drafter, sampleId)
    await sleep(200)
    expect(client.raw.closeInfo).toBeNull()
    expect(docText(client.doc)).toBe(text)
    appendParagraph(client.doc, '报送后偷偷加的一段')
    expect((await within(client.closed, 5_000, 'the refusal')).code).toBe(4409)
    expect(client.permissionDenied).toHaveLength(1)
    // The owner's edits are refused too, and so are comments.
    const ownerClient = await ctx.syncedYClient(owner, sampleId)
    blockText(ownerClient.doc, 0).insert(0, '改')
    expect((await within(ownerClient.closed, 5_000, 'the owner’s refusal')).code).toBe(4409)
    const commenter = await ctx.syncedYClient(reviewer, sampleId)
    commenter.doc.getMap('comments').set('t1', new Y.Map())
    expect((await within(commenter.closed, 5_000, 'the comment’s refusal')).code).toBe(4409)
    await sleep(100)
    expect(await running.server.documents.read(sampleId, docText)).toBe(text)
    expect(await running.server.documents.read(sampleId, (ydoc) => ydoc.getMap('comments').size)).toBe(0)

    // Stock clients stay connected and in sync (their sync step 2 changes nothing).
    const stock = await ctx.syncedProvider(drafter, sampleId)
    await sleep(300)
    expect(stock.provider.wsconnected).toBe(true)
    expect(docText(stock.doc)).toBe(text)

    expectJsonError(await api(drafter, 'PATCH', `/api/documents/${sampleId}`, { json: { title: '新标题' } }), 409, /submitted/)
    expectJsonError(await api(owner, 'PATCH', `/api/documents/${sampleId}`, { json: { title: '新标题' } }), 409, /submitted/)
    expectJsonError(await api(drafter, 'POST', `/api/documents/${sampleId}/versions`, { json: { name: '报送后' } }), 409, /submitted/)
    expectJsonError(await api(drafter, 'POST', `/api/documents/${sampleId}/versions/${v1.id}/restore`), 409, /submitted/)
    expect((await meta(owner, sampleId)).title).toBe(SAMPLE_TITLE)
    expect((await api(owner, 'GET', `/api/documents/${sampleId}/versions`)).body.map((v: { kind: string }) => v.kind)).toEqual(['submission', 'named'])
  })

  it('goes through without a reason once the report passes the check (a reason given then is not recorded)', async () => {
    const running = await ctx.startServer()
    const clean = await createDocument(running, CLEAN_TITLE, CLEAN_TEXT)
    const submitted = await submit(running, clean.id, { versionName: '定稿' })
    expect(submitted.status).toBe(200)
    expect(submitted.body.status).toBe('submitted')
    expect(submitted.body.submission).toMatchObject({ versionName: '定稿', overrideReason: null, submittedBy: running.user.displayName })

    const other = await createDocument(running, CLEAN_TITLE, CLEAN_TEXT)
    const withReason = await submit(running, other.id, { versionName: '定稿', overrideReason: '不需要' })
    expect(withReason.body.submission.overrideReason).toBeNull()
  })

  it('passes after the placeholders are filled in the live document', async () => {
    const { owner, drafter, sampleId } = await setup()
    const editor = await ctx.syncedProvider(drafter, sampleId)
    // Fill every masked figure the way an editor would: replace the text, keep the placeholder mark.
    const fill = (type: Y.XmlElement | Y.XmlFragment) => {
      for (const child of type.toArray()) {
        if (child instanceof Y.XmlText) {
          const delta = child.toDelta() as Array<{ insert: string; attributes?: Record<string, unknown> }>
          let offset = 0
          for (const op of delta) {
            if (op.attributes?.placeholder) {
              child.delete(offset, op.insert.length)
              child.insert(offset, '12', op.attributes)
              offset += 2
            } else {
              offset += op.insert.length
            }
          }
        } else if (child instanceof Y.XmlElement) fill(child)
      }
    }
    editor.doc.transact(() => fill(editor.doc.getXmlFragment(CONTENT_FRAGMENT)))
    await waitFor(async () => (await api(owner, 'GET', `/api/documents/${sampleId}/check`)).body.ok === true, 10_000, 'the check to pass')
    const submitted = await submit(owner, sampleId, { versionName: '报送稿' })
    expect(submitted.status).toBe(200)
    expect(submitted.body.submission.overrideReason).toBeNull()
  })

  it('is for the owner only, and validates its body', async () => {
    const { owner, drafter, reviewer, viewer, sampleId } = await setup()
    for (const person of [drafter, reviewer, viewer]) expectJsonError(await submit(person, sampleId, { versionName: 'x', overrideReason: 'y' }), 403)
    expectJsonError(await submit(owner, sampleId, {}), 400, /versionName/)
    expectJsonError(await submit(owner, sampleId, { versionName: '' }), 400, /versionName/)
    expectJsonError(await submit(owner, sampleId, { versionName: 3 }), 400, /versionName/)
    expectJsonError(await submit(owner, sampleId, { versionName: '稿'.repeat(101) }), 400, /versionName/)
    expectJsonError(await submit(owner, sampleId, { versionName: '稿', overrideReason: 'x'.repeat(1001) }), 400, /overrideReason/)
    expectJsonError(await submit(owner, sampleId, { versionName: '稿', overrideReason: 1 }), 400, /overrideReason/)
    expectJsonError(await submit(owner, sampleId, { versionName: '稿', status: 'submitted' }), 400, /status/)
    expectJsonError(await api(owner, 'POST', `/api/documents/${sampleId}/submit`, { rawBody: 'nope' }), 400)
    expectJsonError(await api(owner, 'POST', '/api/documents/bad.id/submit', { json: { versionName: 'x' } }), 400)
    expectJsonError(await api(owner, 'POST', '/api/documents/unknownDoc/submit', { json: { versionName: 'x' } }), 404)
    expectJsonError(await api(owner.base, 'POST', `/api/documents/${sampleId}/submit`, { json: { versionName: 'x' } }), 401)
    // The longest name and reason are fine.
    const ok = await submit(owner, sampleId, { versionName: '稿'.repeat(100), overrideReason: '由'.repeat(1000) })
    expect(ok.status).toBe(200)
  })
})

describe('reopening', () => {
  it('makes a submitted document a draft again, for the owner only; editing works again', async () => {
    const { owner, drafter, sampleId, running } = await setup()
    expectJsonError(await api(owner, 'POST', `/api/documents/${sampleId}/reopen`), 409, /not submitted/)
    await submit(owner, sampleId, { versionName: '报送稿', overrideReason: '先行报送' })
    expectJsonError(await api(drafter, 'POST', `/api/documents/${sampleId}/reopen`), 403)
    expectJsonError(await api(owner, 'POST', `/api/documents/${sampleId}/reopen`, { json: { force: true } }), 400, /force/)

    const reader = ctx.rawFor(drafter, sampleId)
    await reader.opened
    const reopened = await api(owner, 'POST', `/api/documents/${sampleId}/reopen`)
    expect(reopened.status).toBe(200)
    expect(reopened.body).toMatchObject({ id: sampleId, role: 'owner', status: 'draft', submission: null })
    expect((await within(reader.closed, 5_000, 'close RoleChanged')).code).toBe(CloseCode.RoleChanged)
    expect(await meta(drafter, sampleId)).toMatchObject({ status: 'draft', submission: null })

    const editor = await ctx.syncedYClient(drafter, sampleId)
    appendParagraph(editor.doc, '重新打开后的编辑')
    await waitFor(async () => (await running.server.documents.read(sampleId, docText)).includes('重新打开后的编辑'), 10_000, 'the edit')
    expect(editor.permissionDenied).toEqual([])
    expect((await api(owner, 'PATCH', `/api/documents/${sampleId}`, { json: { title: '改名' } })).status).toBe(200)
    // An empty JSON body is fine as well; the submission version stays in the history.
    await submit(owner, sampleId, { versionName: '第二次报送', overrideReason: '先行报送' })
    expect((await api(owner, 'POST', `/api/documents/${sampleId}/reopen`, { json: {} })).status).toBe(200)
    const kinds = (await api(owner, 'GET', `/api/documents/${sampleId}/versions`)).body.map((v: { name: string }) => v.name)
    expect(kinds).toEqual(['第二次报送', '报送稿'])
  })
})

describe('a no-op update', () => {
  it('is told apart from one that inserts or deletes', () => {
    const server = new Y.Doc()
    Y.applyUpdate(server, docJSONToUpdate(plainTextToDocJSON(CLEAN_TEXT)))
    const client = new Y.Doc()
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
    expect(updateChangesNothing(server, Y.encodeStateAsUpdate(client))).toBe(true)
    expect(updateChangesNothing(server, new Uint8Array([0, 0]))).toBe(true)
    expect(updateChangesNothing(server, new Uint8Array([1, 2, 3]))).toBe(false)

    // Deletions the server already has are no change; new ones are.
    client.getArray('a').insert(0, [1, 2, 3])
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client))
    client.getArray('a').delete(0, 2)
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client))
    expect(updateChangesNothing(server, Y.encodeStateAsUpdate(client))).toBe(true)
    client.getArray('a').delete(0, 1)
    expect(updateChangesNothing(server, Y.encodeStateAsUpdate(client))).toBe(false)
    client.getArray('b').insert(0, ['x'])
    expect(updateChangesNothing(server, Y.encodeStateAsUpdate(client, Y.encodeStateVector(server)))).toBe(false)
  })
})

import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState } from '@tiptap/pm/state'
import { updateYFragment } from '@tiptap/y-tiptap'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CONTENT_FRAGMENT, yDocToNode } from '../../shared/editor/lib/ydoc'
import { findSection, textPos } from '../../shared/editor/testing/reportFixtures'
import { sectionAction } from '../../shared/sections/commands'
import { setOption } from '../../shared/sections/options'
import { TestContext, api, createDocument, share, waitFor, within, type Session } from '../testing/harness'

/**
 * 按分工编辑 through the real server and the y-websocket protocol: a raw client's direct edit outside
 * its drafter's sections is refused and the client told to resync (close 4409), as for reviewers;
 * inside its sections it goes through.
 */
const ctx = new TestContext()
afterEach(() => ctx.cleanup())

const TEXT = ['分工测试', '一、第一部分', '第一部分正文。', '二、第二部分', '第二部分正文。'].join('\n')
const person = (session: Session) => ({ id: session.user.id, name: session.user.displayName })

function edit(ydoc: Y.Doc, change: (doc: PMNode) => PMNode): void {
  const next = change(yDocToNode(ydoc))
  ydoc.transact(() => updateYFragment(ydoc, ydoc.getXmlFragment(CONTENT_FRAGMENT), next, { mapping: new Map(), isOMark: new Map() }))
}
const typeAt = (needle: string, text: string) => (doc: PMNode) => EditorState.create({ doc }).tr.insertText(text, textPos(doc, needle)).doc

describe('按分工编辑 over the protocol', () => {
  it('refuses and resyncs a raw client typing outside its sections; lets it type inside them', async () => {
    const running = await ctx.startServer()
    const owner = await running.createUser('owner', { displayName: '主笔' })
    const zhang = await running.createUser('zhang', { displayName: '张三' })
    const li = await running.createUser('li', { displayName: '李四' })
    const doc = await createDocument(owner, '分工测试', TEXT)
    await share(owner, doc.id, 'zhang', 'drafter')
    await share(owner, doc.id, 'li', 'drafter')
    const ownerClient = await ctx.syncedProvider(owner, doc.id)
    for (const [label, who] of [['一、第一部分', zhang], ['二、第二部分', li]] as const) {
      edit(ownerClient.doc, (d) => {
        let next = d
        sectionAction(findSection(d, label).pos, 'assign', person(owner), [person(who)])(EditorState.create({ doc: d }), (tr) => (next = tr.doc))
        return next
      })
    }
    setOption(ownerClient.doc, 'byAssignment', true)

    const inside = await ctx.syncedYClient(zhang, doc.id)
    await waitFor(() => inside.doc.getMap('options').get('byAssignment') === true, 10_000, 'the option reaches 张三')
    edit(inside.doc, typeAt('第一部分正文', '张三写'))
    await waitFor(() => yDocToNode(ownerClient.doc).textContent.includes('张三写第一部分正文'), 10_000, '张三’s edit in 一')
    expect(inside.raw.closeInfo).toBeNull()

    const outside = await ctx.syncedYClient(zhang, doc.id)
    edit(outside.doc, typeAt('第二部分正文', '越界'))
    expect((await within(outside.closed, 5_000, 'the refusal (close 4409)')).code).toBe(4409)
    expect(outside.permissionDenied.length).toBe(1)
    expect(yDocToNode(ownerClient.doc).textContent).not.toContain('越界')
  })

  it('the submission check lists sections not 定稿, and blocks with the owner’s 未定稿不得提交', async () => {
    const running = await ctx.startServer()
    const owner = await running.createUser('owner', { displayName: '主笔' })
    const zhang = await running.createUser('zhang', { displayName: '张三' })
    const doc = await createDocument(owner, '分工测试', TEXT)
    await share(owner, doc.id, 'zhang', 'drafter')
    const ownerClient = await ctx.syncedProvider(owner, doc.id)
    expect((await api(owner, 'GET', `/api/documents/${doc.id}/check`)).body.ok).toBe(true)
    edit(ownerClient.doc, (d) => {
      let next = d
      sectionAction(findSection(d, '一、第一部分').pos, 'assign', person(owner), [person(zhang)])(EditorState.create({ doc: d }), (tr) => (next = tr.doc))
      return next
    })
    const check = async () => (await api(owner, 'GET', `/api/documents/${doc.id}/check`)).body
    await waitFor(async () => (await check()).unfinishedSections.length === 1, 10_000, 'the assignment reaches the server')
    expect(await check()).toMatchObject({ ok: true, unfinishedBlocks: false, unfinishedSections: [{ label: '一、第一部分', status: 'drafting', assignees: ['张三'] }] })
    setOption(ownerClient.doc, 'requireFinal', true)
    await waitFor(async () => (await check()).unfinishedBlocks === true, 10_000, 'the option reaches the server')
    expect((await check()).ok).toBe(false)
    const refused = await api(owner, 'POST', `/api/documents/${doc.id}/submit`, { json: { versionName: '报送稿' } })
    expect(refused.status).toBe(409)
    expect(refused.body.check.unfinishedSections).toHaveLength(1)
  })
})

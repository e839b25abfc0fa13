import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState, TextSelection, type Command } from '@tiptap/pm/state'
import { Transform } from '@tiptap/pm/transform'
import { updateYFragment } from '@tiptap/y-tiptap'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { insertSectionAfter, moveSection, promoteSection } from '../../shared/editor/commands/sections'
import { analyzeReport } from '../../shared/editor/lib/analyzeReport'
import { CONTENT_FRAGMENT, yDocToNode } from '../../shared/editor/lib/ydoc'
import { schema } from '../../shared/editor/schema'
import {
  STRUCTURAL_ATTR,
  reviewStructural,
  serializeStructural,
  structuralSuggestions,
  suggestSectionChange,
  suggestSectionInsert,
} from '../../shared/editor/suggestions/structural'
import { TestContext, api, createDocument, share, within, type Session, type YClient } from '../testing/harness'
import { settle } from '../testing/team'

/**
 * The review guard and structural suggestions (a record on a section node, shared/editor/suggestions/
 * structural.ts), with the Yjs updates the editor's binding would send (y-tiptap's updateYFragment)
 * and hand-made ones: a reviewer may add and withdraw their own, nothing else.
 */
const ctx = new TestContext()
afterEach(() => ctx.cleanup())

const TEXT = ['结构测试', '一、第一部分', '第一部分正文。', '（一）第一小节', '小节正文。', '（二）第二小节', '小节正文二。', '二、第二部分', '第二部分正文。'].join('\n')

async function team() {
  const running = await ctx.startServer()
  const owner = await running.createUser('owner', { displayName: '主笔' })
  const drafter = await running.createUser('drafter', { displayName: '起草人' })
  const reviewer = await running.createUser('reviewer', { displayName: '审阅人' })
  const reviewer2 = await running.createUser('reviewer2', { displayName: '另一位审阅人' })
  const viewer = await running.createUser('viewer', { displayName: '查看者' })
  const doc = await createDocument(owner, '结构测试', TEXT)
  await share(owner, doc.id, 'drafter', 'drafter')
  await share(owner, doc.id, 'reviewer', 'reviewer')
  await share(owner, doc.id, 'reviewer2', 'reviewer')
  await share(owner, doc.id, 'viewer', 'viewer')
  return { doc, owner, drafter, reviewer, reviewer2, viewer }
}

const authorOf = (session: Session) => ({ id: session.user.id, name: session.user.displayName })

/** The caret at the start of the title of the section labelled `label`. */
function caretIn(doc: PMNode, label: string): EditorState {
  const section = analyzeReport(doc).sections.find((entry) => entry.label === label)
  if (!section) throw new Error(`no section ${label}`)
  return EditorState.create({ doc, selection: TextSelection.create(doc, section.pos + 2) })
}

function applied(state: EditorState, command: Command): PMNode {
  let result: PMNode | null = null
  if (!command(state, (tr) => (result = tr.doc))) throw new Error('command refused')
  return result!
}

/** Changes the client's document the way the editor's Yjs binding turns a ProseMirror change into Yjs. */
function edit(ydoc: Y.Doc, change: (doc: PMNode) => PMNode): void {
  const next = change(yDocToNode(ydoc))
  ydoc.transact(() => updateYFragment(ydoc, ydoc.getXmlFragment(CONTENT_FRAGMENT), next, { mapping: new Map(), isOMark: new Map() }))
}


async function expectRefused(client: YClient): Promise<void> {
  expect((await within(client.closed, 5_000, 'the refusal (close 4409)')).code).toBe(4409)
}

const pending = async (session: Session, id: string) => (await api(session, 'GET', `/api/documents/${id}/review`)).body.pendingSuggestions

describe('structural suggestions and the review guard', () => {
  it('accepts a reviewer’s own structural suggestions (move, promote, new section with its title) and their withdrawal', async () => {
    const { doc, owner, drafter, reviewer } = await team()
    const drafterClient = await ctx.syncedProvider(drafter, doc.id)
    const ownerClient = await ctx.syncedProvider(owner, doc.id)
    const client = await ctx.syncedYClient(reviewer, doc.id)
    const before = yDocToNode(drafterClient.doc)
    const me = authorOf(reviewer)

    edit(client.doc, (d) => {
      const state = EditorState.create({ doc: d, selection: caretIn(d, '二、第二部分').selection })
      let next = applied(state, suggestSectionInsert(insertSectionAfter, me))
      // Its title, typed in 建议 mode: suggested text in the new (suggested) section.
      const created = structuralSuggestions(next).find((entry) => entry.suggestion.op === 'insert')!
      const insertion = schema.marks.insertion.create({ id: 's-title', authorId: me.id, authorName: me.name, createdAt: new Date().toISOString() })
      next = new Transform(next).insert(created.pos + 2, schema.text('新增部分', [insertion])).doc
      return next
    })
    edit(client.doc, (d) => applied(caretIn(d, '一、第一部分'), suggestSectionChange('moveDown', me)))
    edit(client.doc, (d) => applied(caretIn(d, '（二）第二小节'), suggestSectionChange('promote', me)))
    await settle(ownerClient, drafterClient, 'after-suggestions')
    expect(client.raw.closeInfo).toBeNull()
    expect(client.permissionDenied).toEqual([])
    const listed = await pending(owner, doc.id)
    expect(listed.filter((entry: { type: string }) => entry.type === 'structure')).toEqual([
      expect.objectContaining({ type: 'structure', change: '下移章节', authorId: reviewer.user.id, authorName: '审阅人' }),
      expect.objectContaining({ type: 'structure', change: '升为一级', authorId: reviewer.user.id }),
      expect.objectContaining({ type: 'structure', change: '新增章节', authorId: reviewer.user.id }),
    ])
    // Nothing moved while pending: the drafter's outline is the original one plus the new section.
    expect(analyzeReport(yDocToNode(drafterClient.doc)).sections.map((s) => s.label)).toEqual([
      '一、第一部分',
      '（一）第一小节',
      '（二）第二小节',
      '二、第二部分',
      '三、新增部分',
    ])

    // Withdrawing all of them (their 拒绝) is allowed and restores the document exactly.
    edit(client.doc, (d) => {
      const tr = new Transform(d)
      reviewStructural(tr, false, (suggestion) => suggestion.authorId === me.id)
      return tr.doc
    })
    await settle(ownerClient, drafterClient, 'after-withdrawal')
    expect(client.raw.closeInfo).toBeNull()
    expect(yDocToNode(drafterClient.doc).eq(before)).toBe(true)
  })

  it('refuses a reviewer’s plain structural edits: a move, a promote, a level or run-in set directly', async () => {
    const { doc, owner, drafter, reviewer } = await team()
    const drafterClient = await ctx.syncedProvider(drafter, doc.id)
    const ownerClient = await ctx.syncedProvider(owner, doc.id)
    const before = yDocToNode(drafterClient.doc)
    const attempts: [string, (d: PMNode) => PMNode][] = [
      ['move', (d) => applied(caretIn(d, '一、第一部分'), moveSection(1))],
      ['promote', (d) => applied(caretIn(d, '（二）第二小节'), promoteSection)],
      ['new section', (d) => applied(caretIn(d, '二、第二部分'), insertSectionAfter)],
      ['level', (d) => new Transform(d).setNodeAttribute(analyzeReport(d).sections[1].pos, 'level', 3).doc],
      ['run-in', (d) => new Transform(d).setNodeAttribute(analyzeReport(d).sections[1].pos, 'runIn', true).doc],
    ]
    for (const [what, change] of attempts) {
      const client = await ctx.syncedYClient(reviewer, doc.id)
      edit(client.doc, change)
      await expectRefused(client).catch((error) => {
        throw new Error(`${what}: ${error}`)
      })
    }
    await settle(ownerClient, drafterClient, 'after-plain')
    expect(yDocToNode(drafterClient.doc).eq(before)).toBe(true)
  })

  it('refuses forging another person’s structural suggestion, withdrawing it, or a malformed record', async () => {
    const { doc, owner, drafter, reviewer, reviewer2, viewer } = await team()
    const drafterClient = await ctx.syncedProvider(drafter, doc.id)
    const ownerClient = await ctx.syncedProvider(owner, doc.id)
    // reviewer2's own suggestion is fine.
    const other = await ctx.syncedYClient(reviewer2, doc.id)
    edit(other.doc, (d) => applied(caretIn(d, '（一）第一小节'), suggestSectionChange('moveDown', authorOf(reviewer2))))
    await settle(ownerClient, drafterClient, 'theirs')
    expect(other.raw.closeInfo).toBeNull()
    const withTheirs = yDocToNode(drafterClient.doc)
    expect(structuralSuggestions(withTheirs)).toHaveLength(1)

    const attempts: [string, Session, (d: PMNode) => PMNode][] = [
      ['forged in reviewer2’s name', reviewer, (d) => applied(caretIn(d, '二、第二部分'), suggestSectionChange('moveUp', authorOf(reviewer2)))],
      ['forged new section', reviewer, (d) => applied(caretIn(d, '二、第二部分'), suggestSectionInsert(insertSectionAfter, authorOf(drafter)))],
      [
        'withdrawing reviewer2’s',
        reviewer,
        (d) => {
          const tr = new Transform(d)
          reviewStructural(tr, false, () => true)
          return tr.doc
        },
      ],
      [
        'accepting reviewer2’s',
        reviewer,
        (d) => {
          const tr = new Transform(d)
          reviewStructural(tr, true, () => true)
          return tr.doc
        },
      ],
      ['malformed record', reviewer, (d) => new Transform(d).setNodeAttribute(analyzeReport(d).sections[3].pos, STRUCTURAL_ATTR, '{"op":"moveUp"').doc],
      [
        'unknown operation',
        reviewer,
        (d) =>
          new Transform(d).setNodeAttribute(
            analyzeReport(d).sections[3].pos,
            STRUCTURAL_ATTR,
            JSON.stringify([{ id: 'x', op: 'delete', authorId: reviewer.user.id, authorName: '审阅人', createdAt: '2026-01-01T00:00:00.000Z', seq: 5 }]),
          ).doc,
      ],
      ['a viewer’s own', viewer, (d) => applied(caretIn(d, '二、第二部分'), suggestSectionChange('moveUp', authorOf(viewer)))],
    ]
    for (const [what, session, change] of attempts) {
      const client = await ctx.syncedYClient(session, doc.id)
      edit(client.doc, change)
      await expectRefused(client).catch((error) => {
        throw new Error(`${what}: ${error}`)
      })
    }
    await settle(ownerClient, drafterClient, 'after-forgeries')
    expect(yDocToNode(drafterClient.doc).eq(withTheirs)).toBe(true)
    expect(serializeStructural([])).toBeNull()
  })
})

import type { Node as PMNode } from '@tiptap/pm/model'
import { EditorState, TextSelection, type Command } from '@tiptap/pm/state'
import { updateYFragment } from '@tiptap/y-tiptap'
import fc from 'fast-check'
import { beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { demoteSection, moveSection, promoteSection } from '../../shared/editor/commands/sections'
import { suggestTransaction } from '../../shared/editor/suggestions/suggestTransaction'
import { CONTENT_FRAGMENT, docJSONToUpdate, yDocToNode, type DocJSON } from '../../shared/editor/lib/ydoc'
import { analyzeReport } from '../../shared/editor/lib/analyzeReport'
import { docFromText, findSection, sampleDoc, textPos } from '../../shared/editor/testing/reportFixtures'
import { notDirectReason } from '../../shared/sections/sectionTree'
import { sectionAction } from '../../shared/sections/commands'
import { OPTIONS_MAP, setOption } from '../../shared/sections/options'
import { parseWorkflow, WORKFLOW_ATTR, type Person } from '../../shared/sections/workflow'
import type { Role } from '../../shared/roles'
import { CollabDocument } from '../collab/CollabDocument'
import { ReviewGuard } from './ReviewGuard'
import { allowsUpdate, checkSectionRules } from './SectionGuard'

/**
 * The section rules of joint drafting on raw Yjs updates, built the way the editor's binding builds
 * them (y-tiptap's updateYFragment) and by hand: inside and outside one's sections, in a 定稿 section,
 * moving a section into or out of an assigned one, and record changes by each role.
 */
const TEXT = [
  '分工测试',
  '一、第一部分',
  '第一部分正文。',
  '（一）第一小节',
  '第一小节正文。',
  '（二）第二小节',
  '第二小节正文。',
  '二、第二部分',
  '第二部分正文。',
  '三、第三部分',
  '第三部分正文。',
].join('\n')

const owner: Person = { id: 'owner', name: '主笔' }
const zhang: Person = { id: 'zhang', name: '张三' }
const li: Person = { id: 'li', name: '李四' }
const lead: Person = { id: 'lead', name: '王局长' }
const roles: Record<string, Role> = { owner: 'owner', zhang: 'drafter', li: 'drafter', lead: 'reviewer', viewer: 'viewer' }

let server: CollabDocument
let guard: ReviewGuard

/** Runs a ProseMirror command on a client copy of the server's document and returns the Yjs update the binding sends. */
function updateFrom(change: (doc: PMNode) => PMNode | null): Uint8Array {
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server.ydoc))
  const next = change(yDocToNode(client))
  if (!next) throw new Error('the change did nothing')
  let update: Uint8Array | null = null
  client.on('update', (u: Uint8Array) => (update = u))
  client.transact(() => updateYFragment(client, client.getXmlFragment(CONTENT_FRAGMENT), next, { mapping: new Map(), isOMark: new Map() }))
  client.destroy()
  if (!update) throw new Error('no update')
  return update
}

function run(doc: PMNode, at: number, command: Command): PMNode | null {
  const state = EditorState.create({ doc, selection: TextSelection.create(doc, at) })
  let result: PMNode | null = null
  command(state, (tr) => (result = tr.doc))
  return result
}

const typeAt = (needle: string, text = '新增') => (doc: PMNode) => {
  const pos = textPos(doc, needle)
  return EditorState.create({ doc }).tr.insertText(text, pos).doc
}
const titleOf = (label: string, parent?: string) => (doc: PMNode) => findSection(doc, label, parent).pos + 2
const act = (label: string, action: Parameters<typeof sectionAction>[1], by: Person, assignees?: Person[], parent?: string) => (doc: PMNode) =>
  run(doc, 1, sectionAction(findSection(doc, label, parent).pos, action, by, assignees))

/** What the server does with an update from `who`: check it, and apply it when allowed. */
function send(who: string, update: Uint8Array): boolean {
  const verdict = allowsUpdate(guard, server, update, who, who, roles[who])
  if (verdict === true) Y.applyUpdate(server.ydoc, update, who)
  return verdict === true
}

const textOfServer = () => yDocToNode(server.ydoc).textContent

beforeEach(() => {
  server = new CollabDocument('d')
  guard = new ReviewGuard()
  Y.applyUpdate(server.ydoc, docJSONToUpdate(docFromText(TEXT).toJSON() as DocJSON))
  // The owner assigns 一 to 张三 and 二 to 李四 and turns 按分工编辑 on.
  expect(send('owner', updateFrom(act('一、第一部分', 'assign', owner, [zhang])))).toBe(true)
  expect(send('owner', updateFrom(act('二、第二部分', 'assign', owner, [li])))).toBe(true)
  const options = new Y.Doc()
  Y.applyUpdate(options, Y.encodeStateAsUpdate(server.ydoc))
  options.on('update', (u: Uint8Array) => expect(send('owner', u)).toBe(true))
  setOption(options, 'byAssignment', true)
})

describe('按分工编辑: direct edits', () => {
  it('a drafter types in their own section (also in a sub-section of it) on the fast path, without the comparison', () => {
    const update = updateFrom(typeAt('第一部分正文'))
    expect(checkSectionRules(server, update, 'zhang', 'drafter')).toEqual({ verdict: 'allow' })
    expect(send('zhang', update)).toBe(true)
    expect(send('zhang', updateFrom(typeAt('第二小节正文')))).toBe(true)
    expect(send('zhang', updateFrom((doc) => run(doc, titleOf('一、第一部分')(doc) + 1, (s, d) => (d?.(s.tr.insertText('标题')), true))))).toBe(true)
    expect(textOfServer()).toContain('新增第一部分正文')
  })

  it('refuses a drafter’s direct edit outside their sections: another’s section, an unassigned one, the title', () => {
    for (const needle of ['第二部分正文', '第三部分正文', '分工测试']) {
      const update = updateFrom(typeAt(needle))
      expect(checkSectionRules(server, update, 'zhang', 'drafter')).toEqual({ verdict: 'compare' })
      expect(send('zhang', update)).toBe(false)
    }
    expect(textOfServer()).not.toContain('新增')
  })

  it('lets a drafter suggest outside their sections (their own suggestion, the editor’s 建议)', () => {
    const update = updateFrom((doc) => {
      const state = EditorState.create({ doc })
      return suggestTransaction(state.tr.insertText('建议', textPos(doc, '第二部分正文')), state, zhang)?.doc ?? null
    })
    expect(send('zhang', update)).toBe(true)
    expect(textOfServer()).toContain('建议第二部分正文')
  })

  it('with 按分工编辑 off nothing of this applies', () => {
    const options = new Y.Doc()
    Y.applyUpdate(options, Y.encodeStateAsUpdate(server.ydoc))
    options.on('update', (u: Uint8Array) => expect(send('owner', u)).toBe(true))
    setOption(options, 'byAssignment', false)
    expect(checkSectionRules(server, updateFrom(typeAt('第二部分正文')), 'zhang', 'drafter')).toEqual({ verdict: 'allow' })
    expect(send('zhang', updateFrom(typeAt('第二部分正文')))).toBe(true)
  })
})

describe('按分工编辑: a 定稿 section', () => {
  beforeEach(() => {
    expect(send('zhang', updateFrom(act('一、第一部分', 'submit', zhang)))).toBe(true)
    expect(send('lead', updateFrom(act('一、第一部分', 'approve', lead)))).toBe(true)
  })

  it('refuses direct edits from its drafter and anyone else but the owner; suggestions still go in', () => {
    expect(send('zhang', updateFrom(typeAt('第一部分正文')))).toBe(false)
    expect(send('zhang', updateFrom(typeAt('第一小节正文')))).toBe(false)
    expect(send('li', updateFrom(typeAt('第一部分正文')))).toBe(false)
    expect(send('owner', updateFrom(typeAt('第一部分正文', '主笔改')))).toBe(true)
    const suggestion = updateFrom((doc) => {
      const state = EditorState.create({ doc })
      return suggestTransaction(state.tr.insertText('建议', textPos(doc, '第一小节正文')), state, zhang)?.doc ?? null
    })
    expect(send('zhang', suggestion)).toBe(true)
    expect(textOfServer()).toContain('主笔改第一部分正文')
    expect(textOfServer()).toContain('建议第一小节正文')
  })

  it('a 定稿 sub-section inside one’s own section can be neither edited, deleted nor dissolved', () => {
    expect(send('owner', updateFrom(act('一、第一部分', 'return', owner)))).toBe(true)
    expect(send('zhang', updateFrom(act('（二）第二小节', 'submit', zhang)))).toBe(true)
    expect(send('lead', updateFrom(act('（二）第二小节', 'approve', lead)))).toBe(true)
    expect(send('zhang', updateFrom(typeAt('第一部分正文')))).toBe(true)
    expect(send('zhang', updateFrom(typeAt('第二小节正文')))).toBe(false)
    const deleted = updateFrom((doc) => {
      const section = findSection(doc, '（二）第二小节')
      return EditorState.create({ doc }).tr.delete(section.pos, section.end).doc
    })
    expect(send('zhang', deleted)).toBe(false)
    // Deleting an open sub-section of one's own is an edit like any other.
    const open = updateFrom((doc) => {
      const section = findSection(doc, '（一）第一小节')
      return EditorState.create({ doc }).tr.delete(section.pos, section.end).doc
    })
    expect(send('zhang', open)).toBe(true)
  })
})

describe('按分工编辑: moving sections', () => {
  it('moves among one’s own sections are allowed', () => {
    expect(send('zhang', updateFrom((doc) => run(doc, titleOf('（二）第二小节')(doc), moveSection(-1))))).toBe(true)
    expect(findSection(yDocToNode(server.ydoc), '（一）第二小节')).toBeTruthy()
  })

  it('refuses moving a section out of one’s own (promote), into one’s own (demote someone else’s), or swapping with another’s', () => {
    expect(send('zhang', updateFrom((doc) => run(doc, titleOf('（二）第二小节')(doc), promoteSection)))).toBe(false)
    expect(send('zhang', updateFrom((doc) => run(doc, titleOf('二、第二部分')(doc), demoteSection)))).toBe(false)
    expect(send('zhang', updateFrom((doc) => run(doc, titleOf('一、第一部分')(doc), moveSection(1))))).toBe(false)
    expect(send('zhang', updateFrom((doc) => run(doc, titleOf('三、第三部分')(doc), demoteSection)))).toBe(false)
    expect(textOfServer()).toBe(yDocToNode(server.ydoc).textContent)
    expect(findSection(yDocToNode(server.ydoc), '二、第二部分')).toBeTruthy()
  })

  it('the owner moves an assigned section and its record moves with it', () => {
    expect(send('owner', updateFrom((doc) => run(doc, titleOf('二、第二部分')(doc), moveSection(-1))))).toBe(true)
    const moved = findSection(yDocToNode(server.ydoc), '一、第二部分')
    expect(parseWorkflow(yDocToNode(server.ydoc).nodeAt(moved.pos)!.attrs[WORKFLOW_ATTR])?.assignees).toEqual([li])
    // 李四 still types there directly after the move.
    expect(send('li', updateFrom(typeAt('第二部分正文')))).toBe(true)
  })
})

describe('records and options', () => {
  it('only the owner assigns; drafters submit their own sections; the leader approves; viewers change nothing', () => {
    expect(send('zhang', updateFrom(act('二、第二部分', 'assign', zhang, [zhang])))).toBe(false)
    expect(send('lead', updateFrom(act('三、第三部分', 'assign', lead, [lead])))).toBe(false)
    expect(send('li', updateFrom(act('一、第一部分', 'submit', li)))).toBe(false)
    expect(send('zhang', updateFrom(act('一、第一部分', 'submit', zhang)))).toBe(true)
    expect(send('zhang', updateFrom(act('一、第一部分', 'approve', zhang)))).toBe(false)
    expect(send('viewer', updateFrom(act('一、第一部分', 'approve', { id: 'viewer', name: '查看者' })))).toBe(false)
    expect(send('lead', updateFrom(act('一、第一部分', 'approve', lead)))).toBe(true)
    expect(send('zhang', updateFrom(act('一、第一部分', 'return', zhang)))).toBe(false)
    expect(send('lead', updateFrom(act('一、第一部分', 'return', lead)))).toBe(true)
  })

  it('refuses a forged record written by hand: a drafter sets 定稿 on their own section, or removes its record', () => {
    const forge = (change: (section: Y.XmlElement) => void) => {
      const client = new Y.Doc()
      Y.applyUpdate(client, Y.encodeStateAsUpdate(server.ydoc))
      let update: Uint8Array | null = null
      client.on('update', (u: Uint8Array) => (update = u))
      change(client.getXmlFragment(CONTENT_FRAGMENT).toArray().find((n) => n instanceof Y.XmlElement && n.nodeName === 'section') as Y.XmlElement)
      return update!
    }
    const final = forge((section) => {
      const record = parseWorkflow(section.getAttribute(WORKFLOW_ATTR))!
      section.setAttribute(WORKFLOW_ATTR, JSON.stringify({ ...record, status: 'final' }) as never)
    })
    expect(send('zhang', final)).toBe(false)
    expect(send('zhang', forge((section) => section.removeAttribute(WORKFLOW_ATTR)))).toBe(false)
    expect(send('owner', forge((section) => section.removeAttribute(WORKFLOW_ATTR)))).toBe(true)
  })

  it('only the owner changes the document options', () => {
    for (const who of ['zhang', 'lead', 'viewer']) {
      const client = new Y.Doc()
      Y.applyUpdate(client, Y.encodeStateAsUpdate(server.ydoc))
      let update: Uint8Array | null = null
      client.on('update', (u: Uint8Array) => (update = u))
      client.getMap(OPTIONS_MAP).set('byAssignment', false)
      expect(send(who, update!)).toBe(false)
    }
  })
})

describe('the editor and the server agree (property, sample report)', () => {
  const people = [null, zhang, li] as const
  // Per section: who drafts it (mostly nobody) and how far it is.
  const plan = fc.array(fc.record({ who: fc.constantFrom(0, 0, 1, 1, 2), status: fc.constantFrom('drafting', 'pending', 'final') }), { minLength: 14, maxLength: 14 })

  it('a direct edit passes exactly where the editor edits directly (elsewhere it suggests), and the suggestion passes', () => {
    const seen = { direct: 0, refused: 0 }
    fc.assert(
      fc.property(plan, fc.nat(), fc.nat(), fc.boolean(), (sections, at, length, suggest) => {
        let doc = sampleDoc()
        analyzeReport(doc).sections.forEach((_, index) => {
          const { who, status } = sections[index % sections.length]
          const person = people[who]
          const apply = (action: Parameters<typeof sectionAction>[1], assignees?: Person[]) =>
            sectionAction(analyzeReport(doc).sections[index].pos, action, owner, assignees)(EditorState.create({ doc }), (tr) => (doc = tr.doc))
          if (!person) return
          apply('assign', [person])
          if (status !== 'drafting') apply('submit')
          if (status === 'final') apply('approve')
        })
        server = new CollabDocument('p')
        guard = new ReviewGuard()
        Y.applyUpdate(server.ydoc, docJSONToUpdate(doc.toJSON() as DocJSON))
        setOption(server.ydoc, 'byAssignment', true)
        // A range inside one paragraph or title (typing over a selection).
        const blocks: { from: number; to: number }[] = []
        doc.descendants((node, pos) => {
          if (node.isTextblock && node.content.size > 0) blocks.push({ from: pos + 1, to: pos + 1 + node.content.size })
        })
        const block = blocks[at % blocks.length]
        const from = block.from + (at % (block.to - block.from))
        const to = Math.min(block.to, from + (length % 4))
        const expected = notDirectReason(doc, from, to, zhang.id) === null
        if (!suggest) seen[expected ? 'direct' : 'refused']++
        const update = updateFrom((current) => {
          const state = EditorState.create({ doc: current, selection: TextSelection.create(current, from, to) })
          const tr = state.tr.insertText('甲', from, to)
          return suggest ? (suggestTransaction(tr, state, zhang)?.doc ?? null) : tr.doc
        })
        expect(allowsUpdate(guard, server, update, 'zhang', 'zhang', 'drafter') === true).toBe(suggest || expected)
      }),
      { numRuns: 80 },
    )
    // Both outcomes were tried (the property is not vacuous).
    expect(seen.direct).toBeGreaterThan(0)
    expect(seen.refused).toBeGreaterThan(0)
  })
})

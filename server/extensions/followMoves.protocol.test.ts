import type { Node as PMNode } from '@tiptap/pm/model'
import { Transform } from '@tiptap/pm/transform'
import { updateYFragment } from '@tiptap/y-tiptap'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CONTENT_FRAGMENT, yDocToNode } from '../../shared/editor/lib/ydoc'
import { TestContext, createDocument, share, waitFor, type ProviderHandle } from '../testing/harness'

/**
 * The server moves typing along with text another person moved at the same moment (FollowMoves,
 * shared/editor/lib/followMoves.ts), for stock y-websocket clients: a join made with the editor's Yjs
 * binding (y-tiptap's updateYFragment) while another drafter types in the joined paragraph, live and
 * offline. Without the extension the typing is gone for everyone (checked by removing it from app.ts).
 */
const ctx = new TestContext()
afterEach(() => ctx.cleanup())

const TEXT = ['移动测试', '甲乙丙丁。', '戊己庚辛。'].join('\n')

async function team() {
  const running = await ctx.startServer()
  const owner = await running.createUser('owner', { displayName: '主笔' })
  const zhang = await running.createUser('zhang', { displayName: '张明' })
  const li = await running.createUser('li', { displayName: '李华' })
  const doc = await createDocument(owner, '移动测试', TEXT)
  await share(owner, doc.id, 'zhang', 'drafter')
  await share(owner, doc.id, 'li', 'drafter')
  return { running, doc, owner, zhang, li }
}

/** Changes the client's document the way the editor's Yjs binding turns a ProseMirror change into Yjs. */
function edit(ydoc: Y.Doc, change: (doc: PMNode) => PMNode): void {
  const next = change(yDocToNode(ydoc))
  ydoc.transact(() => updateYFragment(ydoc, ydoc.getXmlFragment(CONTENT_FRAGMENT), next, { mapping: new Map(), isOMark: new Map() }))
}

/** Backspace at the start of the paragraph beginning with `start`: joined with the paragraph before. */
function joinAt(ydoc: Y.Doc, start: string): void {
  edit(ydoc, (doc) => {
    let at = -1
    doc.descendants((node, pos) => {
      if (at < 0 && node.type.name === 'paragraph' && node.textContent.startsWith(start)) at = pos
      return at < 0
    })
    return new Transform(doc).join(at).doc
  })
}

/** Typing `text` in the paragraph holding `before`, right before it, as the binding would write it. */
function typeBefore(ydoc: Y.Doc, before: string, text: string): void {
  const fragment = ydoc.getXmlFragment(CONTENT_FRAGMENT)
  const walk = (type: Y.XmlElement | Y.XmlFragment): boolean => {
    for (const child of type.toArray()) {
      if (child instanceof Y.XmlText) {
        const index = child.toString().indexOf(before)
        if (index >= 0) {
          child.insert(index, text)
          return true
        }
      } else if (child instanceof Y.XmlElement && walk(child)) return true
    }
    return false
  }
  if (!walk(fragment)) throw new Error(`no ${before}`)
}

const paragraphs = (client: ProviderHandle) => {
  const out: string[] = []
  yDocToNode(client.doc).descendants((node) => {
    if (node.type.name === 'paragraph') out.push(node.textContent)
    return true
  })
  return out
}

describe('typing in a paragraph another drafter joins at the same moment', () => {
  it('stays, where it was typed, for both and for anyone who opens the report afterwards', async () => {
    const { doc, zhang, li, owner } = await team()
    const a = await ctx.syncedProvider(zhang, doc.id)
    const b = await ctx.syncedProvider(li, doc.id)
    // Both made before either has the other's change.
    joinAt(a.doc, '戊己')
    typeBefore(b.doc, '庚辛', '新增')
    const expected = '甲乙丙丁。戊己新增庚辛。'
    for (const client of [a, b]) await waitFor(() => paragraphs(client).includes(expected), 10_000, `${expected} on both`)
    expect(paragraphs(a)).toEqual(paragraphs(b))
    const later = await ctx.syncedProvider(owner, doc.id)
    expect(paragraphs(later)).toContain(expected)
  })

  it('typed offline, arrives with the joined paragraph when the drafter reconnects', async () => {
    const { doc, zhang, li } = await team()
    const a = await ctx.syncedProvider(zhang, doc.id)
    const b = await ctx.syncedProvider(li, doc.id)
    b.provider.disconnect()
    typeBefore(b.doc, '戊己', '离线')
    typeBefore(b.doc, '庚辛', '补充')
    joinAt(a.doc, '戊己')
    await waitFor(() => paragraphs(a).includes('甲乙丙丁。戊己庚辛。'), 10_000, 'the join at the server')
    b.provider.connect()
    const expected = '甲乙丙丁。离线戊己补充庚辛。'
    for (const client of [a, b]) await waitFor(() => paragraphs(client).includes(expected), 10_000, `${expected} on both`)
    expect(paragraphs(a)).toEqual(paragraphs(b))
  })
})

import type { NodeType } from '@tiptap/pm/model'
import * as Y from 'yjs'
import { markNameOf } from '../../shared/editor/lib/contentRules'
import { CONTENT_FRAGMENT } from '../../shared/editor/lib/ydoc'
import { schema } from '../../shared/editor/schema'

const INSERTION = schema.marks.insertion

/**
 * The review guard's fast path: decides, in time proportional to the paragraphs an update touched,
 * the commonest reviewer update — typing (or withdrawing) text that carries their own insertion mark
 * inside existing paragraphs. It only ever says "allowed"; anything it does not recognise is left to
 * the full comparison of the whole document (ReviewGuard), so it can never let through what that
 * refuses as long as its one claim holds: every type the update changed is a text of a textblock in
 * the content, and in each, with runs carrying the person's own insertion mark taken out, the text
 * and all its formatting are the same before and after. Taking those runs out is what withdrawing
 * the person's suggestions (the full check's normal form) does to text inside a paragraph.
 */
export function onlyOwnInsertedText(live: Y.Doc, shadow: Y.Doc, changed: Iterable<Y.AbstractType<any>>, personId: string): boolean {
  const content = shadow.getXmlFragment(CONTENT_FRAGMENT)
  let any = false
  for (const type of changed) {
    any = true
    if (!(type instanceof Y.XmlText) || !type._item || type._item.deleted) return false
    if (!underContent(type, content)) return false
    const block = schema.nodes[(type.parent as Y.XmlElement).nodeName] as NodeType | undefined
    if (!block?.isTextblock || !INSERTION || !block.allowsMarkType(INSERTION)) return false
    const before = liveCounterpart(live, type)
    if (!before) return false
    const a = withoutOwnInsertions(before.toDelta(), personId, block)
    const b = withoutOwnInsertions(type.toDelta(), personId, block)
    if (a === null || b === null || a !== b) return false
  }
  return any
}

/** Whether `text` sits in an element chain, none of it deleted, that ends at the content fragment. */
function underContent(text: Y.XmlText, content: Y.XmlFragment): boolean {
  let node: Y.AbstractType<any> = text
  for (;;) {
    const parent = node._item?.parent
    if (!(parent instanceof Y.AbstractType)) return false
    if (parent === content) return node !== text
    if (!(parent instanceof Y.XmlElement) || parent.constructor !== Y.XmlElement || !parent._item || parent._item.deleted) return false
    node = parent
  }
}

/** The same text in the live document (it existed before the update: it is in `changed`). */
function liveCounterpart(live: Y.Doc, text: Y.XmlText): Y.XmlText | null {
  const id = text._item!.id
  if ((live.store.clients.get(id.client)?.length ?? 0) === 0) return null
  try {
    const item = Y.getItem(live.store, id)
    const type = item instanceof Y.Item && item.content instanceof Y.ContentType ? item.content.type : null
    return type instanceof Y.XmlText && !item.deleted ? type : null
  } catch {
    return null
  }
}

type Attributes = Record<string, unknown> | undefined

/**
 * Whether a run marked as the person's insertion stays one in the editor's view: every other mark on
 * it is a mark of the schema that `block` allows and that neither excludes the insertion mark nor is
 * excluded by it (otherwise ProseMirror would drop one of them, and the text might stay).
 */
function insertionSurvives(keys: string[], block: NodeType): boolean {
  return keys.every((key) => {
    const mark = schema.marks[markNameOf(key)]
    return mark !== undefined && block.allowsMarkType(mark) && (mark === INSERTION || (!mark.excludes(INSERTION) && !INSERTION.excludes(mark)))
  })
}

/**
 * A text's delta with the person's own inserted runs taken out and equal neighbours joined, as a
 * comparable string; null when the text holds something other than strings, a run with more than
 * one insertion mark, or an own insertion the editor would not show as one (left to the full check).
 */
function withoutOwnInsertions(delta: Array<{ insert?: unknown; attributes?: Attributes }>, personId: string, block: NodeType): string | null {
  const kept: Array<{ insert: string; attributes: string }> = []
  for (const op of delta) {
    if (typeof op.insert !== 'string') return null
    const insertions = Object.keys(op.attributes ?? {}).filter((key) => markNameOf(key) === 'insertion')
    if (insertions.length > 1) return null
    if (insertions.length === 1) {
      const mark = op.attributes![insertions[0]] as { authorId?: unknown } | null
      if (mark?.authorId === personId) {
        if (!insertionSurvives(Object.keys(op.attributes!), block)) return null
        continue
      }
    }
    const attributes = stableJSON(op.attributes ?? {})
    const last = kept[kept.length - 1]
    if (last && last.attributes === attributes) last.insert += op.insert
    else kept.push({ insert: op.insert, attributes })
  }
  return JSON.stringify(kept)
}

function stableJSON(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined'
  if (Array.isArray(value)) return `[${value.map(stableJSON).join(',')}]`
  const entries = Object.keys(value as object)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${stableJSON((value as Record<string, unknown>)[key])}`)
  return `{${entries.join(',')}}`
}

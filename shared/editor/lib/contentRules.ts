import type { MarkType, NodeType } from '@tiptap/pm/model'
import { isPlaceholderKind } from '../../report/kinds'
import { parseWorkflow, WORKFLOW_ATTR } from '../../sections/workflow'
import { schema } from '../schema'

/**
 * What the Yjs form of a document of the shared schema may hold, as the Tiptap/y-prosemirror binding
 * writes it: an element per node (its name a node type, its attributes that type's attributes), a
 * Y.XmlText per run of text in a textblock, formatting attributes named after marks (`name` or
 * `name--<hash>` for marks that may overlap) whose values are the mark's attributes. Derived from the
 * schema, so the server refuses exactly what the editor could not show.
 */

/** Longest string an attribute value may be (ids, names, dates, placeholder labels). */
export const MAX_ATTRIBUTE_CHARS = 500
/** Longest JSON a modification mark's previous/new value may take. */
const MAX_MODIFICATION_JSON = 2_000

const nodeTypes = new Map<string, NodeType>(Object.entries(schema.nodes).filter(([name]) => name !== 'text'))
const markTypes = new Map<string, MarkType>(Object.entries(schema.marks))

/** Node types that may appear anywhere in `type`'s content (walking its content expression). */
function childTypesOf(type: NodeType): Set<string> {
  const names = new Set<string>()
  const seen = new Set([type.contentMatch])
  const queue = [type.contentMatch]
  while (queue.length > 0) {
    const match = queue.pop()!
    for (let i = 0; i < match.edgeCount; i++) {
      const edge = match.edge(i)
      names.add(edge.type.name)
      if (!seen.has(edge.next)) {
        seen.add(edge.next)
        queue.push(edge.next)
      }
    }
  }
  return names
}

const childTypes = new Map([...nodeTypes].map(([name, type]) => [name, childTypesOf(type)]))

/** The node type of the content fragment itself (the document node). */
export const TOP_NODE = schema.topNodeType.name

/** Whether an element named `child` may be a child of the node `parent` (or of the content fragment). */
export function mayContainElement(parent: string, child: string): boolean {
  return child !== 'text' && nodeTypes.has(child) && (childTypes.get(parent)?.has(child) ?? false)
}

/** Whether the node `parent` holds text (a Y.XmlText child). */
export function mayContainText(parent: string): boolean {
  return nodeTypes.get(parent)?.inlineContent ?? false
}

const boundedString = (value: unknown) => typeof value === 'string' && value.length <= MAX_ATTRIBUTE_CHARS
const optionalString = (value: unknown) => value === null || boundedString(value)

/** Domain ranges the schema's defaults do not say. */
const NODE_ATTRIBUTE_VALUES: Record<string, Record<string, (value: unknown) => boolean>> = {
  section: {
    level: (value) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 4,
    runIn: (value) => typeof value === 'boolean',
    // Joint drafting's record: a bounded JSON string of the record's form (its changes are SectionGuard's).
    [WORKFLOW_ATTR]: (value) => value === null || parseWorkflow(value) !== null,
  },
}

/** A value of the same kind as the attribute's default (string attributes bounded). */
function likeDefault(defaultValue: unknown, value: unknown): boolean {
  if (typeof defaultValue === 'number') return typeof value === 'number' && Number.isFinite(value)
  if (typeof defaultValue === 'boolean') return typeof value === 'boolean'
  return optionalString(value)
}

/** Whether node `node` may carry attribute `key` with `value` (the binding stores non-null attributes). */
export function validNodeAttribute(node: string, key: string, value: unknown): boolean {
  const type = nodeTypes.get(node)
  if (!type || !Object.hasOwn(type.spec.attrs ?? {}, key)) return false
  const check = NODE_ATTRIBUTE_VALUES[node]?.[key]
  return check ? check(value) : likeDefault(type.spec.attrs![key].default, value)
}

/** The mark a formatting attribute stands for: `comment--AbC12+/=` → `comment`. */
export function markNameOf(formattingKey: string): string {
  return /^(.*)--[a-zA-Z0-9+/=]{8}$/.exec(formattingKey)?.[1] ?? formattingKey
}

const MARK_ATTRIBUTE_VALUES: Record<string, Record<string, (value: unknown) => boolean>> = {
  placeholder: { kind: (value) => isPlaceholderKind(value) },
  modification: {
    previousValue: (value) => JSON.stringify(value ?? null).length <= MAX_MODIFICATION_JSON,
    newValue: (value) => JSON.stringify(value ?? null).length <= MAX_MODIFICATION_JSON,
  },
}

/**
 * Whether a formatting attribute of a Y.XmlText is a mark of the schema with known, bounded attributes.
 * `null` removes the mark.
 */
export function validFormatting(formattingKey: string, value: unknown): boolean {
  const name = markNameOf(formattingKey)
  const type = markTypes.get(name)
  if (!type) return false
  if (value === null) return true
  if (typeof value !== 'object' || Array.isArray(value)) return false
  const attrs = type.spec.attrs ?? {}
  return Object.entries(value as Record<string, unknown>).every(([key, attribute]) => {
    if (!Object.hasOwn(attrs, key)) return false
    const check = MARK_ATTRIBUTE_VALUES[name]?.[key]
    return check ? check(attribute) : attribute === null || boundedString(attribute) || typeof attribute === 'number' || typeof attribute === 'boolean'
  })
}

/** Marks that record who suggested a change: their author must be the person writing them. */
export const AUTHORED_MARKS = new Set(['insertion', 'deletion'])

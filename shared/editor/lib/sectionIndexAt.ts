import type { Node as PMNode } from '@tiptap/pm/model'

const sectionCounts = new WeakMap<PMNode, number>()

/** Sections inside a node at any depth, cached per node: nodes a change did not touch are shared between versions. */
function sectionsWithin(node: PMNode): number {
  const cached = sectionCounts.get(node)
  if (cached !== undefined) return cached
  let count = 0
  node.forEach((child) => {
    if (child.type.name === 'section') count += 1 + sectionsWithin(child)
  })
  sectionCounts.set(node, count)
  return count
}

/**
 * The index in `analyzeReport(doc).sections` of the innermost section holding `pos` (strictly
 * inside it), or -1; without analysing the whole report, so it can run on every caret move.
 */
export function sectionIndexAt(doc: PMNode, pos: number): number {
  const $pos = doc.resolve(pos)
  let index = -1
  let before = 0
  for (let depth = 0; depth < $pos.depth; depth++) {
    const container = $pos.node(depth)
    const childIndex = $pos.index(depth)
    for (let i = 0; i < childIndex; i++) {
      const sibling = container.child(i)
      if (sibling.type.name === 'section') before += 1 + sectionsWithin(sibling)
    }
    if (container.child(childIndex).type.name !== 'section') break
    index = before
    before += 1
  }
  return index
}

/**
 * Test-only: the invariants of review (issue 12), checked on a 建议 session's outcome by the property
 * tests and the regression tests of suggestions/.
 */
import type { Node as PMNode } from '@tiptap/pm/model'
import { Transform } from '@tiptap/pm/transform'
import { expect } from 'vitest'
import { byAuthor, byId, isSuggestionMark, reviewedDoc, reviewSuggestions } from '../suggestions/review'
import { playSession, type Op } from './suggestSession'

/** Suggestion ids in document order, each once. */
export function suggestionIds(doc: PMNode): string[] {
  const ids: string[] = []
  doc.descendants((node) => {
    for (const mark of node.marks) if (isSuggestionMark(mark) && !ids.includes(String(mark.attrs.id))) ids.push(String(mark.attrs.id))
    return true
  })
  return ids
}

function authorsOf(doc: PMNode): string[] {
  const authors = new Set<string>()
  doc.descendants((node) => {
    for (const mark of node.marks) if (isSuggestionMark(mark)) authors.add(String(mark.attrs.authorId))
    return true
  })
  return [...authors]
}

/**
 * Reviews suggestion `id` and checks that every character outside it (zero-width markers aside) is
 * still there afterwards with the same marks, and that nothing of the suggestion is left behind.
 */
function reviewOne(doc: PMNode, id: string, accept: boolean): PMNode {
  const tr = new Transform(doc)
  reviewSuggestions(tr, accept, byId(id))
  const marksOf = (node: PMNode) => node.marks.map((mark) => `${mark.type.name}:${mark.attrs.id ?? mark.attrs.threadId ?? ''}`).join(',')
  const moved: string[] = []
  doc.descendants((node, pos) => {
    if (!node.isText || node.marks.some((mark) => isSuggestionMark(mark) && mark.attrs.id === id)) return true
    for (let index = 0; index < node.text!.length; index++) {
      if (node.text![index] === '\u200B') continue
      const at = tr.mapping.mapResult(pos + index, 1)
      const after = at.deleted ? null : tr.doc.resolve(at.pos).nodeAfter
      const found = after?.isText ? `${after.text![0]}[${marksOf(after)}]` : 'gone'
      if (found !== `${node.text![index]}[${marksOf(node)}]`) moved.push(`${pos + index} ${node.text![index]}[${marksOf(node)}] → ${found}`)
    }
    return true
  })
  expect(moved).toEqual([])
  expect(suggestionIds(tr.doc)).not.toContain(id)
  return tr.doc
}

/** Suggestion marks left without a suggestion (no author), or zero-width markers left without a mark. */
export function orphans(doc: PMNode): string[] {
  const found: string[] = []
  doc.descendants((node, pos) => {
    const suggestion = node.marks.find(isSuggestionMark)
    if (suggestion && !suggestion.attrs.authorId) found.push(`${pos}: ${suggestion.type.name} without author`)
    if (node.isText && node.text!.includes('\u200B') && !suggestion) found.push(`${pos}: zero-width space without a suggestion`)
    return true
  })
  return found
}

const json = (doc: PMNode) => JSON.stringify(doc.toJSON())

/** Reject-all restores the original, accept-all equals the same edits in 编辑 mode, no marks are left. */
export function checkAllAtOnce(original: PMNode, ops: Op[]): void {
  const { suggested, edited } = playSession(original, ops)
  suggested.check()
  expect(orphans(suggested)).toEqual([])
  const rejected = reviewedDoc(suggested, false)
  const accepted = reviewedDoc(suggested, true)
  rejected.check()
  accepted.check()
  expect(json(rejected)).toBe(json(original))
  expect(json(accepted)).toBe(json(edited))
  expect(suggestionIds(accepted)).toEqual([])
  expect(accepted.textContent).not.toContain('\u200B')
}

/** By author one after another, or one suggestion at a time in any order, gives what all at once gives. */
export function checkAnyOrder(suggested: PMNode, order: number[]): void {
  const shuffle = <T>(list: T[]) => {
    const copy = [...list]
    const result: T[] = []
    order.forEach((n) => copy.length && result.push(...copy.splice(n % copy.length, 1)))
    return [...result, ...copy]
  }
  for (const accept of [true, false]) {
    const all = json(reviewedDoc(suggested, accept))
    let byAuthors = suggested
    for (const authorId of shuffle(authorsOf(suggested))) byAuthors = reviewedDoc(byAuthors, accept, byAuthor(authorId))
    expect(json(byAuthors)).toBe(all)
    let oneByOne = suggested
    for (const id of shuffle(suggestionIds(suggested))) {
      // Reviewing one suggestion changes nothing outside it, and leaves nothing of it behind.
      const next = reviewOne(oneByOne, id, accept)
      expect(orphans(next)).toEqual([])
      next.check()
      oneByOne = next
    }
    expect(json(oneByOne)).toBe(all)
  }
}


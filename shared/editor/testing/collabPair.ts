/**
 * Test-only: two people on mounted editors, each bound to a Y.Doc of their own, with a server's
 * Y.Doc between them, the way the product syncs: 王局长 (REVIEWER) in 建议 and 张明 in 编辑. What each
 * side sends waits on the wire until `deliver` (the server takes it, then passes it on), so tests and
 * properties choose what the two do at the same moment. The server checks every update of the
 * reviewer as ReviewGuard does: with that person's suggestions and the anchors of their own comment
 * threads withdrawn, the report is the same before and after. A refused update is a reload and lost
 * typing for that person.
 */
import Collaboration from '@tiptap/extension-collaboration'
import type { Editor } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
import { prosemirrorToYDoc } from '@tiptap/y-tiptap'
import fc from 'fast-check'
import { expect } from 'vitest'
import * as Y from 'yjs'
import { documentExtensions } from '../extensions'
import { keepsOthersParts, mayDecide } from '../../sections/directEdit'
import { notDirectReason, sectionForm, withoutRecords } from '../../sections/sectionTree'
import { WORKFLOW_ATTR, serializeWorkflow } from '../../sections/workflow'
import { normalizeForReview } from '../lib/normalizeForReview'
import { createThread, readThreads } from '../../comments/threads'
import { analyzeReport } from '../lib/analyzeReport'
import { CONTENT_FRAGMENT, yDocToNode } from '../lib/ydoc'
import { SuggestChanges } from '../suggestions/SuggestChanges'
import { REVIEWER, play, step, withoutBreakMarks, type Step } from './keystrokes'
import type { mountedEditors } from './mountedEditors'
import { sampleDoc } from './reportFixtures'
import { report } from './suggestSession'

export const DRAFTER = { id: 'u-zhang', name: '张明' }

/** Index of a person in a pair: the reviewer (0) or the drafter (1). */
export type Side = 0 | 1

export interface CollabPair {
  server: Y.Doc
  /** The reviewer's editor, then the drafter's. */
  people: [Editor, Editor]
  /** Each side's own Y.Doc. */
  docs: [Y.Doc, Y.Doc]
  /** What `side` sent reaches the server, and everything the server has passed on reaches both sides. */
  deliver: (side: Side) => void
  /** Everything on the wire delivered, both ways, until nothing is left. */
  settle: () => void
  /** Updates of a person in 建议 the server's check refused (each one, with the forms it compared). */
  refused: Array<{ before: PMNode; after: PMNode }>
  destroy: () => void
}

/** The second person: by default 张明 drafting in 编辑; another reviewer in 建议 makes two reviewers. */
export interface SecondPerson {
  author: { id: string; name: string }
  mode: 'edit' | 'suggest'
  /**
   * 按分工编辑 (joint drafting): a drafter in 编辑 edits directly only in sections assigned to them and
   * not 定稿; elsewhere their keys become suggestions (as the client's sectionMode switches them), and
   * the server compares the rest of the report (SectionGuard: sectionForm).
   */
  byAssignment?: boolean
}

export interface PairOptions {
  clientIds?: [number, number]
  second?: SecondPerson
  /** The server's Y.Doc (a server test passes its CollabDocument's); filled with `original`. */
  server?: Y.Doc
  /** The server's own check of an update from `side`, before it is applied (a server test runs its guards). */
  allows?: (side: Side, update: Uint8Array) => boolean
}

/**
 * A pair on `original`. `clientIds` fixes the two Y.Docs' client ids (Yjs orders concurrent
 * insertions at one place by client id), so a case that depends on that order replays exactly.
 */
export function collabPair(
  editors: ReturnType<typeof mountedEditors>,
  original: PMNode,
  { clientIds, second = { author: DRAFTER, mode: 'edit' }, server = new Y.Doc(), allows }: PairOptions = {},
): CollabPair {
  Y.applyUpdate(server, Y.encodeStateAsUpdate(prosemirrorToYDoc(original, CONTENT_FRAGMENT)))
  const docs: [Y.Doc, Y.Doc] = [new Y.Doc(), new Y.Doc()]
  if (clientIds) docs.forEach((doc, side) => (doc.clientID = clientIds[side]))
  for (const doc of docs) Y.applyUpdate(doc, Y.encodeStateAsUpdate(server))
  // What the server compares for each side: a person in 建议 may only change their own suggestions
  // and the anchors of their own comment threads (here: the thread ids threadIdOf gives them).
  const keepOthers = (authorId: string) => (threadId: string) => !threadId.startsWith(threadIdOf(authorId, ''))
  const reviewForm = (authorId: string) => (doc: PMNode) => withoutRecords(normalizeForReview(doc, authorId, keepOthers(authorId)))
  const secondForm = second.byAssignment
    ? (doc: PMNode) => sectionForm(normalizeForReview(doc, second.author.id, keepOthers(second.author.id)), second.author.id)
    : second.mode === 'suggest'
      ? reviewForm(second.author.id)
      : null
  const forms: Array<((doc: PMNode) => PMNode) | null> = [reviewForm(REVIEWER.id), secondForm]
  const toServer: Uint8Array[][] = [[], []]
  const toClient: Uint8Array[][] = [[], []]
  docs.forEach((doc, side) => doc.on('update', (update: Uint8Array, origin: unknown) => origin !== server && toServer[side].push(update)))
  const refused: CollabPair['refused'] = []
  const deliver = (side: Side) => {
    for (const update of toServer[side].splice(0)) {
      const form = forms[side]
      const before = form ? form(yDocToNode(server)) : null
      if (allows && !allows(side, update)) refused.push({ before: before ?? yDocToNode(server), after: yDocToNode(server) })
      Y.applyUpdate(server, update, side)
      if (form && before) {
        const after = form(yDocToNode(server))
        if (!after.eq(before)) refused.push({ before, after })
      }
      toClient[1 - side].push(update)
    }
    for (const [other, updates] of toClient.entries()) for (const update of updates.splice(0)) Y.applyUpdate(docs[other], update, server)
  }
  const people: [Editor, Editor] = [
    editors.mount([...documentExtensions(), Collaboration.configure({ document: docs[0], field: CONTENT_FRAGMENT }), SuggestChanges.configure({ author: REVIEWER, mode: 'suggest' })]),
    editors.mount([...documentExtensions(), Collaboration.configure({ document: docs[1], field: CONTENT_FRAGMENT }), SuggestChanges.configure(second)]),
  ]
  // As the client's sectionMode does after every transaction: the next key goes the way the server takes it.
  if (second.byAssignment) {
    const drafter = people[1]
    const storage = drafter.storage.suggestChanges
    const force = () => (storage.mode = notDirectReason(drafter.state.doc, drafter.state.selection.from, drafter.state.selection.to, second.author.id) ? 'suggest' : second.mode)
    drafter.on('transaction', force)
    force()
    // As sectionMode does too: a structure command whose result changes what is not his is a suggestion.
    storage.allowsDirect = (before, after) => keepsOthersParts(before, after, second.author.id)
  }
  return {
    server,
    people,
    docs,
    deliver,
    settle: () => {
      // Receiving can make an editor write back (y-tiptap settling its document); that must end.
      for (let round = 0; toServer.some((updates) => updates.length > 0) || toClient.some((updates) => updates.length > 0); round++) {
        if (round === 20) throw new Error('the two sides keep sending each other updates')
        deliver(0)
        deliver(1)
      }
    },
    refused,
    destroy: () => people.forEach((person) => person.destroy()),
  }
}

/**
 * A document as JSON with each mark set sorted and no marks on line breaks. Yjs keeps two comments on
 * the same text in either order, and ProseMirror keeps marks of one type in the order they were added:
 * text anchored by 批注 t1 then t0 next to text anchored t0 then t1 stays two text nodes in the editor
 * that anchored them (one in the document read back from Yjs). The same text with the same marks, so
 * neighbouring text nodes whose sorted marks agree are joined, as ProseMirror joins equal ones.
 */
export const canonical = (doc: PMNode) => JSON.stringify(joinTexts(withoutBreakMarks(doc.toJSON())))

type JSONNode = { type?: string; text?: string; marks?: unknown[]; content?: JSONNode[] } & Record<string, unknown>

function joinTexts(node: JSONNode): JSONNode {
  const sorted = node.marks ? { ...node, marks: [...node.marks].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) } : node
  if (!sorted.content) return sorted
  const content: JSONNode[] = []
  for (const child of sorted.content.map(joinTexts)) {
    const last = content.at(-1)
    if (last?.type === 'text' && child.type === 'text' && JSON.stringify(last.marks ?? []) === JSON.stringify(child.marks ?? [])) content[content.length - 1] = { ...last, text: `${last.text}${child.text}` }
    else content.push(child)
  }
  return { ...sorted, content }
}

/** The drafter accepting or rejecting all suggestions, or one of them (the `pick`th, counted round). */
export interface ReviewAction {
  review: 'acceptAll' | 'rejectAll' | 'acceptOne' | 'rejectOne'
  pick: number
}

/** A person anchoring comment thread number `n` of theirs on their selection (批注). */
export interface CommentAction {
  comment: Side
  n: number
}

export type Turn = { who: Side; step: Step } | { deliver: Side } | ReviewAction | CommentAction

/** The id of a person's `n`th comment thread in these tests: who started it is in its id. */
export const threadIdOf = (authorId: string, n: number | '') => `t-${authorId}-${n}`

/** A person's keystroke or comment, or what one side sent reaching the server at a random moment. */
export const turn: fc.Arbitrary<Turn> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ who: fc.constantFrom<Side>(0, 1), step }) },
  { weight: 1, arbitrary: fc.record({ deliver: fc.constantFrom<Side>(0, 1) }) },
  { weight: 1, arbitrary: fc.record({ comment: fc.constantFrom<Side>(0, 1), n: fc.nat(2) }) },
)

/** 批注 as the comment box submits it: the person's thread, then its anchor on the selection (nothing without a selection). */
function comment(editor: Editor, ydoc: Y.Doc, { n }: CommentAction): void {
  const author = (editor.storage as unknown as { suggestChanges: { author: { id: string; name: string } } }).suggestChanges.author
  const { from, to, empty } = editor.state.selection
  if (empty) return
  const id = threadIdOf(author.id, n)
  if (!readThreads(ydoc).some((thread) => thread.id === id)) createThread(ydoc, { id, author, text: '请核实', quote: editor.state.doc.textBetween(from, to), messageId: `${id}-m` })
  editor.commands.setComment(id)
}

const reviewAction: fc.Arbitrary<Turn> = fc.record({ review: fc.constantFrom<ReviewAction['review']>('acceptAll', 'rejectAll', 'acceptOne', 'rejectOne'), pick: fc.nat(20) })

/**
 * 接受 / 拒绝 as the drafter's review pane runs them; under 按分工编辑 (`decidesOnlyOwn`, their id) only
 * on the suggestions the pane offers them (mayDecide), the bulk buttons on all of those at once.
 */
function review(drafter: Editor, { review, pick }: ReviewAction, decidesOnlyOwn: string | null = null): void {
  const doc = drafter.state.doc
  const ids = analyzeReport(doc)
    .suggestions.filter((suggestion) => !decidesOnlyOwn || mayDecide(doc, suggestion, decidesOnlyOwn))
    .map((suggestion) => suggestion.id)
  const id = ids[pick % Math.max(1, ids.length)]
  if (decidesOnlyOwn && (review === 'acceptAll' || review === 'rejectAll')) drafter.commands[review === 'acceptAll' ? 'acceptSuggestions' : 'rejectSuggestions'](ids)
  else if (review === 'acceptAll') drafter.commands.acceptAllSuggestions()
  else if (review === 'rejectAll') drafter.commands.rejectAllSuggestions()
  else if (id !== undefined) drafter.commands[review === 'acceptOne' ? 'acceptSuggestion' : 'rejectSuggestion'](id)
}

/**
 * The property the keystroke suites check: random reports, random keystrokes by the two (and, with
 * `reviews`, the drafter accepting and rejecting meanwhile); with `sequential`, each action reaches the
 * other before the next (people taking turns), else the updates wait on the wire until a random moment
 * (people at work at the same time). Every update of a person in 建议 passes the server's check, and at
 * the end everyone holds the same report.
 */
export function collabKeystrokes(
  editors: ReturnType<typeof mountedEditors>,
  { sequential, second, reviews = false, pairOptions }: { sequential: boolean; second?: SecondPerson; reviews?: boolean; pairOptions?: () => PairOptions },
) {
  const turns = reviews ? fc.oneof({ weight: 4, arbitrary: turn }, { weight: 1, arbitrary: reviewAction }) : turn
  return fc.property(fc.option(report, { nil: null }), fc.array(turns, { minLength: 1, maxLength: 16 }), (original, turns) => {
    const report = original ?? sampleDoc()
    const pair = collabPair(editors, second?.byAssignment ? withAssignments(report, second.author) : report, { second, ...pairOptions?.() })
    try {
      for (const each of turns) {
        if ('deliver' in each) pair.deliver(each.deliver)
        else {
          if ('review' in each) review(pair.people[1], each, second?.byAssignment ? second.author.id : null)
          else if ('comment' in each) comment(pair.people[each.comment], pair.docs[each.comment], each)
          else play(pair.people[each.who], each.step)
          if (sequential) pair.settle()
        }
        expect(pair.refused).toEqual([])
      }
      pair.settle()
      expect(pair.refused).toEqual([])
      const final = canonical(yDocToNode(pair.server))
      for (const side of [0, 1] as const) {
        expect(canonical(yDocToNode(pair.docs[side]))).toBe(final)
        expect(canonical(pair.people[side].state.doc)).toBe(final)
      }
    } finally {
      pair.destroy()
    }
  })
}

/**
 * `doc` with its top-level sections assigned in turn: to `drafter` (起草中), to `drafter` and 定稿, to
 * nobody; for 按分工编辑.
 */
export function withAssignments(doc: PMNode, drafter: { id: string; name: string }): PMNode {
  const json = doc.toJSON() as { content: Array<{ type: string; attrs?: Record<string, unknown> }> }
  let index = 0
  for (const block of json.content) {
    if (block.type !== 'section') continue
    const turn = index++ % 3
    if (turn === 2) continue
    const status = turn === 0 ? 'drafting' : 'final'
    block.attrs = { ...block.attrs, [WORKFLOW_ATTR]: serializeWorkflow({ id: `r${index}`, assignees: [drafter], status, log: [] }) }
  }
  return doc.type.schema.nodeFromJSON(json)
}

/** The situations both keystroke suites play (taking turns in `npm test`, at the same moment in the fuzz). */
export const COLLAB_SITUATIONS: Array<{ name: string; options: { second?: SecondPerson; reviews?: boolean } }> = [
  { name: 'a reviewer and a drafter: every reviewer update passes the server’s check, and both end with the same report', options: {} },
  { name: 'the drafter accepting and rejecting meanwhile: every reviewer update passes the server’s check, and both end with the same report', options: { reviews: true } },
  {
    name: '按分工编辑: the drafter’s keys outside their sections become suggestions, and every update of both passes the server’s check',
    options: { second: { author: DRAFTER, mode: 'edit', byAssignment: true } },
  },
  { name: 'two reviewers: every update passes the server’s check, and both end with the same report', options: { second: { author: { id: 'u-li', name: '李处长' }, mode: 'suggest' } } },
]

import { Extension } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import type { EditorMode, SuggestChangesStorage } from '../../../../shared/editor/suggestions/SuggestChanges'
import { keepsOthersParts } from '../../../../shared/sections/directEdit'
import type { Role } from '../../../../shared/roles'
import { notDirectReason, sectionStates, type SectionState } from '../../../../shared/sections/sectionTree'
import { changedRange, isInsideOneTextblock, mapOfChange } from '../../../../shared/editor/lib/changedRange'
import { colorFor } from '../../../../shared/editor/lib/colors'
import { t } from '../../strings'

/** Why the editor suggests instead of editing at the caret: outside one's sections, or in a 定稿 section. */
export type ForcedReason = 'not-mine' | 'final' | null

export interface SectionModeStorage {
  /** The mode the person chose (编辑 / 建议 / 查看). */
  chosen: EditorMode
  byAssignment: boolean
  role: Role
  userId: string
  forced: ForcedReason
  listeners: Set<(reason: ForcedReason) => void>
  /** Opens the menu of the section carrying this record (by record id: the chip outlives positions). */
  onOpenMenu: (recordId: string) => void
}

declare module '@tiptap/core' {
  interface Storage {
    sectionMode: SectionModeStorage
  }
}

const headersKey = new PluginKey<DecorationSet>('sectionHeaders')

// Section states per document node: a keystroke makes a new doc, so this is one walk over the sections (not the text) per change.
const statesCache = new WeakMap<PMNode, SectionState[]>()
const statesOf = (doc: PMNode) => {
  let states = statesCache.get(doc)
  if (!states) statesCache.set(doc, (states = sectionStates(doc)))
  return states
}

/** Under 按分工编辑, why a drafter's edit at the selection must be a suggestion (the server's rule, SectionGuard.ts). */
export function forcedReason(state: EditorState, storage: Pick<SectionModeStorage, 'byAssignment' | 'role' | 'userId'>): ForcedReason {
  if (!storage.byAssignment || storage.role !== 'drafter') return null
  return notDirectReason(state.doc, state.selection.from, state.selection.to, storage.userId, statesOf(state.doc))
}

/**
 * Switches a drafter to 建议 wherever their direct edit would be refused under 按分工编辑, and back to
 * 编辑 inside their own sections, synchronously on every selection change, so the next key already
 * goes the right way. Also draws each assigned section's status and assignees at its title (the
 * section header), clickable to open the section's menu.
 */
export const SectionMode = Extension.create<Record<string, never>, SectionModeStorage>({
  name: 'sectionMode',

  addStorage() {
    return { chosen: 'edit', byAssignment: false, role: 'drafter', userId: '', forced: null, listeners: new Set(), onOpenMenu: () => undefined }
  },

  onTransaction() {
    applyForcedMode(this.editor.state, this.storage, this.editor.storage.suggestChanges)
  },

  addProseMirrorPlugins() {
    return [sectionHeaders(this.storage)]
  },
})

/** How many times the section headers were drawn from scratch (a test checks typing does not). */
export const headerWork = { builds: 0 }

/**
 * The section headers (status and assignees at each assigned section's title). Typing inside one
 * paragraph or title changes no section's state, so the old headers are moved, not redrawn: no walk
 * of the sections per keystroke. The range is found by comparing the documents (y-prosemirror's
 * remote transactions replace the whole document).
 */
export function sectionHeaders(storage: Pick<SectionModeStorage, 'onOpenMenu'>): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: headersKey,
    state: {
      init: (_, state) => headers(state.doc, storage),
      apply: (tr, old, before, state) => {
        if (tr.getMeta('sectionHeaders')) return headers(state.doc, storage)
        if (!tr.docChanged) return old
        const change = changedRange(before.doc, state.doc)
        if (!change) return old
        if (isInsideOneTextblock(before.doc, state.doc, change)) return old.map(mapOfChange(change), state.doc)
        return headers(state.doc, storage)
      },
    },
    props: { decorations: (state) => headersKey.getState(state) },
  })
}



/**
 * The drafter's id when they edit (编辑) under 按分工编辑: their direct changes, structure commands and
 * decisions on suggestions count only inside their own sections. Null for everyone else.
 */
export function ownSectionsOnly({ chosen, byAssignment, role, userId }: Pick<SectionModeStorage, 'chosen' | 'byAssignment' | 'role' | 'userId'>): string | null {
  return chosen === 'edit' && byAssignment && role === 'drafter' ? userId : null
}

// One check per person, not a new closure at every transaction (this runs on every keystroke).
let lastCheck: { userId: string; check: NonNullable<SuggestChangesStorage['allowsDirect']> } | null = null
const directCheck = (userId: string) =>
  lastCheck?.userId === userId ? lastCheck.check : (lastCheck = { userId, check: (before, after) => keepsOthersParts(before, after, userId) }).check

/**
 * Sets the effective mode: the chosen one, or 建议 where edits must be suggestions; and, for a drafter
 * in 编辑 under 按分工编辑, the check that makes a structure command whose result reaches outside their
 * sections a suggestion (the caret alone cannot tell: moving one's section past another's).
 */
export function applyForcedMode(state: EditorState, storage: SectionModeStorage, suggest: Pick<SuggestChangesStorage, 'mode' | 'allowsDirect'>): void {
  const reason = storage.chosen === 'edit' ? forcedReason(state, storage) : null
  suggest.mode = reason ? 'suggest' : storage.chosen
  const own = ownSectionsOnly(storage)
  suggest.allowsDirect = own === null ? null : directCheck(own)
  if (reason !== storage.forced) {
    storage.forced = reason
    for (const listener of storage.listeners) listener(reason)
  }
}

function headers(doc: PMNode, storage: Pick<SectionModeStorage, 'onOpenMenu'>): DecorationSet {
  headerWork.builds++
  const decorations: Decoration[] = []
  for (const state of statesOf(doc)) {
    if (!state.record) continue
    const node = doc.nodeAt(state.pos)
    const title = node?.firstChild
    if (!title) continue
    const at = state.pos + 1 + title.nodeSize - 1
    const key = `${state.record.id}:${state.status}:${state.assignees.map((p) => p.id).join(',')}`
    decorations.push(Decoration.widget(at, () => chip(state, () => storage.onOpenMenu(state.record!.id)), { key, side: 1, ignoreSelection: true }))
  }
  return DecorationSet.create(doc, decorations)
}

function chip(state: SectionState, open: () => void): HTMLElement {
  const element = document.createElement('button')
  element.type = 'button'
  element.className = `section-chip section-chip--${state.status}`
  element.contentEditable = 'false'
  element.dataset.testid = 'section-chip'
  element.title = t.sections.menu
  const status = document.createElement('span')
  status.className = 'section-chip__status'
  status.textContent = t.sections.status[state.status]
  element.append(status)
  for (const person of state.record?.assignees ?? []) {
    const avatar = document.createElement('span')
    avatar.className = 'avatar avatar--small'
    avatar.style.backgroundColor = colorFor(person.id)
    avatar.textContent = person.name.slice(-2)
    avatar.title = person.name
    element.append(avatar)
  }
  element.addEventListener('mousedown', (event) => event.preventDefault())
  element.addEventListener('click', open)
  return element
}

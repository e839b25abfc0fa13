import { Extension } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { changedRange, mapOfChange } from '../../../../shared/editor/lib/changedRange'
import { listFigures } from '../../../../shared/figures/figures'
import { t } from '../../strings'
import { afterChanges } from '../whenIdle'
import { problemText } from './figureApi'

const key = new PluginKey<DecorationSet>('figureChecks')
/** Checking every figure walks the report, so it waits for a pause in typing; meanwhile marks are moved. */
const QUIET_MS = 300
const MAX_WAIT_MS = 1500

/** The checks' marks for a document, worked out from its figures. */
export function figureChecksOf(doc: PMNode): Decoration[] {
  const figures = listFigures(doc)
  const byId = new Map(figures.map((figure) => [figure.id, figure]))
  const list: Decoration[] = []
  for (const figure of figures) {
    const others = figure.conflictsWith.map((id) => `“${byId.get(id)?.text ?? ''}”`)
    const warnings = [figure.problem ? problemText(figure.problem) : '', others.length ? t.figures.conflict(others.join('、')) : ''].filter(Boolean)
    const problem = warnings.join('；')
    // The spec says what is drawn, so a fresh list can be compared with the one shown.
    if (warnings.length) list.push(Decoration.inline(figure.from, figure.to, { class: 'placeholder--problem', 'data-figure-problem': problem }, { check: problem }))
    else if (figure.status === 'verified') list.push(Decoration.inline(figure.from, figure.to, { class: 'placeholder--verified' }, { check: 'verified' }))
  }
  return list
}

/** What a decoration draws, where: two lists with the same signatures draw the same. */
const signature = (decoration: Decoration) => `${decoration.from}:${decoration.to}:${(decoration.spec as { check: string }).check}`

/** Whether the marks now shown (moved along with the edits since they were drawn) are the fresh ones. */
export function sameChecks(shown: DecorationSet, fresh: Decoration[]): boolean {
  const now = shown.find()
  if (now.length !== fresh.length) return false
  const drawn = new Set(now.map(signature))
  return fresh.every((decoration) => drawn.has(signature(decoration)))
}

/**
 * Flags, where the figure is in the text, a value that does not fit its kind (text in a 数量, a
 * percentage over 100) and the same figure filled twice with different values; marks 已核实 figures.
 */
export const FigureChecks = Extension.create({
  name: 'figureChecks',
  addProseMirrorPlugins() {
    return [figureChecks()]
  },
})

/**
 * The checks are redrawn after a pause in typing (or, while typing goes on, at least every
 * MAX_WAIT_MS); in between the marks are moved by the range that changed, found by comparing the
 * documents: y-prosemirror applies a remote change as a replacement of the whole document, whose own
 * mapping would drop every mark while others type.
 */
export function figureChecks(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key,
    state: {
      init: (_config, state) => DecorationSet.create(state.doc, figureChecksOf(state.doc)),
      apply: (tr, current, before) => {
        const fresh = tr.getMeta(key) as DecorationSet | undefined
        if (fresh) return fresh
        if (!tr.docChanged) return current
        const change = changedRange(before.doc, tr.doc)
        return change ? current.map(mapOfChange(change), tr.doc) : current
      },
    },
    props: { decorations: (state) => key.getState(state) },
    view: (view) => {
      // In an idle moment, not inside a key's frame; and with no transaction (a view update of the
      // whole report) when the checks found what is already shown, as while someone types prose.
      const redraw = afterChanges(
        () => {
          if (view.isDestroyed) return
          const fresh = figureChecksOf(view.state.doc)
          if (sameChecks(key.getState(view.state)!, fresh)) return
          view.dispatch(view.state.tr.setMeta(key, DecorationSet.create(view.state.doc, fresh)).setMeta('addToHistory', false))
        },
        QUIET_MS,
        MAX_WAIT_MS,
      )
      return {
        update: (_view, previous) => {
          if (previous.doc !== view.state.doc) redraw.changed()
        },
        destroy: redraw.cancel,
      }
    },
  })
}

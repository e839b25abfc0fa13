import { Extension } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { changedRange, mapOfChange } from '../../../../shared/editor/lib/changedRange'
import { listFigures } from '../../../../shared/figures/figures'
import { t } from '../../strings'
import { problemText } from './figureApi'

const key = new PluginKey<DecorationSet>('figureChecks')
/** Checking every figure walks the report, so it waits for a pause in typing; meanwhile marks are moved. */
const QUIET_MS = 300
const MAX_WAIT_MS = 1500

function decorations(doc: PMNode): DecorationSet {
  const figures = listFigures(doc)
  const byId = new Map(figures.map((figure) => [figure.id, figure]))
  const list: Decoration[] = []
  for (const figure of figures) {
    const others = figure.conflictsWith.map((id) => `“${byId.get(id)?.text ?? ''}”`)
    const warnings = [figure.problem ? problemText(figure.problem) : '', others.length ? t.figures.conflict(others.join('、')) : ''].filter(Boolean)
    if (warnings.length) list.push(Decoration.inline(figure.from, figure.to, { class: 'placeholder--problem', 'data-figure-problem': warnings.join('；') }))
    else if (figure.status === 'verified') list.push(Decoration.inline(figure.from, figure.to, { class: 'placeholder--verified' }))
  }
  return DecorationSet.create(doc, list)
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
      init: (_config, state) => decorations(state.doc),
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
      let quiet: ReturnType<typeof setTimeout> | null = null
      let ceiling: ReturnType<typeof setTimeout> | null = null
      const redraw = () => {
        if (quiet) clearTimeout(quiet)
        if (ceiling) clearTimeout(ceiling)
        quiet = ceiling = null
        if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(key, decorations(view.state.doc)).setMeta('addToHistory', false))
      }
      return {
        update: (_view, previous) => {
          if (previous.doc === view.state.doc) return
          if (quiet) clearTimeout(quiet)
          quiet = setTimeout(redraw, QUIET_MS)
          ceiling ??= setTimeout(redraw, MAX_WAIT_MS)
        },
        destroy: () => {
          if (quiet) clearTimeout(quiet)
          if (ceiling) clearTimeout(ceiling)
        },
      }
    },
  })
}

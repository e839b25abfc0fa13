import { Extension } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { listFigures } from '../../../../shared/figures/figures'
import { t } from '../../strings'
import { problemText } from './figureApi'

const key = new PluginKey<DecorationSet>('figureChecks')
/** Checking every figure walks the report, so it waits for a pause in typing; meanwhile marks are moved. */
const QUIET_MS = 300

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
    return [
      new Plugin<DecorationSet>({
        key,
        state: {
          init: (_config, state) => decorations(state.doc),
          apply: (tr, current) => tr.getMeta(key) ?? (tr.docChanged ? current.map(tr.mapping, tr.doc) : current),
        },
        props: { decorations: (state) => key.getState(state) },
        view: (view) => {
          let timer: ReturnType<typeof setTimeout> | null = null
          return {
            update: (_view, previous) => {
              if (previous.doc === view.state.doc) return
              if (timer) clearTimeout(timer)
              timer = setTimeout(() => {
                timer = null
                if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(key, decorations(view.state.doc)).setMeta('addToHistory', false))
              }, QUIET_MS)
            },
            destroy: () => {
              if (timer) clearTimeout(timer)
            },
          }
        },
      }),
    ]
  },
})

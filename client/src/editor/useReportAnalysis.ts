import type { Node as PMNode } from '@tiptap/pm/model'
import type { Editor } from '@tiptap/react'
import { startTransition, useEffect, useState } from 'react'
import { analyzeReport, type ReportAnalysis } from '../../../shared/editor/lib/analyzeReport'
import { afterChanges } from './whenIdle'

/** Panels refresh once typing pauses this long… */
const QUIET_MS = 250
/** …or, during a long burst of typing, at least this often. */
const MAX_WAIT_MS = 1500

/** An analysis and the document it describes: its positions are positions in that document. */
export interface AnalyzedReport {
  analysis: ReportAnalysis
  doc: PMNode
}

const analyze = (doc: PMNode): AnalyzedReport => ({ analysis: analyzeReport(doc), doc })

/**
 * The report's sections and placeholders for side panels. Re-analysing a 50-page report and
 * re-rendering its 500 placeholder entries costs more than a frame, so it waits for a pause in the
 * changes (with a ceiling, so panels never fall far behind) and for an idle moment of the browser,
 * and renders as a transition that a key press may interrupt.
 */
export function useReportAnalysis(editor: Editor): AnalyzedReport {
  const [analyzed, setAnalyzed] = useState(() => analyze(editor.state.doc))
  useEffect(() => {
    const refresh = afterChanges(
      () => {
        const next = analyze(editor.state.doc)
        startTransition(() => setAnalyzed(next))
      },
      QUIET_MS,
      MAX_WAIT_MS,
    )
    const onUpdate = refresh.changed
    editor.on('update', onUpdate)
    // Only if the document changed since the first render: setting an equal analysis re-renders every panel.
    setAnalyzed((current) => (current.doc === editor.state.doc ? current : analyze(editor.state.doc)))
    return () => {
      editor.off('update', onUpdate)
      refresh.cancel()
    }
  }, [editor])
  return analyzed
}

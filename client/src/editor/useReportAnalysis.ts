import type { Editor } from '@tiptap/react'
import { useEffect, useState } from 'react'
import { analyzeReport, type ReportAnalysis } from '../../../shared/editor/lib/analyzeReport'

/** How long panels wait after a change before refreshing: typing stays fast, panels follow within a blink. */
const REFRESH_DELAY_MS = 120

/**
 * The report's sections and placeholders for side panels. Refreshed after a short pause in changes,
 * so a burst of keystrokes costs one analysis, not one per key.
 */
export function useReportAnalysis(editor: Editor): ReportAnalysis {
  const [analysis, setAnalysis] = useState(() => analyzeReport(editor.state.doc))
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    const refresh = () => {
      timer = null
      setAnalysis(analyzeReport(editor.state.doc))
    }
    const onUpdate = () => {
      timer ??= setTimeout(refresh, REFRESH_DELAY_MS)
    }
    editor.on('update', onUpdate)
    refresh()
    return () => {
      editor.off('update', onUpdate)
      if (timer) clearTimeout(timer)
    }
  }, [editor])
  return analysis
}

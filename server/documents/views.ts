import { analyzeReport } from '../../shared/editor/lib/analyzeReport'
import { yDocToNode } from '../../shared/editor/lib/ydoc'
import type * as Y from 'yjs'

/** The server's read-only views of a stored report, computed with the editor's own schema. */

export function placeholdersView(ydoc: Y.Doc) {
  return analyzeReport(yDocToNode(ydoc)).unfilled.map(({ id, kind, label, text, sectionPath, context }) => ({
    id,
    kind,
    label,
    text,
    sectionPath,
    context,
  }))
}

export interface OutlineEntry {
  ordinal: string
  title: string
  label: string
  level: number
  unfilledPlaceholders: number
  children: OutlineEntry[]
}

export function outlineView(ydoc: Y.Doc): { title: string; sections: OutlineEntry[] } {
  const analysis = analyzeReport(yDocToNode(ydoc))
  const entries = analysis.sections.map(
    (section): OutlineEntry => ({
      ordinal: section.ordinal,
      title: section.title,
      label: section.label,
      level: section.level,
      unfilledPlaceholders: section.unfilled,
      children: [],
    }),
  )
  const roots: OutlineEntry[] = []
  analysis.sections.forEach((section, index) => (section.parent >= 0 ? entries[section.parent].children : roots).push(entries[index]))
  return { title: analysis.title, sections: roots }
}

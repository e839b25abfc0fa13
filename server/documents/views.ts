import { analyzeReport } from '../../shared/editor/lib/analyzeReport'
import { yDocToNode } from '../../shared/editor/lib/ydoc'
import { readThreads } from '../../shared/comments/threads'
import type * as Y from 'yjs'
import type { ReviewView } from '../../shared/contract'

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

/** Pending suggestions and open comment threads, as the review sidebar and the submission check see them. */
export function reviewView(ydoc: Y.Doc): ReviewView {
  const analysis = analyzeReport(yDocToNode(ydoc))
  const anchors = new Map(analysis.comments.map((anchor) => [anchor.threadId, anchor]))
  return {
    pendingSuggestions: analysis.suggestions.map((suggestion) => ({
      id: suggestion.id,
      type: suggestion.type,
      authorId: suggestion.authorId,
      authorName: suggestion.authorName,
      createdAt: suggestion.createdAt,
      ...(suggestion.change ? { change: suggestion.change } : {}),
      text:
        suggestion.type === 'structure'
          ? (suggestion.change ?? '')
          : suggestion.type === 'replacement'
            ? `${suggestion.deleted} → ${suggestion.inserted}`
            : suggestion.inserted || suggestion.deleted,
      inserted: suggestion.inserted,
      deleted: suggestion.deleted,
      sectionPath: suggestion.sectionPath,
    })),
    openThreads: readThreads(ydoc)
      .filter((thread) => !thread.resolved)
      .map((thread) => ({
        id: thread.id,
        authorId: thread.authorId,
        authorName: thread.authorName,
        createdAt: thread.createdAt,
        quote: anchors.get(thread.id)?.text ?? thread.quote,
        anchored: anchors.has(thread.id),
        sectionPath: anchors.get(thread.id)?.sectionPath ?? [],
        messages: thread.messages,
      })),
  }
}

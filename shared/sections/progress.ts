import type { Node as PMNode } from '@tiptap/pm/model'
import type { ReportAnalysis, SectionInfo } from '../editor/lib/analyzeReport'
import { sectionStates, type SectionState } from './sectionTree'
import type { Person, SectionStatus } from './workflow'

export interface UnfinishedSection {
  pos: number
  label: string
  path: string[]
  status: SectionStatus
  assignees: Person[]
}

export interface SectionProgress {
  /** Sections that carry a record (assigned, or given a status), and how many of them are 定稿 (or inside one). */
  tracked: number
  final: number
  unfinished: UnfinishedSection[]
  /** Unfilled figures in each assignee's sections (a figure in a section assigned to two counts for both). */
  figuresLeft: { person: Person; count: number }[]
}

/** N of M sections 定稿 and figures left per assignee. `analysis` must be of the same `doc`. */
export function sectionProgress(doc: PMNode, analysis: Pick<ReportAnalysis, 'sections' | 'unfilled'>, states: SectionState[] = sectionStates(doc)): SectionProgress {
  const unfinished: UnfinishedSection[] = []
  let tracked = 0
  let final = 0
  states.forEach((state, index) => {
    if (!state.record) return
    tracked++
    if (state.locked) final++
    else {
      const info: SectionInfo | undefined = analysis.sections[index]
      unfinished.push({ pos: state.pos, label: info?.label ?? '', path: info?.path ?? [], status: state.status, assignees: state.assignees })
    }
  })
  const left = new Map<string, { person: Person; count: number }>()
  for (const placeholder of analysis.unfilled) {
    const state = placeholder.section >= 0 ? states[placeholder.section] : undefined
    for (const person of state?.assignees ?? []) {
      const entry = left.get(person.id) ?? { person, count: 0 }
      entry.count++
      left.set(person.id, entry)
    }
  }
  return { tracked, final, unfinished, figuresLeft: [...left.values()] }
}

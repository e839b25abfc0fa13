import type { Editor } from '@tiptap/react'
import { useEffect, useMemo, useState } from 'react'
import type * as Y from 'yjs'
import type { Node as PMNode } from '@tiptap/pm/model'
import { OPTIONS_MAP, readOptions, type DocumentOptions } from '../../../../shared/sections/options'
import { sectionStates, type SectionState } from '../../../../shared/sections/sectionTree'
import type { ForcedReason } from './sectionMode'

/** The document options (按分工编辑 …), live from the Y.Map everyone shares. */
export function useDocumentOptions(ydoc: Y.Doc): DocumentOptions {
  const [options, setOptions] = useState(() => readOptions(ydoc))
  useEffect(() => {
    const map = ydoc.getMap(OPTIONS_MAP)
    const update = () => setOptions(readOptions(ydoc))
    map.observe(update)
    update()
    return () => map.unobserve(update)
  }, [ydoc])
  return options
}

/** Section states of the analysed document (same order as analysis.sections). */
export const useSectionStates = (doc: PMNode): SectionState[] => useMemo(() => sectionStates(doc), [doc])

/** Why, at the caret, edits are suggestions (or null): follows the SectionMode extension. */
export function useForcedReason(editor: Editor): ForcedReason {
  const [reason, setReason] = useState<ForcedReason>(editor.storage.sectionMode.forced)
  useEffect(() => {
    const listeners = editor.storage.sectionMode.listeners
    listeners.add(setReason)
    return () => void listeners.delete(setReason)
  }, [editor])
  return reason
}

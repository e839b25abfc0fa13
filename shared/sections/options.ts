import * as Y from 'yjs'

/**
 * Document options that everyone's editor must see at once, kept in the Y.Map `options` of the
 * document (only the owner may change it; the server refuses anyone else's change).
 * - byAssignment (按分工编辑): drafters edit directly only in their sections, 定稿 sections only the owner.
 * - requireFinal: the submission check blocks while a section is not 定稿 (a warning otherwise).
 */
export const OPTIONS_MAP = 'options'

export interface DocumentOptions {
  byAssignment: boolean
  requireFinal: boolean
}

/** The keys of the options map; anything else in it is refused by the server (UpdateRules). */
export const OPTION_KEYS: readonly (keyof DocumentOptions)[] = ['byAssignment', 'requireFinal']

/** Whether `key` may be written into the options map with `value` (every option is a boolean). */
export function validOption(key: string, value: unknown): boolean {
  return (OPTION_KEYS as readonly string[]).includes(key) && typeof value === 'boolean'
}

export function readOptions(ydoc: Y.Doc): DocumentOptions {
  // getMap on a document without options creates the map locally only (no update is sent).
  const map = ydoc.getMap(OPTIONS_MAP)
  return { byAssignment: map.get('byAssignment') === true, requireFinal: map.get('requireFinal') === true }
}

export function setOption(ydoc: Y.Doc, key: keyof DocumentOptions, value: boolean): void {
  ydoc.getMap(OPTIONS_MAP).set(key, value)
}

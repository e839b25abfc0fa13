import type { Command as TiptapCommand } from '@tiptap/core'
import type { Command } from '@tiptap/pm/state'

/** Runs a plain ProseMirror command as a Tiptap command (chainable, and `can()`-checkable). */
export const fromProseMirror =
  (command: Command): TiptapCommand =>
  ({ state, dispatch, view }) =>
    command(state, dispatch, view)

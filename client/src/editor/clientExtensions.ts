import type { AnyExtension } from '@tiptap/core'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import { documentExtensions } from '../../../shared/editor/extensions'
import { CONTENT_FRAGMENT } from '../../../shared/editor/lib/ydoc'
import { SuggestChanges, type EditorMode } from '../../../shared/editor/suggestions/SuggestChanges'
import type { CollabSession } from '../collab/CollabSession'
import type { Identity } from '../identity'
import { SectionMode } from './sections/sectionMode'
import { SyncSelectionOnKey } from './syncSelectionOnKey'
import { TypedTextScroll } from './typedTextScroll'
import { RunInTyping } from './runInTyping'
import { CaretSectionRendered } from './caretSectionRendered'
import { FigureChecks } from './figures/figureChecks'
import { RenderOnceCollaboration } from './renderOnceCollaboration'

/** The shared document model plus what only a live editor needs: Yjs binding, undo, carets, suggest mode. */
export function clientExtensions(session: CollabSession, identity: Identity, mode: EditorMode): AnyExtension[] {
  return [
    ...documentExtensions(),
    // Brings yUndoPlugin: undo reverts only this person's own changes. Builds the document from Yjs once.
    RenderOnceCollaboration.configure({ document: session.ydoc, field: CONTENT_FRAGMENT }),
    CollaborationCaret.configure({
      provider: session.provider,
      user: identity,
      render: renderCaret,
    }),
    SuggestChanges.configure({ author: { id: identity.id, name: identity.name }, mode }),
    SyncSelectionOnKey,
    TypedTextScroll,
    RunInTyping,
    CaretSectionRendered,
    FigureChecks,
    SectionMode,
  ]
}

function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color = typeof user.color === 'string' ? user.color : '#888'
  const caret = document.createElement('span')
  caret.className = 'collab-caret'
  caret.style.borderColor = color
  const label = document.createElement('span')
  label.className = 'collab-caret__label'
  label.style.backgroundColor = color
  label.textContent = typeof user.name === 'string' ? user.name : '?'
  caret.append(label)
  return caret
}

import { Extension, type Editor } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Mapping } from '@tiptap/pm/transform'
import type { EditorView } from '@tiptap/pm/view'
import { changedRange, mapOfChange } from '../../../shared/editor/lib/changedRange'
import { rebaseTransaction } from '../../../shared/editor/lib/rebaseTransaction'
import { afterNextPaint } from '../collab/sendAfterPaint'

/**
 * The part of ProseMirror's DOM observer used here (prosemirror-view 1.x, internal). `flush()` does
 * nothing while `flushingSoon` holds a timer; `forceFlush()` clears that timer and reads at once.
 * ProseMirror itself defers reading this way on some browsers and calls `forceFlush()` first thing on
 * every keydown, mousedown and composition end, so the deferral below uses its own protocol.
 */
interface DomObserver {
  observer: MutationObserver | null
  queue: MutationRecord[]
  flushingSoon: number
  flush(): void
  forceFlush(): void
}

/** What ProseMirror's own observer watches (prosemirror-view's `observeOptions`). */
const OBSERVE = { childList: true, characterData: true, characterDataOldValue: true, attributes: true, attributeOldValue: true, subtree: true }

/** If no frame comes (a hidden tab), the change is read after this long anyway. */
const FALLBACK_MS = 50

/** Events anywhere in the page after which the editor must hold what the person typed (a click on a panel button, a shortcut). */
const USER_EVENTS = ['pointerdown', 'mousedown', 'keydown', 'compositionstart', 'focusin', 'focusout', 'paste', 'cut', 'copy', 'dragstart', 'drop'] as const

/** The page is going: what was typed must be in Yjs before the session's own listeners send and store it. */
const LEAVING_EVENTS = ['beforeunload', 'pagehide'] as const

const observerOf = (view: EditorView) => (view as unknown as { domObserver: DomObserver }).domObserver

/** Reads a typed change the browser has made and shown but the editor has not taken in yet (see PaintFirst). */
function readPendingInput(view: EditorView): void {
  if (!view.isDestroyed) observerOf(view).forceFlush()
}

export interface PaintFirstOptions {
  /**
   * Registers a hook to run before any change from elsewhere is applied (the collaboration session's
   * socket and tab channel); returns its removal. The typed change must reach Yjs first.
   * @default null (nothing arrives from elsewhere)
   */
  beforeRemoteChange: ((hook: () => void) => () => void) | null
  /**
   * Whether a change may be painted before it is read. Where the editor turns typing into something
   * else than the browser's plain insertion (建议 mode marks it as a suggestion), it is read at once,
   * so that the first frame already shows what it becomes.
   * @default () => true
   */
  mayPaintFirst: (editor: Editor) => boolean
  /**
   * Runs after a change read once its frame was painted: the frame is gone, so what it produced (the
   * Yjs update) can go out at once rather than after one more frame.
   * @default null
   */
  afterPaintedRead: (() => void) | null
}

/**
 * A typed character reaches the screen before the editor processes it.
 *
 * For plain typing ProseMirror lets the browser insert the character, then reads the DOM change in
 * the same task: its transaction through every plugin, the view update, the write to Yjs, the caret
 * and scroll. On a 50-page report that is ~4 ms before the frame, which is what kept key → paint
 * above the browser's floor (README, Performance). Here the browser's own insertion is painted first
 * and the editor reads it right after that frame, through ProseMirror's own deferred-read protocol.
 *
 * The window is one frame. Everything that could act on the stale document in it reads the change
 * first: ProseMirror on keydown, mousedown and composition; this extension on any user event in the
 * page (a click on a panel button) and before a change from elsewhere is applied. A transaction
 * dispatched in the window anyway (a plugin's timer: the redraw of others' carets, the figure checks)
 * was made on the document without the typed text: the text is read first and the transaction made
 * again on top of it (rebaseTransaction). Drawn as it was, it could redraw the text node the browser
 * had typed into and lose the character. An input method's composition is read at once, as before
 * (ProseMirror tracks the composition's node itself), and so is typing in 建议 mode.
 */
export const PaintFirst = Extension.create<PaintFirstOptions>({
  name: 'paintFirst',

  addOptions() {
    return { beforeRemoteChange: null, mayPaintFirst: () => true, afterPaintedRead: null }
  },

  // Outermost, so that every other extension's hook sees the transaction already made on the typed text.
  priority: 100_000,

  dispatchTransaction({ transaction, next }) {
    // The view itself, not Tiptap's stand-in before it is mounted.
    const view = (this.editor as unknown as { editorView?: EditorView | null }).editorView
    if (!view || view.isDestroyed || observerOf(view).flushingSoon < 0) return next(transaction)
    const before = view.state
    readPendingInput(view)
    if (view.state === before) return next(transaction)
    const change = changedRange(before.doc, view.state.doc)
    next(rebaseTransaction(transaction, change ? mapOfChange(change) : new Mapping(), view.state))
  },

  addProseMirrorPlugins() {
    const { beforeRemoteChange, mayPaintFirst, afterPaintedRead } = this.options
    const editor = this.editor
    return [
      new Plugin({
        key: new PluginKey('paintFirst'),
        view: (view) => {
          const domObserver = observerOf(view)
          const original = domObserver.observer
          if (!original || typeof requestAnimationFrame !== 'function') return {}
          let cancelPaint: (() => void) | null = null
          const readNow = () => readPendingInput(view)
          const deferred = new MutationObserver((mutations) => {
            domObserver.queue.push(...mutations)
            // As before during a composition, with a read already scheduled (ProseMirror's or ours), and
            // where typing will not stay the plain text the browser inserted (stored marks after Ctrl+B).
            if (view.composing || domObserver.flushingSoon > -1 || view.state.storedMarks || !mayPaintFirst(editor)) {
              domObserver.flush()
              return
            }
            // ProseMirror's flush() waits while `flushingSoon` holds a timer; forceFlush() clears it and reads.
            const read = () => {
              cancelPaint?.()
              cancelPaint = null
              if (domObserver.flushingSoon !== timer) return
              readNow()
              afterPaintedRead?.()
            }
            const timer = window.setTimeout(read, FALLBACK_MS)
            domObserver.flushingSoon = timer
            cancelPaint?.()
            cancelPaint = afterNextPaint(read, FALLBACK_MS)
          })
          // ProseMirror observes with `domObserver.observer`, started before plugin views exist; its
          // start() and stop() use whatever that field holds.
          original.takeRecords().forEach((record) => domObserver.queue.push(record))
          original.disconnect()
          domObserver.observer = deferred
          deferred.observe(view.dom, OBSERVE)
          const doc = view.dom.ownerDocument
          USER_EVENTS.forEach((type) => doc.addEventListener(type, readNow, true))
          // Leaving or hiding the page: read before the session sends and stores what is queued
          // (capturing listeners at the window run before its other listeners of the same event).
          LEAVING_EVENTS.forEach((type) => window.addEventListener(type, readNow, true))
          doc.addEventListener('visibilitychange', readNow, true)
          const removeHook = beforeRemoteChange?.(readNow)
          return {
            destroy: () => {
              // The view is going (navigation, a new session): no transaction into it any more.
              cancelPaint?.()
              USER_EVENTS.forEach((type) => doc.removeEventListener(type, readNow, true))
              LEAVING_EVENTS.forEach((type) => window.removeEventListener(type, readNow, true))
              doc.removeEventListener('visibilitychange', readNow, true)
              removeHook?.()
            },
          }
        },
      }),
    ]
  },
})

import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

/**
 * Runs `callback` once the browser has painted its next frame (a task queued from that frame's
 * animation callback runs after the frame), or after `fallbackMs` where no frame comes (a hidden tab
 * paints none). Returns the cancel function.
 */
export function afterNextPaint(callback: () => void, fallbackMs = 100): () => void {
  let task: ReturnType<typeof setTimeout> | undefined
  const run = () => {
    cancel()
    callback()
  }
  const frame = requestAnimationFrame(() => (task = setTimeout(run, 0)))
  const fallback = setTimeout(run, fallbackMs)
  const cancel = () => {
    cancelAnimationFrame(frame)
    clearTimeout(task)
    clearTimeout(fallback)
  }
  return cancel
}

export interface UpdateSender {
  /** Sends what is queued now (before this editor's caret goes out, which may point into it). */
  flush(): void
  /** Sends what is queued and stops queueing; the provider's own handler is not restored. */
  destroy(): void
}

/**
 * Replaces the stock provider's update sender, which encodes and sends each of this editor's changes
 * inside the transaction that makes it: for a keystroke, in the key press's task, before the frame
 * that shows the character. Own changes are queued and sent after that frame instead, merged into one
 * message when several came in one frame (a paste, or quick typing on a slow machine). Updates that
 * came from the server are not sent back, as before. `schedule` is for tests.
 */
export function sendUpdatesAfterPaint(doc: Y.Doc, provider: WebsocketProvider, schedule = afterNextPaint): UpdateSender {
  let queued: Uint8Array[] = []
  let cancel: (() => void) | null = null
  const flush = () => {
    cancel?.()
    cancel = null
    if (queued.length === 0) return
    const update = queued.length === 1 ? queued[0] : Y.mergeUpdates(queued)
    queued = []
    // Any origin but the provider itself is sent (to the server, and to other tabs while offline).
    provider._updateHandler(update, flush)
  }
  const queue = (update: Uint8Array, origin: unknown) => {
    if (origin === provider) return
    queued.push(update)
    cancel ??= schedule(flush)
  }
  doc.off('update', provider._updateHandler)
  doc.on('update', queue)
  return {
    flush,
    destroy: () => {
      flush()
      doc.off('update', queue)
    },
  }
}

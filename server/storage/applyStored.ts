import * as Y from 'yjs'
import { CorruptFileError } from './errors'

/** Main-thread time a load may take before it yields to other documents' messages. */
export const LOAD_SLICE_MS = 15

/** Transaction origin of content applied from the files: the log must not record it again. */
export const STORE_ORIGIN = 'store'

/**
 * Keeps Yjs from "cleaning up" text formatting while a document is rebuilt from its files. After a
 * remote transaction that touches a formatted Y.Text, Yjs deletes format markers that look redundant
 * in the state at that moment. Stored content is applied in slices (state chunks, log batches), and a
 * marker can look redundant in a partial state (the text that separates it from the next marker
 * comes in a later slice) and not in the whole, so the cleanup would delete live formatting. The
 * stored updates already include every cleanup made while the document was edited: loading must
 * reproduce them exactly, not clean again. Returns the function that lifts the guard.
 */
export function guardFormatting(ydoc: Y.Doc): () => void {
  const guard = (transaction: Y.Transaction) => {
    if (transaction.origin === STORE_ORIGIN) transaction._needFormattingCleanup = false
  }
  ydoc.on('afterTransaction', guard)
  return () => ydoc.off('afterTransaction', guard)
}

/** Applies stored updates in one transaction; anything that is not a valid update names its file. */
export function applyStored(ydoc: Y.Doc, file: string, updates: readonly Uint8Array[]): void {
  try {
    Y.transact(
      ydoc,
      () => {
        for (const update of updates) if (update.length > 0) Y.applyUpdate(ydoc, update, STORE_ORIGIN)
      },
      STORE_ORIGIN,
    )
  } catch (error) {
    throw new CorruptFileError(file, `not a valid Yjs update (${error instanceof Error ? error.message : error})`)
  }
}

/**
 * Lets the event loop serve other work before the next slice of a long job. Two setImmediate hops:
 * the first lets a whole loop turn pass (timers, then the poll phase that reads sockets); the second
 * runs after the setImmediate callbacks queued by what was read, among them Connection's uncork,
 * so the replies to those messages go out before the next slice rather than after it.
 */
export const yieldToEventLoop = () =>
  new Promise<void>((resolve) => {
    setImmediate(() => setImmediate(resolve))
  })

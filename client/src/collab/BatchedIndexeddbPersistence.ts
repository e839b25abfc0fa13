import { IndexeddbPersistence, PREFERRED_TRIM_SIZE, storeState } from 'y-indexeddb'
import * as Y from 'yjs'

/** How long changes wait before one IndexedDB write takes them all. */
export const STORE_AFTER_MS = 250
/** An update at least this big (the server's first answer, a paste) is written at once: never kept waiting. */
export const WRITE_AT_ONCE_BYTES = 1024

/** y-indexeddb's object store of updates (not exported by it). */
const UPDATES_STORE = 'updates'

/** Decides which updates skip the batch; by default only big ones. */
export type WriteAtOnce = (update: Uint8Array, origin: unknown) => boolean

/**
 * y-indexeddb opens an IndexedDB transaction for every Yjs update, in the task that made it: with
 * others typing, one per keystroke of anybody, each on the main thread in the frame of a key press.
 * This copy keeps the updates of the last STORE_AFTER_MS and writes them merged as one. A tab that
 * is hidden or closed writes at once (pagehide, visibilitychange), so what could be lost by a crash
 * of the browser itself is at most that quarter second — which the server already holds whenever
 * the connection is up.
 *
 * Some updates are not batched: a write issued in pagehide is not sure to commit when the page is
 * reloaded or navigated away, and a report reloaded within the quarter second after its first
 * download was downloaded whole again (its copy was still waiting in the batch). Big updates (the
 * server's first answer, pastes) are therefore written at once, and so is whatever `writeAtOnce`
 * says — the session passes "while not synced with the server", when this copy is the only one.
 */
export class BatchedIndexeddbPersistence extends IndexeddbPersistence {
  private pending: Uint8Array[] = []
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(
    name: string,
    doc: Y.Doc,
    private readonly writeAtOnce: WriteAtOnce = () => false,
  ) {
    super(name, doc)
    doc.off('update', this._storeUpdate)
    // destroy() unsubscribes whatever _storeUpdate is.
    this._storeUpdate = this.collect
    doc.on('update', this.collect)
    window.addEventListener('pagehide', this.flush)
    document.addEventListener('visibilitychange', this.flushIfHidden)
  }

  /** Updates written so far by flushes (one IndexedDB transaction each). */
  writes = 0

  private readonly collect = (update: Uint8Array, origin: unknown): void => {
    // Updates read from IndexedDB itself are not written back (as in y-indexeddb).
    if (origin === this) return
    this.pending.push(update)
    if (update.byteLength >= WRITE_AT_ONCE_BYTES || this.writeAtOnce(update, origin)) this.flush()
    else this.timer ??= setTimeout(this.flush, STORE_AFTER_MS)
  }

  readonly flush = (): void => {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    if (this.pending.length === 0) return
    const update = this.pending.length === 1 ? this.pending[0] : Y.mergeUpdates(this.pending)
    this.pending = []
    this.writes++
    this.write(update)
  }

  /**
   * One write, committed at once. y-indexeddb's own write leaves the commit to IndexedDB's auto-commit,
   * which waits until the write's answer has come back to this page: a tab closed in that instant (offline,
   * where every change is written at once) could take the write with it. `commit()` hands the commit to
   * the browser with the write. Otherwise as y-indexeddb's: before the database is open nothing is written
   * (it writes the whole document when it opens), and past PREFERRED_TRIM_SIZE stored updates they are
   * folded into one, after a pause.
   */
  private write(update: Uint8Array): void {
    if (!this.db) return
    const transaction = this.db.transaction([UPDATES_STORE], 'readwrite')
    transaction.objectStore(UPDATES_STORE).add(update)
    transaction.commit?.()
    if (++this._dbsize < PREFERRED_TRIM_SIZE) return
    if (this._storeTimeoutId !== null) clearTimeout(this._storeTimeoutId)
    this._storeTimeoutId = setTimeout(() => {
      void storeState(this, false)
      this._storeTimeoutId = null
    }, this._storeTimeout)
  }

  private readonly flushIfHidden = (): void => {
    if (document.visibilityState === 'hidden') this.flush()
  }

  override destroy(): Promise<void> {
    this.flush()
    window.removeEventListener('pagehide', this.flush)
    document.removeEventListener('visibilitychange', this.flushIfHidden)
    return super.destroy()
  }

  override clearData(): Promise<void> {
    // The copy is being forgotten (the server refused a change it holds): nothing to write first.
    this.pending = []
    return super.clearData()
  }
}

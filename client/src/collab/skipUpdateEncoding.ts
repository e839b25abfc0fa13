import type * as Y from 'yjs'

type Listener = (...args: unknown[]) => void

/**
 * Yjs encodes a transaction's changes as an update message after every transaction as soon as anything
 * listens to the document's 'update' event (y-indexeddb, y-websocket and the session all do). Loading
 * this browser's copy of a report is one transaction holding the whole report, and none of them needs
 * it: the copy came from IndexedDB, and the socket is not connected yet (it connects once the copy is
 * in, and its first sync then carries whatever the server lacks). Yjs still encoded it whole: ~75 ms
 * of the main thread on each open of a 100-page report.
 *
 * For every transaction `skip` accepts, the 'update' listeners are set aside from the moment Yjs has
 * cleaned the transaction up until its next event (the next transaction's observer calls or the end
 * of all), so no update is encoded or emitted for that transaction alone; every other transaction,
 * those its observers start included, is emitted as before. Relies on lib0's `_observers` map (the
 * test fails if that changes). Returns a function that stops it.
 */
export function skipUpdateEncoding(doc: Y.Doc, skip: (transaction: Y.Transaction) => boolean): () => void {
  const observers = (doc as unknown as { _observers: Map<string, Set<Listener>> })._observers
  let aside: Set<Listener> | undefined
  const restore = () => {
    if (!aside) return
    // Anyone who subscribed meanwhile is kept too, after the others.
    for (const listener of observers.get('update') ?? []) aside.add(listener)
    observers.set('update', aside)
    aside = undefined
  }
  const setAside = (transaction: Y.Transaction) => {
    restore()
    if (!skip(transaction) || !observers.has('update')) return
    aside = observers.get('update')
    observers.delete('update')
  }
  doc.on('afterTransactionCleanup', setAside)
  doc.on('beforeObserverCalls', restore)
  doc.on('afterAllTransactions', restore)
  return () => {
    restore()
    doc.off('afterTransactionCleanup', setAside)
    doc.off('beforeObserverCalls', restore)
    doc.off('afterAllTransactions', restore)
  }
}

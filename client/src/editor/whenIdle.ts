/**
 * Runs `callback` in an idle moment of the browser (at the latest after 500 ms), so periodic work
 * over the report does not land inside a key press's frame. Returns the cancel function.
 */
export const whenIdle = (callback: () => void): (() => void) => {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(callback, { timeout: 500 })
    return () => cancelIdleCallback(handle)
  }
  const handle = setTimeout(callback, 0)
  return () => clearTimeout(handle)
}

/**
 * Work over the whole report that follows the changes: `run` waits for a pause of `quietMs` in the
 * changes (or, while they go on, at most `maxWaitMs` after the first), then for an idle moment.
 * Call `changed` on every change and `cancel` when done.
 */
export function afterChanges(run: () => void, quietMs: number, maxWaitMs: number): { changed: () => void; cancel: () => void } {
  let quiet: ReturnType<typeof setTimeout> | null = null
  let ceiling: ReturnType<typeof setTimeout> | null = null
  let cancelIdle: (() => void) | null = null
  const cancel = () => {
    if (quiet) clearTimeout(quiet)
    if (ceiling) clearTimeout(ceiling)
    cancelIdle?.()
    quiet = ceiling = cancelIdle = null
  }
  const due = () => {
    cancel()
    cancelIdle = whenIdle(() => {
      cancelIdle = null
      run()
    })
  }
  const changed = () => {
    if (quiet) clearTimeout(quiet)
    quiet = setTimeout(due, quietMs)
    ceiling ??= setTimeout(due, maxWaitMs)
  }
  return { changed, cancel }
}

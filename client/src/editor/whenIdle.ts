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

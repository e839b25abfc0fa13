import * as Y from 'yjs'

const cache = new WeakMap<Uint8Array, ReturnType<typeof Y.decodeUpdate>>()

/**
 * The structs and delete set of an update, decoded once per received message: the dependency check
 * (dependencies.ts) and the update rules (extensions/UpdateRules.ts) both read the same message, and
 * decoding it twice was a measurable part of every keystroke. Read-only: the structs are never
 * integrated (Yjs decodes the update again when it applies it).
 */
export function decodedUpdate(update: Uint8Array): ReturnType<typeof Y.decodeUpdate> {
  let decoded = cache.get(update)
  if (!decoded) {
    decoded = Y.decodeUpdate(update)
    cache.set(update, decoded)
  }
  return decoded
}

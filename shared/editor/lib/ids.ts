const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz'

/**
 * A short random id for marks (placeholders, suggestions, comments). Uses getRandomValues, which
 * browsers offer on plain-http intranet addresses too, unlike crypto.randomUUID.
 */
export function newId(prefix = ''): string {
  const bytes = new Uint8Array(12)
  globalThis.crypto.getRandomValues(bytes)
  let id = prefix
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length]
  return id
}

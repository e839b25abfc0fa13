/** Distinct, readable colours for people (dark enough for white label text). */
const PALETTE = ['#c62828', '#1565c0', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#ad1457', '#4e342e', '#283593', '#558b2f']

/** A stable colour for a person, so their caret and their suggestions look the same everywhere. */
export function colorFor(key: string): string {
  let hash = 0
  for (const char of key) hash = (hash * 31 + char.codePointAt(0)!) >>> 0
  return PALETTE[hash % PALETTE.length]
}

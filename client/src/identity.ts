/** The person at this browser. Accounts replace this later; until then the name is asked once and kept. */
export interface Identity {
  name: string
  color: string
}

const STORAGE_KEY = 'huigao.identity'

/** Distinct, readable caret colours (dark enough for white label text). */
const PALETTE = ['#c62828', '#1565c0', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#ad1457', '#4e342e', '#283593', '#558b2f']

export function colorFor(name: string): string {
  let hash = 0
  for (const char of name) hash = (hash * 31 + char.codePointAt(0)!) >>> 0
  return PALETTE[hash % PALETTE.length]
}

export function loadIdentity(): Identity | null {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Identity> | null
    if (!stored || typeof stored.name !== 'string' || !stored.name.trim()) return null
    return { name: stored.name, color: typeof stored.color === 'string' ? stored.color : colorFor(stored.name) }
  } catch {
    return null
  }
}

export function saveIdentity(name: string): Identity {
  const identity = { name: name.trim(), color: colorFor(name.trim()) }
  localStorage.setItem(STORAGE_KEY, JSON.stringify(identity))
  return identity
}

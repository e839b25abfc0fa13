/**
 * Long side lists (1,000 figures, 750 outline rows on a 100-page report) are rendered a chunk at a
 * time: the first chunk at once, each later one when it nears the list's visible part. Rendering
 * them all at open cost the main thread ~200 ms of React and DOM work for rows nobody could see.
 */

/**
 * Splits `items` into consecutive runs whose `weight`s add up to at most `max` each (an item heavier
 * than `max` gets a run of its own). Greedy: a run is closed only when the next item would not fit,
 * so the same list always gives the same runs and a change near the end leaves the earlier runs alone.
 */
export function chunkByWeight<T>(items: readonly T[], weight: (item: T) => number, max: number): T[][] {
  const chunks: T[][] = []
  let current: T[] = []
  let total = 0
  for (const item of items) {
    const w = weight(item)
    if (current.length > 0 && total + w > max) {
      chunks.push(current)
      current = []
      total = 0
    }
    current.push(item)
    total += w
  }
  if (current.length > 0) chunks.push(current)
  return chunks
}

/**
 * Whether a chunk is rendered: the first always (what the list shows at open, with no wait for an
 * observer), any other once one of its items has been near the view. Keys, not chunk numbers: a
 * figure leaving the list shifts the chunks' borders, and a chunk already seen must not go blank.
 */
export function isChunkShown(index: number, keys: readonly string[], revealed: ReadonlySet<string>): boolean {
  return index === 0 || keys.some((key) => revealed.has(key))
}

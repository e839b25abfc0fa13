import { useCallback, useEffect, useRef, useState } from 'react'

/** The keys of the items that have come near the view, kept while the panel lives (a chunk once shown stays). */
export function useRevealed(): [ReadonlySet<string>, (keys: readonly string[]) => void] {
  const [revealed, setRevealed] = useState<ReadonlySet<string>>(() => new Set())
  const reveal = useCallback(
    (keys: readonly string[]) =>
      setRevealed((old) => {
        if (keys.every((key) => old.has(key))) return old
        const next = new Set(old)
        for (const key of keys) next.add(key)
        return next
      }),
    [],
  )
  return [revealed, reveal]
}

/**
 * Stands in for a chunk of a long list that is not rendered yet: an empty box of about its height, so
 * the scroll bar shows the whole list's length, which asks for its chunk (`onNear`) once it comes
 * within one view's height of the visible part of its scroll container (the closest `.panel`). The
 * observer watches only these few boxes and only until they are replaced: nothing is checked per frame
 * once the list has been scrolled through. `count` (data-count) is how many entries it stands for.
 */
export function ChunkSpacer({ as: Tag, height, count, onNear }: { as: 'div' | 'li'; height: number; count: number; onNear: () => void }) {
  const ref = useRef<HTMLElement | null>(null)
  const near = useRef(onNear)
  near.current = onNear
  const setRef = useCallback((element: HTMLElement | null) => void (ref.current = element), [])
  useEffect(() => {
    const element = ref.current
    if (!element) return
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && near.current(), {
      root: element.closest('.panel'),
      rootMargin: '100% 0px',
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [])
  return <Tag ref={setRef} className="lazy-chunk" style={{ height }} aria-hidden="true" data-count={count} data-testid="lazy-chunk" />
}

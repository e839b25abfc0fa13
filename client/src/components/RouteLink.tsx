import type { MouseEvent, ReactNode } from 'react'
import { hrefFor, navigate, type Route } from '../router'

/**
 * A link to a page of the app: a plain click changes the page without reloading it, while Ctrl/⌘/Shift+click
 * and the middle button open it in a new tab or window, as any link does (a button could not).
 */
export function RouteLink({ route, className, title, children }: { route: Route; className?: string; title?: string; children: ReactNode }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    navigate(route)
  }
  return (
    <a href={hrefFor(route)} className={className} title={title} onClick={onClick}>
      {children}
    </a>
  )
}

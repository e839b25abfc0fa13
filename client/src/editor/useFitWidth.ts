import { useEffect, type RefObject } from 'react'

/** The A4 sheet's width in CSS pixels (210 mm). */
const SHEET_PX = (210 / 25.4) * 96
/** Room kept on either side of the sheet when it is scaled (a 1400-px window still shows it at 100 %). */
const GUTTER_PX = 8
/** Below this the text is harder to read than a sheet scrolled sideways. */
const MIN_ZOOM = 0.6

/** The zoom that fits an A4 sheet into `available` pixels: 1 when it fits, never below MIN_ZOOM. */
export function fitZoom(available: number): number {
  return Math.max(MIN_ZOOM, Math.min(1, (available - 2 * GUTTER_PX) / SHEET_PX))
}

/**
 * Word's "page width" zoom for the editing view: where the room between the outline and the side
 * panel is narrower than an A4 sheet (a 1024-px window leaves ~680 px), the sheet and its text are
 * scaled down to fit, so no line end hides beyond the panel's edge; the lines keep their 28
 * characters. Sets `--page-zoom` on the scroller, which page.css reads.
 */
export function useFitWidth(scroller: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const element = scroller.current
    if (!element) return
    const fit = () => element.style.setProperty('--page-zoom', fitZoom(element.clientWidth).toFixed(3))
    const observer = new ResizeObserver(fit)
    observer.observe(element)
    fit()
    return () => observer.disconnect()
  }, [scroller])
}

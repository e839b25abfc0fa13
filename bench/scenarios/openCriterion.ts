import type { Page } from '@playwright/test'

/**
 * When a big report counts as open (the ED scenario and bench/tools/profile-open.ts; copy this file
 * along with profile-open.ts to run it in an older checkout): the figures sidebar's count reads
 * `figures`; the sidebar lists them all and shows the last one; with `sections`, the outline lists
 * them all and shows the last one, and the page shows sections.
 *
 * "Lists them all and shows the last one": the panels render long lists a chunk at a time
 * (client/src/editor/lazyList), the chunks not yet near the view standing as empty boxes that count
 * their entries (`lazy-chunk`, `data-count`). So, as a person checking the end of the list would, the
 * check scrolls each list to its end and waits until the last entry is rendered there, after every
 * box still standing in, within the list's visible part; the entries rendered plus those the boxes
 * stand for must be all of them. Before the lists were chunked (up to 2026-12-01) every entry was in
 * the DOM and the check counted the elements, which a chunked list never has at once; this check
 * passes on both (an unchunked list has no boxes), so old and new builds are timed alike. It asks for
 * more than the old one did: the end of both lists scrolled to and painted, not only present.
 *
 * One native query every 50 ms in the page: Playwright's locator waits ran its own selector engine
 * over the 100-page DOM on the page's main thread (60–560 ms of it per open in profiles) and, backing
 * off to 500 ms between checks, could see the end up to half a second late.
 */
export async function waitUntilOpen(page: Page, figures: number, sections: number | null): Promise<void> {
  // One anonymous function, no named inner ones: tsx would wrap those in a helper the page lacks
  // (and the app's CSP refuses a string to evaluate).
  await page.waitForFunction(
    ([figures, sections]) =>
      document.querySelector('[data-testid="unfilled-count"]')?.textContent === String(figures) &&
      [
        ['placeholder-panel', 'placeholder-entry', figures],
        ['outline', 'outline-item', sections],
      ].every(([panelId, entryId, total]) => {
        if (total === null) return true
        const list = document.querySelector(`[data-testid="${panelId}"]`)
        const scroller = list?.closest('.panel')
        if (!list || !scroller) return false
        scroller.scrollTop = scroller.scrollHeight
        const entries = list.querySelectorAll(`[data-testid="${entryId}"]`)
        const boxes = [...list.querySelectorAll('[data-testid="lazy-chunk"]')]
        const last = entries[entries.length - 1]
        if (!last || entries.length + boxes.reduce((n, box) => n + Number(box.getAttribute('data-count')), 0) !== total) return false
        if (boxes.some((box) => last.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING)) return false
        const view = scroller.getBoundingClientRect()
        const shown = last.getBoundingClientRect()
        return scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2 && shown.height > 0 && shown.top >= view.top && shown.bottom <= view.bottom + 1
      }) &&
      (sections === null || document.querySelector('.page__content .section') !== null),
    [figures, sections] as const,
    { polling: 50, timeout: 60_000 },
  )
}

/** Both side panels back at their top, as a report opens: what follows the open (typing) meets the panels as a person who opened it does. */
export async function scrollPanelsToTop(page: Page): Promise<void> {
  await page.evaluate(() => document.querySelectorAll('.panel').forEach((panel) => panel.scrollTo({ top: 0, behavior: 'instant' })))
}

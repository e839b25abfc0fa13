/**
 * Lays the editor's content out on A4 sheets the way the .docx prints (GB/T 9704-2012): a 156 × 225 mm
 * type area of 22 lines, 「— N —」 page numbers on the outer side. Works on a copy of the editor's DOM (so
 * ordinals, suggestions and highlighted figures look exactly as in the editor) and splits a paragraph that
 * does not fit at the last character that still fits, carrying the rest to the next sheet.
 */

/** One textblock to place: a copy of the editor's element with the classes that give it its face. */
function blocksOf(root: Element): HTMLElement[] {
  const blocks: HTMLElement[] = []
  const visit = (parent: Element, level: string | null) => {
    for (const child of Array.from(parent.children)) {
      if (!(child instanceof HTMLElement)) continue
      if (child.matches('section.section')) {
        const runIn = child.dataset.runIn === 'true'
        const childLevel = child.dataset.level ?? null
        const title = child.querySelector(':scope > .section-title')
        const lead = title?.nextElementSibling
        if (title && runIn && lead?.matches('p')) {
          // 段中标题: the title opens its first paragraph, in its own face.
          const merged = document.createElement('p')
          const head = document.createElement('span')
          head.className = `pv-heading pv-level-${childLevel}`
          head.append(...Array.from(title.cloneNode(true).childNodes))
          merged.append(head, ...Array.from(lead.cloneNode(true).childNodes))
          blocks.push(merged)
          visit(withoutFirst(child, 2), childLevel)
        } else {
          if (title) blocks.push(heading(title as HTMLElement, childLevel))
          visit(withoutFirst(child, 1), childLevel)
        }
      } else if (child.matches('h1.report-title')) {
        const title = child.cloneNode(true) as HTMLElement
        title.className = 'pv-title'
        blocks.push(title)
      } else if (child.matches('p, .section-title')) {
        blocks.push(child.matches('p') ? (child.cloneNode(true) as HTMLElement) : heading(child, level))
      }
    }
  }
  visit(root, null)
  // Other people's carets and the sections' status chips (起草中, 待审) are widgets in the editor's DOM for
  // the people drafting, not text of the report: the sheets are what is printed.
  for (const block of blocks) block.querySelectorAll('.collab-caret, .section-chip').forEach((widget) => widget.remove())
  return blocks
}

/** A section element without its first `count` children (title, run-in lead), for the walk. */
function withoutFirst(section: Element, count: number): Element {
  const rest = document.createElement('div')
  Array.from(section.children)
    .slice(count)
    .forEach((child) => rest.append(child.cloneNode(true)))
  return rest
}

function heading(title: HTMLElement, level: string | null): HTMLElement {
  const copy = document.createElement('p')
  copy.className = `pv-heading pv-level-${level}`
  copy.append(...Array.from(title.cloneNode(true).childNodes))
  return copy
}

function sheet(number: number): { sheet: HTMLElement; body: HTMLElement } {
  const element = document.createElement('div')
  element.className = `pv-sheet pv-sheet--${number % 2 === 1 ? 'odd' : 'even'}`
  element.dataset.page = String(number)
  const body = document.createElement('div')
  body.className = 'pv-body'
  const footer = document.createElement('div')
  footer.className = 'pv-number'
  footer.textContent = `— ${number} —`
  element.append(body, footer)
  return { sheet: element, body }
}

const overflows = (body: HTMLElement) => body.scrollHeight > body.clientHeight + 1

/** Number of characters in an element's text. */
const lengthOf = (element: Node) => element.textContent?.length ?? 0

/** The part of `block` from character `from` to `to` (wrappers such as marks kept), as a new block. */
function part(block: HTMLElement, from: number, to: number): HTMLElement {
  const range = document.createRange()
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT)
  let offset = 0
  let startSet = false
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const length = node.nodeValue?.length ?? 0
    if (!startSet && from <= offset + length) {
      range.setStart(node, from - offset)
      startSet = true
    }
    if (to <= offset + length) {
      range.setEnd(node, to - offset)
      break
    }
    offset += length
  }
  const copy = block.cloneNode(false) as HTMLElement
  copy.append(range.cloneContents())
  return copy
}

/**
 * Places `blocks` on sheets in `target` (emptied first); returns the number of sheets. `target` must be
 * in the document and laid out, since fitting is measured.
 */
export function paginate(source: Element, target: HTMLElement): number {
  target.replaceChildren()
  let count = 1
  let current = sheet(count)
  target.append(current.sheet)
  const next = () => {
    // Keep with next: a standalone heading never ends a sheet; it moves over with what follows it.
    const last = current.body.lastElementChild
    const keep = last?.matches('p.pv-heading') && current.body.childElementCount > 1 ? last : null
    count += 1
    current = sheet(count)
    target.append(current.sheet)
    if (keep) current.body.append(keep)
  }

  for (const block of blocksOf(source)) {
    let rest: HTMLElement | null = block
    while (rest) {
      current.body.append(rest)
      if (!overflows(current.body)) break
      rest.remove()
      const total = lengthOf(rest)
      // The longest head that fits on this sheet (binary search over characters).
      let low = 0
      let high = total
      while (low < high) {
        const mid = Math.ceil((low + high) / 2)
        const head = part(rest, 0, mid)
        current.body.append(head)
        const fits = !overflows(current.body)
        head.remove()
        if (fits) low = mid
        else high = mid - 1
      }
      if (low === 0 || rest.classList.contains('pv-title')) {
        // Nothing fits (or a title, which is never split): the whole block starts the next sheet.
        if (current.body.childElementCount === 0) {
          current.body.append(rest)
          rest = null
        }
        next()
        continue
      }
      const head = part(rest, 0, low)
      head.classList.add('pv-split-head')
      current.body.append(head)
      const tail = part(rest, low, total)
      tail.classList.add('pv-continued')
      rest = tail
      next()
    }
  }
  return count
}

/**
 * Another person typing in a section title, as the editor's browser would send it — one Yjs update
 * per character and a caret (y-prosemirror's awareness `cursor`: relative positions) after it — but
 * from this process, not from a browser tab: in the editor benchmark the others' editors must not
 * share the measured browser's two cores, as on a real office's machines they do not.
 */
import * as Y from 'yjs'
import { CONTENT_FRAGMENT } from '../../shared/editor/lib/ydoc'
import { FullClient, type Target } from './clients'
import { sleep } from './util'

/** The `index`-th section title's text in document order (section titles nest in sections). */
function sectionTitleText(doc: Y.Doc, index: number): Y.XmlText {
  let seen = 0
  const walk = (element: Y.XmlFragment | Y.XmlElement): Y.XmlText | null => {
    for (const child of element.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      if (child.nodeName === 'sectionTitle' && seen++ === index) {
        const text = child.toArray().find((c): c is Y.XmlText => c instanceof Y.XmlText)
        if (text) return text
        const created = new Y.XmlText()
        child.insert(0, [created])
        return created
      }
      const found = walk(child)
      if (found) return found
    }
    return null
  }
  const found = walk(doc.getXmlFragment(CONTENT_FRAGMENT))
  if (!found) throw new Error(`no section title ${index}`)
  return found
}

export class RemoteTypist {
  private readonly client: FullClient
  private stopped = false

  constructor(target: Target, docName: string, private readonly titleIndex: number) {
    this.client = new FullClient(target, docName)
  }

  /** Types `text` at the end of the title, one character every `delayMs`, until done or stopped. */
  async type(text: string, delayMs: number): Promise<void> {
    await this.client.synced
    const awareness = this.client.awareness
    // Found once: the walk covers the whole report, and the title's text stays the same Y.XmlText.
    const title = sectionTitleText(this.client.doc, this.titleIndex)
    for (const char of text) {
      if (this.stopped) return
      this.client.doc.transact(() => title.insert(title.length, char))
      if (awareness) {
        const at = Y.createRelativePositionFromTypeIndex(title, title.length)
        awareness.setLocalStateField('cursor', { anchor: at, head: at })
      }
      await sleep(delayMs)
    }
  }

  stop(): void {
    this.stopped = true
    this.client.destroy()
  }
}

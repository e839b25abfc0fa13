/**
 * WordprocessingML → paragraphs of annotated text, tracked changes and comments included.
 *
 * mammoth gives the text only, so the revisions (`w:ins`/`w:del`, moves, paragraph-mark revisions) and
 * comment ranges a reviewer left in Word or WPS were lost. This reads `word/document.xml`,
 * `word/comments.xml` and `word/commentsExtended.xml` with a real XML parser (@xmldom/xmldom, which
 * mammoth itself uses) and keeps, for every stretch of text, which revision and which comments it is in.
 * A paragraph Word numbers itself gets its label in front of its text (listNumbering.ts).
 */

import { DOMParser } from '@xmldom/xmldom'
import JSZip from 'jszip'
import { ListNumbering } from './listNumbering'

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
const W14 = 'http://schemas.microsoft.com/office/word/2010/wordml'
const W15 = 'http://schemas.microsoft.com/office/word/2012/wordml'

/** A .docx that cannot be read (not a zip, no document part, malformed XML, …). */
export class DocxReadError extends Error {
  override name = 'DocxReadError'
}

/** One `w:ins`/`w:del` (or move) as Word recorded it. */
export interface WordRevision {
  type: 'insertion' | 'deletion'
  author: string
  /** `w:date` as written (ISO 8601), '' when Word left it out. */
  date: string
}

/** A stretch of a paragraph with the same revision and the same comments. */
export interface WordSegment {
  text: string
  revision: WordRevision | null
  /** `w:id`s of the comments whose range covers this text. */
  comments: readonly string[]
}

export interface WordParagraph {
  segments: WordSegment[]
  /** A tracked paragraph mark: inserted (the paragraph was split) or deleted (joined with the next). */
  markRevision: WordRevision | null
}

export interface WordComment {
  id: string
  author: string
  date: string
  /** The comment's paragraphs, joined with newlines. */
  text: string
  /** `w:id` of the comment this one replies to (commentsExtended's paraIdParent). */
  parentId: string | null
  /** `w15:done`: the thread was marked resolved. */
  done: boolean
}

export interface WordDocument {
  paragraphs: WordParagraph[]
  comments: WordComment[]
}

type El = Element

function parseXml(xml: string, part: string): Document {
  const fail = (message: unknown) => {
    throw new DocxReadError(`${part} is not well-formed XML (${String(message).split('\n')[0]})`)
  }
  // xmldom 0.8 is lenient: a mismatched end tag is only a warning, so warnings count as errors too.
  const parsed = new DOMParser({ errorHandler: { warning: fail, error: fail, fatalError: fail } }).parseFromString(xml, 'text/xml')
  if (!parsed.documentElement) fail('no root element')
  return parsed
}

function childElements(node: Node): El[] {
  const out: El[] = []
  for (let child = node.firstChild; child; child = child.nextSibling) if (child.nodeType === 1) out.push(child as El)
  return out
}

const isW = (el: El, name: string) => el.namespaceURI === W && el.localName === name
const wAttr = (el: El, name: string) => el.getAttributeNS(W, name) ?? ''
const wChild = (el: El, name: string) => childElements(el).find((child) => isW(child, name))

function revisionOf(el: El, type: WordRevision['type']): WordRevision {
  return { type, author: wAttr(el, 'author'), date: wAttr(el, 'date') }
}

/** Walks the body, carrying the open comment ranges from one paragraph to the next. */
class BodyReader {
  readonly paragraphs: WordParagraph[] = []
  private readonly open = new Set<string>()
  private current: WordParagraph = { segments: [], markRevision: null }

  constructor(private readonly numbering: ListNumbering) {}

  block(el: El): void {
    for (const child of childElements(el)) {
      if (isW(child, 'p')) this.paragraph(child)
      else if (isW(child, 'tbl') || isW(child, 'tr') || isW(child, 'tc') || isW(child, 'sdt') || isW(child, 'sdtContent') || isW(child, 'customXml')) this.block(child)
      else this.inline(child, null)
    }
  }

  private paragraph(p: El): void {
    this.current = { segments: [], markRevision: null }
    const first = this.paragraphs.length
    const pPr = wChild(p, 'pPr')
    const label = this.numbering.label(pPr)
    for (const child of childElements(p)) {
      if (isW(child, 'pPr')) this.paragraphMark(child)
      else this.inline(child, null)
    }
    this.paragraphs.push(this.current)
    // The label belongs to the paragraph's first line, as Word draws it.
    const line = this.paragraphs[first]
    if (label !== '' && line.segments.length > 0) line.segments.unshift({ text: label, revision: null, comments: [] })
  }

  private paragraphMark(pPr: El): void {
    const rPr = wChild(pPr, 'rPr')
    if (!rPr) return
    const ins = wChild(rPr, 'ins') ?? wChild(rPr, 'moveTo')
    const del = wChild(rPr, 'del') ?? wChild(rPr, 'moveFrom')
    if (ins) this.current.markRevision = revisionOf(ins, 'insertion')
    else if (del) this.current.markRevision = revisionOf(del, 'deletion')
  }

  private inline(el: El, revision: WordRevision | null): void {
    if (el.namespaceURI !== W) return // mc:AlternateContent (text boxes, drawings) and foreign markup
    switch (el.localName) {
      case 'r':
        return this.run(el, revision)
      case 'ins':
      case 'moveTo':
        return this.children(el, revisionOf(el, 'insertion'))
      case 'del':
      case 'moveFrom':
        return this.children(el, revisionOf(el, 'deletion'))
      case 'commentRangeStart':
        this.open.add(wAttr(el, 'id'))
        return
      case 'commentRangeEnd':
        this.open.delete(wAttr(el, 'id'))
        return
      case 'hyperlink':
      case 'smartTag':
      case 'fldSimple':
      case 'customXml':
      case 'sdt':
      case 'sdtContent':
        return this.children(el, revision)
      default:
    }
  }

  private children(el: El, revision: WordRevision | null): void {
    for (const child of childElements(el)) this.inline(child, revision)
  }

  private run(r: El, revision: WordRevision | null): void {
    for (const child of childElements(r)) {
      if (child.namespaceURI !== W) continue
      switch (child.localName) {
        case 't':
        case 'delText':
          this.text(child.textContent ?? '', revision)
          break
        case 'tab':
          this.text('\t', revision)
          break
        case 'noBreakHyphen':
          this.text('-', revision)
          break
        case 'br':
        case 'cr':
          // A line break inside a paragraph starts a new line of the draft, as in the text import.
          if (wAttr(child, 'type') !== 'page' && wAttr(child, 'type') !== 'column') this.lineBreak()
          break
        default:
      }
    }
  }

  private lineBreak(): void {
    this.paragraphs.push(this.current)
    this.current = { segments: [], markRevision: null }
  }

  private text(text: string, revision: WordRevision | null): void {
    if (text === '') return
    const comments = [...this.open].sort()
    const last = this.current.segments.at(-1)
    if (last && sameRevision(last.revision, revision) && last.comments.join() === comments.join()) last.text += text
    else this.current.segments.push({ text, revision, comments })
  }
}

const sameRevision = (a: WordRevision | null, b: WordRevision | null) =>
  a === b || (a !== null && b !== null && a.type === b.type && a.author === b.author && a.date === b.date)

function readComments(comments: Document | null, extended: Document | null): WordComment[] {
  if (!comments) return []
  const byParaId = new Map<string, string>()
  const list: (WordComment & { paraId: string })[] = []
  for (const el of Array.from(comments.getElementsByTagNameNS(W, 'comment'))) {
    const paragraphs = childElements(el).filter((child) => isW(child, 'p'))
    const text = paragraphs.map((p) => Array.from(p.getElementsByTagNameNS(W, 't')).map((t) => t.textContent ?? '').join('')).join('\n')
    const paraId = paragraphs.at(-1)?.getAttributeNS(W14, 'paraId') ?? ''
    const comment = { id: wAttr(el, 'id'), author: wAttr(el, 'author'), date: wAttr(el, 'date'), text, parentId: null, done: false, paraId }
    if (paraId) byParaId.set(paraId, comment.id)
    list.push(comment)
  }
  const extra = new Map<string, { parent: string; done: boolean }>()
  if (extended) {
    for (const el of Array.from(extended.getElementsByTagNameNS(W15, 'commentEx'))) {
      extra.set(el.getAttributeNS(W15, 'paraId') ?? '', { parent: el.getAttributeNS(W15, 'paraIdParent') ?? '', done: el.getAttributeNS(W15, 'done') === '1' })
    }
  }
  return list.map(({ paraId, ...comment }) => {
    const info = extra.get(paraId)
    return { ...comment, parentId: (info?.parent && byParaId.get(info.parent)) || null, done: info?.done ?? false }
  })
}

export async function readDocx(data: Uint8Array): Promise<WordDocument> {
  let zip: JSZip
  try {
    zip = await JSZip.loadAsync(data)
  } catch (error) {
    throw new DocxReadError(`not a readable .docx file (${error instanceof Error ? error.message : String(error)})`)
  }
  const part = async (name: string) => {
    const file = zip.file(name)
    return file ? parseXml(await file.async('string'), name) : null
  }
  const document = await part('word/document.xml')
  const body = document?.getElementsByTagNameNS(W, 'body')[0]
  if (!document || !body) throw new DocxReadError('not a readable .docx file (no word/document.xml with a body)')
  const reader = new BodyReader(new ListNumbering(await part('word/numbering.xml'), await part('word/styles.xml')))
  reader.block(body)
  return { paragraphs: reader.paragraphs, comments: readComments(await part('word/comments.xml'), await part('word/commentsExtended.xml')) }
}

/**
 * Finishing touches on the package `docx` writes, which its options cannot express:
 * - `word/fontTable.xml` declares every font the report uses, with its GB2312 character set and an open
 *   font as `w:altName` (what Word and LibreOffice fall back to when the official font is missing);
 * - `word/styles.xml` keeps only the styles the parts use (docx adds Title, Heading1–6, TOC1–9, … that a
 *   report never uses, and Word then lists them in the style gallery);
 * - the Normal style turns off automatic spacing between Chinese and Latin text or digits
 *   (`w:autoSpaceDE`/`w:autoSpaceDN`): 公文 set 28 characters on a fixed grid, and the extra quarter-space
 *   Word adds around「2022年」or「5+2」would push characters off it.
 */

import { DOMParser, XMLSerializer } from '@xmldom/xmldom'
import JSZip from 'jszip'
import { FONT } from './layout'

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'

interface FontDeclaration {
  name: string
  /** The open face installed by scripts/ensure-office-fonts.mjs and mapped in fontconfig/fonts.conf. */
  altName: string
  /** `w:charset`: 86 = GB2312, 00 = ANSI. */
  charset: '86' | '00'
  family: 'roman' | 'modern' | 'swiss' | 'script'
  pitch: 'fixed' | 'variable'
}

export const FONT_DECLARATIONS: readonly FontDeclaration[] = [
  { name: FONT.body, altName: 'FandolFang', charset: '86', family: 'modern', pitch: 'fixed' },
  { name: FONT.title, altName: 'FandolSong', charset: '86', family: 'script', pitch: 'fixed' },
  { name: FONT.level1, altName: 'FandolHei', charset: '86', family: 'modern', pitch: 'fixed' },
  { name: FONT.level2, altName: 'FandolKai', charset: '86', family: 'modern', pitch: 'fixed' },
  { name: FONT.pageNumber, altName: 'FandolSong', charset: '86', family: 'roman', pitch: 'variable' },
  { name: FONT.latin, altName: 'Liberation Serif', charset: '00', family: 'roman', pitch: 'variable' },
]

const escape = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')

function fontTable(): string {
  const fonts = FONT_DECLARATIONS.map(
    (font) =>
      `<w:font w:name="${escape(font.name)}"><w:altName w:val="${escape(font.altName)}"/><w:charset w:val="${font.charset}"/><w:family w:val="${font.family}"/><w:pitch w:val="${font.pitch}"/></w:font>`,
  ).join('')
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="${W}">${fonts}</w:fonts>`
}

/** Children of CT_PPrBase that come after autoSpaceDN, in schema order: new elements go before the first of these. */
const AFTER_AUTO_SPACE = new Set(['bidi', 'adjustRightInd', 'snapToGrid', 'spacing', 'ind', 'contextualSpacing', 'mirrorIndents', 'suppressOverlap', 'jc', 'textDirection', 'textAlignment', 'textboxTightWrap', 'outlineLvl', 'divId', 'cnfStyle', 'rPr', 'sectPr', 'pPrChange'])

function elements(parent: Element, name: string): Element[] {
  return Array.from(parent.getElementsByTagNameNS(W, name))
}

function styleChain(style: Element, links: string[]): void {
  for (const name of ['basedOn', 'link', 'next']) {
    const child = elements(style, name)[0]
    const value = child?.getAttributeNS(W, 'val')
    if (value) links.push(value)
  }
}

function polishStyles(xml: string, used: Set<string>): string {
  const document = new DOMParser().parseFromString(xml, 'text/xml')
  const styles = elements(document.documentElement, 'style')
  const byId = new Map(styles.map((style) => [style.getAttributeNS(W, 'styleId') ?? '', style]))
  const keep = new Set<string>()
  const queue = [...used, ...styles.filter((style) => style.getAttributeNS(W, 'default') === '1').map((style) => style.getAttributeNS(W, 'styleId') ?? '')]
  while (queue.length > 0) {
    const id = queue.pop()!
    const style = byId.get(id)
    if (!style || keep.has(id)) continue
    keep.add(id)
    styleChain(style, queue)
  }
  for (const [id, style] of byId) if (!keep.has(id)) style.parentNode?.removeChild(style)

  const normal = byId.get('Normal')
  if (normal) {
    let pPr = elements(normal, 'pPr')[0]
    if (!pPr) {
      pPr = document.createElementNS(W, 'w:pPr')
      normal.insertBefore(pPr, elements(normal, 'rPr')[0] ?? null)
    }
    const before = Array.from(pPr.childNodes).find((node) => node.nodeType === 1 && AFTER_AUTO_SPACE.has((node as Element).localName)) ?? null
    for (const name of ['autoSpaceDE', 'autoSpaceDN']) {
      const element = document.createElementNS(W, `w:${name}`)
      element.setAttributeNS(W, 'w:val', '0')
      pPr.insertBefore(element, before)
    }
  }
  return new XMLSerializer().serializeToString(document)
}

/** Rewrites the font table and the styles of a .docx written by `docx`. */
export async function polishDocx(buffer: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(buffer)
  const used = new Set<string>()
  for (const name of Object.keys(zip.files)) {
    if (!/^word\/[^/]+\.xml$/.test(name) || name === 'word/styles.xml') continue
    const xml = await zip.file(name)!.async('string')
    for (const match of xml.matchAll(/<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"/g)) used.add(match[1])
  }
  const styles = zip.file('word/styles.xml')
  if (styles) zip.file('word/styles.xml', polishStyles(await styles.async('string'), used))
  zip.file('word/fontTable.xml', fontTable())
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })
}

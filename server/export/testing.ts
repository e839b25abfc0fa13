/**
 * Test helpers for server/export: unzip an exported .docx and pick its WordprocessingML apart with small,
 * explicit regular expressions (the parts are machine-written by docx, one element per tag, no nesting of
 * paragraphs), and build editor documents with suggestion and comment marks. Test-only.
 */
import type { JSONContent } from '@tiptap/core'
import type { Node as ProseMirrorNode } from '@tiptap/pm/model'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import JSZip from 'jszip'
import { findSoffice } from '../http/exportRouter'
import { plainTextToDocJSON } from '../../shared/editor/lib/plainText'
import { schema } from '../../shared/editor/schema'

export interface DocxParts {
  files: string[]
  document: string
  settings: string
  styles: string
  core: string
  /** Footer part by its reference type in the section ('default', 'even'). */
  footers: Record<string, string>
  /** word/comments.xml, or '' when there is none. */
  comments: string
}

export async function readDocx(buffer: Buffer): Promise<DocxParts> {
  const zip = await JSZip.loadAsync(buffer)
  const read = async (name: string) => (await zip.file(name)?.async('string')) ?? ''
  const document = await read('word/document.xml')
  const rels = await read('word/_rels/document.xml.rels')
  const footers: Record<string, string> = {}
  for (const [, type, rid] of document.matchAll(/<w:footerReference w:type="(\w+)" r:id="(\w+)"\/>/g)) {
    const target = new RegExp(`<Relationship[^>]*Id="${rid}"[^>]*Target="([^"]+)"`).exec(rels)?.[1]
      ?? new RegExp(`<Relationship[^>]*Target="([^"]+)"[^>]*Id="${rid}"`).exec(rels)?.[1]
    if (target) footers[type] = await read(`word/${target}`)
  }
  return {
    files: Object.keys(zip.files),
    document,
    settings: await read('word/settings.xml'),
    styles: await read('word/styles.xml'),
    core: await read('docProps/core.xml'),
    footers,
    comments: await read('word/comments.xml'),
  }
}

const decode = (text: string) =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')

/** `<w:p>` elements (not `<w:pPr>`) of a part, in order. */
export function paragraphs(xml: string): string[] {
  return [...xml.matchAll(/<w:p(?:\s[^>]*)?>[\s\S]*?<\/w:p>/g)].map((match) => match[0])
}

/** `<w:r>` elements (not `<w:rPr>`), in order, including those inside `<w:ins>`/`<w:del>`. */
export function runs(xml: string): string[] {
  return [...xml.matchAll(/<w:r(?:\s[^>]*)?>[\s\S]*?<\/w:r>/g)].map((match) => match[0])
}

/** The visible text (`w:t`, not `w:delText`) of a fragment. */
export function textOf(xml: string): string {
  return [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((match) => decode(match[1] ?? '')).join('')
}

/** The deleted text (`w:delText`) of a fragment. */
export function deletedTextOf(xml: string): string {
  return [...xml.matchAll(/<w:delText(?:\s[^>]*)?>([^<]*)<\/w:delText>/g)].map((match) => decode(match[1] ?? '')).join('')
}

/** Attributes of the first `<tag …>` in a fragment, or null. */
export function attrsOf(xml: string, tag: string): Record<string, string> | null {
  const match = new RegExp(`<${tag}((?:\\s+[\\w:]+="[^"]*")*)\\s*/?>`).exec(xml)
  if (!match) return null
  return Object.fromEntries([...(match[1] ?? '').matchAll(/([\w:]+)="([^"]*)"/g)].map((m) => [m[1], decode(m[2] ?? '')]))
}

/** Every `<tag …>` element's attributes in a fragment. */
export function allAttrsOf(xml: string, tag: string): Record<string, string>[] {
  return [...xml.matchAll(new RegExp(`<${tag}((?:\\s+[\\w:]+="[^"]*")*)\\s*/?>`, 'g'))].map((match) =>
    Object.fromEntries([...(match[1] ?? '').matchAll(/([\w:]+)="([^"]*)"/g)].map((m) => [m[1], decode(m[2] ?? '')])),
  )
}

/** The paragraph whose visible text contains `needle`. */
export function paragraphWith(xml: string, needle: string): string {
  const found = paragraphs(xml).find((paragraph) => textOf(paragraph).includes(needle))
  if (!found) throw new Error(`no paragraph contains ${needle}`)
  return found
}

/** The run whose visible text is exactly `text`, in a fragment. */
export function runWithText(xml: string, text: string): string {
  const found = runs(xml).find((run) => textOf(run) === text)
  if (!found) throw new Error(`no run with text ${text}`)
  return found
}

export const docFromText = (text: string): ProseMirrorNode => {
  const doc = schema.nodeFromJSON(plainTextToDocJSON(text))
  doc.check()
  return doc
}

export const docFromJSON = (json: JSONContent): ProseMirrorNode => {
  const doc = schema.nodeFromJSON(json)
  doc.check()
  return doc
}

/** A copy of a document JSON with every placeholder's text replaced by `value(index)`. */
export function fillPlaceholders(json: JSONContent, value: (index: number) => string): JSONContent {
  let index = 0
  const visit = (node: JSONContent): JSONContent => {
    if (node.type === 'text' && node.marks?.some((mark) => mark.type === 'placeholder')) return { ...node, text: value(index++) }
    return node.content ? { ...node, content: node.content.map(visit) } : node
  }
  return visit(json)
}

export const suggestion = (type: 'insertion' | 'deletion', id: string, authorName: string, createdAt: string) => ({
  type,
  attrs: { id, authorId: `u-${authorName}`, authorName, createdAt },
})

const MISSING_OFFICE = 'needs soffice and poppler-utils: run `node scripts/ensure-office-fonts.mjs` as root (npm test does)'

function onPath(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`])
    return true
  } catch {
    return false
  }
}

/** soffice's path; throws (so the test fails, never passes silently) when LibreOffice or poppler-utils are missing. */
export function requireOfficeTools(): string {
  const soffice = findSoffice()
  if (!soffice || !onPath('pdffonts') || !onPath('pdftotext')) throw new Error(`This test cannot run: ${MISSING_OFFICE}`)
  return soffice
}

/** Converts a file with LibreOffice (`--convert-to <format>`), in a private profile and temporary folder. */
export async function convertWithSoffice(soffice: string, input: Uint8Array, from: string, to: string): Promise<Buffer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'huigao-soffice-'))
  try {
    writeFileSync(path.join(dir, `in.${from}`), input)
    execFileSync(soffice, [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--norestore', '--convert-to', to, '--outdir', path.join(dir, 'out'), path.join(dir, `in.${from}`)], { timeout: 60_000 })
    return readFileSync(path.join(dir, 'out', `in.${to.split(':')[0]}`))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

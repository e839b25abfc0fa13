import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import { sampleDoc } from '../../shared/editor/testing/reportFixtures'
import { exportDocx } from './exportDocx'
import { FONT } from './layout'
import { FONT_DECLARATIONS } from './polish'
import { allAttrsOf } from './testing'

async function parts(buffer: Buffer) {
  const zip = await JSZip.loadAsync(buffer)
  const read = async (name: string) => (await zip.file(name)?.async('string')) ?? ''
  const others = await Promise.all(Object.keys(zip.files).filter((name) => /^word\/[^/]+\.xml$/.test(name) && name !== 'word/styles.xml').map(read))
  return { fontTable: await read('word/fontTable.xml'), styles: await read('word/styles.xml'), others: others.join('') }
}

describe('export polish', () => {
  it('declares every font it uses in fontTable.xml, with GB2312 and an open fallback', async () => {
    const { fontTable, others } = await parts(await exportDocx(sampleDoc(), { mode: 'as-is' }))
    const declared = allAttrsOf(fontTable, 'w:font').map((attrs) => attrs['w:name'])
    const used = new Set([...others.matchAll(/w:(?:eastAsia|ascii)="([^"]+)"/g)].map((match) => match[1]).filter((name) => !/^(zh-CN|en-US)$/.test(name)))
    expect(used.size).toBeGreaterThanOrEqual(5)
    for (const name of used) expect(declared).toContain(name)
    expect(allAttrsOf(fontTable, 'w:altName').map((attrs) => attrs['w:val'])).toEqual(FONT_DECLARATIONS.map((font) => font.altName))
    const body = fontTable.slice(fontTable.indexOf(`w:name="${FONT.body}"`))
    expect(body).toMatch(/^[^]*?<w:altName w:val="FandolFang"\/><w:charset w:val="86"\/>/)
  })

  it('keeps only styles the document uses (and the defaults), and turns off Chinese–Latin auto spacing in Normal', async () => {
    const { styles, others } = await parts(await exportDocx(sampleDoc(), { mode: 'as-is' }))
    const ids = allAttrsOf(styles, 'w:style').map((attrs) => attrs['w:styleId'])
    expect(ids).toContain('Normal')
    for (const unused of ['Title', 'Heading1', 'Heading6', 'TOC1', 'TOC9', 'Bibliography', 'Caption', 'ListParagraph', 'Hyperlink', 'Strong']) expect(ids).not.toContain(unused)
    const referenced = new Set([...others.matchAll(/<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"/g)].map((match) => match[1]))
    // Every style left is used by a part, a default, or what another style left builds on (basedOn/link/next).
    const linked = new Set([...styles.matchAll(/<w:(?:basedOn|link|next) w:val="([^"]+)"\/>/g)].map((match) => match[1]))
    for (const id of ids) {
      const style = new RegExp(`<w:style [^>]*w:styleId="${id}"[^>]*>`).exec(styles)![0]
      expect(referenced.has(id) || style.includes('w:default="1"') || linked.has(id), id).toBe(true)
    }
    const normal = /<w:style [^>]*w:styleId="Normal"[^>]*>[\s\S]*?<\/w:style>/.exec(styles)![0]
    // Schema order: autoSpaceDE, autoSpaceDN before spacing and jc.
    expect(normal).toMatch(/<w:pPr><w:autoSpaceDE w:val="0"\/><w:autoSpaceDN w:val="0"\/><w:spacing [^>]*\/><w:jc w:val="both"\/><\/w:pPr>/)
  })
})

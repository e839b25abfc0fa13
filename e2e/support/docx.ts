import fs from 'node:fs/promises'
import type { Download } from '@playwright/test'
import JSZip from 'jszip'

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&apos;': "'" }
const unescape = (text: string) => text.replace(/&(lt|gt|amp|quot|apos);/g, (entity) => ENTITIES[entity])

export interface DocxParagraph {
  text: string
  /** Runs of the paragraph that are bold, their text. */
  bold: string[]
}

/** The body paragraphs of a downloaded .docx (word/document.xml), with their text and bold runs. */
export async function docxParagraphs(download: Download): Promise<DocxParagraph[]> {
  const zip = await JSZip.loadAsync(await fs.readFile(await download.path()))
  const xml = await zip.file('word/document.xml')!.async('string')
  const body = xml.slice(xml.indexOf('<w:body>'), xml.lastIndexOf('</w:body>'))
  return [...body.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map(([paragraph]) => {
    const runs = [...paragraph.matchAll(/<w:r[ >][\s\S]*?<\/w:r>/g)].map(([run]) => ({
      text: [...run.matchAll(/<w:t(?: [^>]*)?>([\s\S]*?)<\/w:t>/g)].map((match) => unescape(match[1])).join(''),
      bold: /<w:b\/>|<w:b w:val="(?:true|1)"\/>/.test(run),
    }))
    return { text: runs.map((run) => run.text).join(''), bold: runs.filter((run) => run.bold && run.text).map((run) => run.text) }
  })
}

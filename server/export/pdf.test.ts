import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Transform } from '@tiptap/pm/transform'
import { describe, expect, it } from 'vitest'
import type { CommentThread } from '../../shared/comments/threads'
import { sampleDoc, textPos } from '../../shared/editor/testing/reportFixtures'
import { convertToPdf, hasFont } from '../http/exportRouter'
import { exportDocx } from './exportDocx'
import { FONT } from './layout'
import { requireOfficeTools } from './testing'

/**
 * The PDF in the official look: LibreOffice with server/export/fontconfig/fonts.conf and the fonts that
 * scripts/ensure-office-fonts.mjs installs. These tests FAIL (they are not skipped) when soffice or
 * poppler-utils are missing, saying what to run.
 */
const thread: CommentThread = {
  id: 't1',
  authorId: 'word:王处长',
  authorName: '王处长',
  createdAt: '2024-03-06T02:00:00.000Z',
  quote: '局委会',
  resolved: false,
  resolvedBy: null,
  resolvedAt: null,
  messages: [
    { id: 'm1', authorId: 'word:王处长', authorName: '王处长', createdAt: '2024-03-06T02:00:00.000Z', text: '次数请再核实' },
    { id: 'm2', authorId: 'u-zhang', authorName: '张三', createdAt: '2024-03-06T03:00:00.000Z', text: '已核对' },
  ],
}

/** The sample report with one comment thread, as the PDF route builds it. */
async function samplePdf(): Promise<string> {
  const soffice = requireOfficeTools()
  const doc = sampleDoc()
  const from = textPos(doc, '局委会')
  const withMark = new Transform(doc).addMark(from, from + 3, doc.type.schema.marks.comment.create({ threadId: 't1' })).doc
  const docx = await exportDocx(withMark, { mode: 'as-is', threads: [thread], commentList: true, boldTitle: !hasFont(FONT.title) })
  const dir = mkdtempSync(path.join(os.tmpdir(), 'huigao-pdf-test-'))
  const file = path.join(dir, 'report.pdf')
  writeFileSync(file, await convertToPdf(soffice, docx))
  return file
}

describe('PDF export in the official look', () => {
  it(
    'embeds distinct faces for the body (仿宋), 一、 headings (黑体), （一） headings (楷体) and the title (bold Song), and lists the comments at the end',
    async () => {
      const file = await samplePdf()
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' })
        .split('\n')
        .slice(2)
        .filter((line) => line.trim() !== '')
        .map((line) => line.split(/\s+/)[0].replace(/^[A-Z]{6}\+/, ''))
      const bold = !hasFont(FONT.title)
      expect(fonts).toEqual(expect.arrayContaining(['FandolFang-Regular', 'FandolHei-Regular', 'FandolKai-Regular', bold ? 'FandolSong-Bold' : 'FandolSong-Regular']))
      // Every face is embedded.
      const table = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter((line) => line.trim() !== '')
      expect(table.every((line) => / yes +yes +yes /.test(line))).toBe(true)

      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
      const list = text.slice(text.lastIndexOf('批注'))
      expect(list).toContain('「局委会」')
      expect(list).toMatch(/王处长（2024-03-06）：\s*次数请再核实/)
      expect(list).toMatch(/张三（2024-03-06）：\s*已核对/)
      if (process.env.PDF_SCREENSHOT_DIR) execFileSync('pdftoppm', ['-r', '50', '-f', '1', '-l', '2', '-png', file, path.join(process.env.PDF_SCREENSHOT_DIR, 'pdf-page')])
    },
    120_000,
  )
})

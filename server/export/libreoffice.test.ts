import { describe, expect, it } from 'vitest'
import { analyzeReport } from '../../shared/editor/lib/analyzeReport'
import { modelToDocJSON } from '../../shared/editor/lib/plainText'
import { schema } from '../../shared/editor/schema'
import { importDocx } from '../../shared/report/importDocx'
import { WORD_REVIEWED, wordPackage } from '../../shared/word/testing'
import { convertWithSoffice, requireOfficeTools } from './testing'

/**
 * A Word-reviewed file that went through LibreOffice (opened and saved again as .docx, as someone
 * reviewing in LibreOffice or converting files would): LibreOffice rewrites every revision and comment
 * in its own way, and the import must still find them. Fails (not skipped) without soffice.
 */
describe('importDocx — a reviewed file saved again by LibreOffice', () => {
  it('still gives every revision with its author and date, and every comment thread on its words', async () => {
    const soffice = requireOfficeTools()
    const converted = await convertWithSoffice(soffice, await wordPackage(WORD_REVIEWED), 'docx', 'docx:MS Word 2007 XML')
    const { model, threads } = await importDocx(converted)
    const doc = schema.nodeFromJSON(modelToDocJSON(model))
    const analysis = analyzeReport(doc)
    const visible = (text: string) => text.replace(/\u200B/g, '')
    const suggestions = analysis.suggestions.map((s) => [s.type, s.authorName, s.createdAt, visible(s.inserted), visible(s.deleted)])
    // Text revisions survive exactly; LibreOffice may turn the moves into a plain deletion and insertion.
    expect(suggestions).toEqual(
      expect.arrayContaining([
        ['insertion', '李局长', '2024-03-06T16:05:00.000Z', '**', ''],
        ['deletion', '王处长', '2024-03-06T16:06:00.000Z', '', '认真'],
        ['deletion', '王处长', '2024-03-06T16:08:00.000Z', '', '移走的话。'],
        ['insertion', '王处长', '2024-03-06T16:08:00.000Z', '移走的话。', ''],
      ]),
    )
    const anchors = new Map(analysis.comments.map((anchor) => [anchor.threadId, visible(anchor.text)]))
    const first = threads.find((thread) => thread.authorName === '张三')
    expect(first && anchors.get(first.id)).toBe('局委会**')
    expect(first?.messages.map((m) => m.text)).toEqual(['次数请再核实'])
    const second = threads.find((thread) => thread.authorName === '王处长')
    expect(second?.messages[0].text).toBe('第一行\n第二行')
  }, 120_000)
})

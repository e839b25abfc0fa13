import type { Node as PMNode } from '@tiptap/pm/model'
import { Transform } from '@tiptap/pm/transform'
import { describe, expect, it } from 'vitest'
import { analyzeReport } from '../editor/lib/analyzeReport'
import { sampleDoc, textPos } from '../editor/testing/reportFixtures'
import { mergeRevisions } from './mergeRevisions'
import { readDocx } from './readDocx'
import { around, del, ins, p, reviewedSample, run, wordPackage } from './testing'

const LI = ['李局长', '2024-04-01T09:00:00Z'] as const
const WANG = ['王处长', '2024-04-02T10:00:00Z'] as const

const suggestionsOf = (doc: PMNode) =>
  analyzeReport(doc).suggestions.map(({ type, authorName, createdAt, inserted, deleted }) => ({ type, authorName, createdAt, inserted, deleted }))

describe('mergeRevisions — 合并 Word 修订 into the live report', () => {
  const edits = [
    // A replacement: 研究审议 → 认真研究审议 (insertion before).
    { line: '全年主持局委会', body: (line: string) => around(line, '研究审议**局发展纲要', ins(1, ...LI, run('认真')) + run('研究审议**局发展纲要')) },
    // A deletion in a heading line (the ordinal is text in Word, not in the report).
    { line: '强化政治引领，贯彻中央部署', body: (line: string) => around(line, '，贯彻中央部署', del(2, ...WANG, run('，贯彻中央部署', true))) },
    // A deletion in a paragraph the drafters have since rewritten: it no longer fits.
    { line: '北京冬奥会、冬残奥会期间', body: (line: string) => around(line, '积极为北京冬奥会保驾护航', del(3, ...WANG, run('积极为北京冬奥会保驾护航', true))) },
  ]

  it('applies each revision where its surrounding text still matches, with its Word author and date, and lists the one that no longer fits', async () => {
    const file = await reviewedSample(edits)
    // Meanwhile the drafters rewrote the end of (二).
    const base = sampleDoc()
    const from = textPos(base, '积极为北京冬奥会保驾护航')
    const live = new Transform(base).replaceWith(from, from + '积极为北京冬奥会保驾护航'.length, base.type.schema.text('全力保障北京冬奥会顺利举办')).doc

    const result = mergeRevisions(live, await readDocx(file))
    expect(result.applied).toBe(2)
    expect(suggestionsOf(result.doc)).toEqual([
      { type: 'deletion', authorName: '王处长', createdAt: '2024-04-02T10:00:00.000Z', inserted: '', deleted: '，贯彻中央部署' },
      { type: 'insertion', authorName: '李局长', createdAt: '2024-04-01T09:00:00.000Z', inserted: '认真', deleted: '' },
    ])
    expect(result.doc.textContent).toContain('局委会*次，认真研究审议**局发展纲要')
    expect(result.unmatched).toEqual([{ kind: 'deletion', author: '王处长', text: '积极为北京冬奥会保驾护航', context: '障赛事**通道安全稳定，' }])
    // Nothing else changed.
    expect(result.doc.textContent.replace('认真研究审议', '研究审议')).toBe(live.textContent)
  })

  it('anchors comments on their words and skips what the report already has when the same file is merged again', async () => {
    const comment = `<w:comment w:id="7" w:author="王处长" w:date="2024-04-02T11:00:00Z"><w:p w14:paraId="00000D01"><w:r><w:t>请核实次数</w:t></w:r></w:p></w:comment>`
    const withComment = [
      ...edits.slice(0, 2),
      { line: '组织6支应急分队', body: (line: string) => around(line, '确保会议期间', '<w:commentRangeStart w:id="7"/>' + run('确保会议期间') + '<w:commentRangeEnd w:id="7"/>') },
    ]
    const word = await readDocx(await reviewedSample(withComment, comment))
    const first = mergeRevisions(sampleDoc(), word)
    expect(first.applied).toBe(2)
    expect(first.threads.map((thread) => [thread.authorName, thread.quote, thread.messages.map((m) => m.text)])).toEqual([['王处长', '确保会议期间', ['请核实次数']]])
    const anchor = analyzeReport(first.doc).comments
    expect(anchor.map((a) => [a.threadId, a.text])).toEqual([[first.threads[0].id, '确保会议期间']])

    const again = mergeRevisions(first.doc, word, undefined, first.threads)
    expect(again.applied).toBe(0)
    expect(again.threads).toEqual([])
    expect(again.alreadyPresent).toBe(3)
    expect(again.doc.eq(first.doc)).toBe(true)
  })

  it('refuses to guess when the words around a revision occur more than once', async () => {
    // 局委会 occurs twice in the sample; an insertion right after the only distinctive context still lands once.
    const file = await wordPackage({ body: p(run('局委会') + ins(1, ...LI, run('（扩大）'))) })
    const result = mergeRevisions(sampleDoc(), await readDocx(file))
    expect(result.applied).toBe(0)
    expect(result.unmatched).toEqual([{ kind: 'insertion', author: '李局长', text: '（扩大）', context: '局委会' }])
  })
})

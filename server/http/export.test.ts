import { afterEach, describe, expect, it } from 'vitest'
import { readDocx, textOf } from '../export/testing'
import { SAMPLE_TITLE } from '../seed'
import { TestContext, api, appendParagraph, createDocument, share, type RunningServer, type Session } from '../testing/harness'
import { ERROR_CODES } from '../../shared/errorCodes'
import { contentDisposition, DOCX_TYPE, findSoffice, PDF_UNAVAILABLE } from './exportRouter'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

const TITLE = '关于2024年度工作的报告'
const TEXT = `${TITLE}\n一、总体情况\n全年完成各项任务。\n二、下步打算\n（一）加强学习。认真学习二十大精神。`

async function download(session: Session, route: string): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const response = await fetch(`${session.base}${route}`, { headers: { cookie: session.cookie } })
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) }
}

const json = (body: Buffer) => JSON.parse(body.toString('utf8')) as Record<string, any>

async function sampleId(running: RunningServer): Promise<string> {
  const [sample] = (await api(running, 'GET', '/api/documents')).body as Array<{ id: string; title: string }>
  expect(sample.title).toBe(SAMPLE_TITLE)
  return sample.id
}

describe('export.docx', () => {
  it('answers a .docx of the live content with the download headers (as-is by default), for any member', async () => {
    const running = await ctx.startServer()
    const viewer = await running.createUser('viewer', { displayName: '查看者' })
    const drafter = await running.createUser('drafter', { displayName: '起草人' })
    const doc = await createDocument(running, TITLE, TEXT)
    await share(running, doc.id, 'viewer', 'viewer')
    await share(running, doc.id, 'drafter', 'drafter')
    // An edit not yet folded into the stored state is in the export.
    const editor = await ctx.syncedProvider(drafter, doc.id)
    appendParagraph(editor.doc, '刚刚补充的一段。')

    const response = await download(viewer, `/api/documents/${doc.id}/export.docx`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe(DOCX_TYPE)
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="report.docx"; filename*=UTF-8''${encodeURIComponent(TITLE)}.docx`)
    expect(response.body.subarray(0, 2).toString('latin1')).toBe('PK')
    const parts = await readDocx(response.body)
    const text = textOf(parts.document)
    expect(text).toContain(TITLE)
    expect(text).toContain('一、总体情况')
    expect(text).toContain('（一）加强学习。认真学习二十大精神。')
    expect(text).toContain('刚刚补充的一段。')
    expect(parts.core).toContain(TITLE)

    const clean = await download(viewer, `/api/documents/${doc.id}/export.docx?mode=clean`)
    expect(clean.status).toBe(200)
    expect(clean.body.subarray(0, 2).toString('latin1')).toBe('PK')
    const asIs = await download(viewer, `/api/documents/${doc.id}/export.docx?mode=as-is`)
    expect(asIs.status).toBe(200)
  })

  it('refuses a clean copy with 409 and the unfilled placeholders', async () => {
    const running = await ctx.startServer({ seedSample: true })
    const id = await sampleId(running)
    const response = await download(running, `/api/documents/${id}/export.docx?mode=clean`)
    expect(response.status).toBe(409)
    expect(response.headers.get('content-type')).toMatch(/application\/json/)
    const body = json(response.body)
    expect(body.error).toMatch(/unfilled/)
    expect(body.code).toBe(ERROR_CODES.exportUnfilled)
    expect(body.unfilledPlaceholders).toHaveLength(20)
    expect(Object.keys(body.unfilledPlaceholders[0]).sort()).toEqual(['context', 'id', 'kind', 'sectionPath', 'text'])
    // As it stands (送审稿) it exports, masks highlighted.
    const asIs = await download(running, `/api/documents/${id}/export.docx`)
    expect(asIs.status).toBe(200)
    expect(asIs.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(SAMPLE_TITLE)}.docx`)
  })

  it('validates the mode, the id and access', async () => {
    const running = await ctx.startServer()
    const outsider = await running.createUser('outsider')
    const doc = await createDocument(running, TITLE, TEXT)
    for (const query of ['?mode=final', '?mode=', '?mode=CLEAN', '?mode=clean&mode=as-is']) {
      const response = await download(running, `/api/documents/${doc.id}/export.docx${query}`)
      expect(response.status, query).toBe(400)
      expect(json(response.body).error).toMatch(/mode/)
      expect((await download(running, `/api/documents/${doc.id}/export.pdf${query}`)).status, `pdf ${query}`).toBe(400)
    }
    expect((await download(running, '/api/documents/bad.id/export.docx')).status).toBe(400)
    expect((await download(running, '/api/documents/unknownDoc/export.docx')).status).toBe(404)
    expect((await download(outsider, `/api/documents/${doc.id}/export.docx`)).status).toBe(403)
    const anonymous = await fetch(`${running.base}/api/documents/${doc.id}/export.docx`)
    expect(anonymous.status).toBe(401)
  })

  it('encodes titles for filename* (RFC 5987)', () => {
    expect(contentDisposition('年度报告', 'docx')).toBe(`attachment; filename="report.docx"; filename*=UTF-8''%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.docx`)
    expect(contentDisposition("it's (draft) *1", 'pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''it%27s%20%28draft%29%20%2A1.pdf`)
  })
})

describe('export.pdf', () => {
  it(
    findSoffice() ? 'converts the .docx with LibreOffice' : 'answers 501 without LibreOffice',
    async () => {
      const running = await ctx.startServer()
      const doc = await createDocument(running, TITLE, TEXT)
      const response = await download(running, `/api/documents/${doc.id}/export.pdf`)
      if (findSoffice()) {
        expect(response.status).toBe(200)
        expect(response.headers.get('content-type')).toBe('application/pdf')
        expect(response.headers.get('content-disposition')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''${encodeURIComponent(TITLE)}.pdf`)
        expect(response.body.subarray(0, 5).toString('latin1')).toBe('%PDF-')
      } else {
        expect(response.status).toBe(501)
        expect(json(response.body)).toEqual({ error: PDF_UNAVAILABLE, code: ERROR_CODES.pdfUnavailable })
      }
    },
    120_000,
  )

  it('answers 501 when soffice is not on PATH', async () => {
    const saved = process.env.PATH
    process.env.PATH = '/nonexistent'
    try {
      const running = await ctx.startServer()
      const doc = await createDocument(running, TITLE, TEXT)
      const response = await download(running, `/api/documents/${doc.id}/export.pdf?mode=clean`)
      expect(response.status).toBe(501)
      expect(json(response.body)).toEqual({ error: PDF_UNAVAILABLE, code: ERROR_CODES.pdfUnavailable })
    } finally {
      process.env.PATH = saved
    }
  })

  it('refuses a clean PDF with unfilled placeholders (409) before converting anything', async () => {
    const running = await ctx.startServer({ seedSample: true })
    const id = await sampleId(running)
    const response = await download(running, `/api/documents/${id}/export.pdf?mode=clean`)
    if (!findSoffice()) return expect(response.status).toBe(501)
    expect(response.status).toBe(409)
    expect(json(response.body).unfilledPlaceholders).toHaveLength(20)
  })
})

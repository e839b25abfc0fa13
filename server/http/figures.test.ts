import ExcelJS from 'exceljs'
import { afterEach, describe, expect, it } from 'vitest'
import { TestContext, api, createDocument, docText, share, waitFor, type RunningServer, type Session } from '../testing/harness'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

const TEXT = `2022年度工作总结
一、主要工作
全年召开党组会议**次，研究重大事项***项，完成率**%。
二、存在问题
**局配合不够到位。`

interface Setup {
  running: RunningServer
  owner: Session
  drafter: Session
  reviewer: Session
  viewer: Session
  id: string
}

async function setup(): Promise<Setup> {
  const running = await ctx.startServer({ seedSample: false })
  const { id } = await createDocument(running, '2022年度工作总结', TEXT)
  const drafter = await running.createUser('drafter', { displayName: '起草人甲' })
  const reviewer = await running.createUser('reviewer', { displayName: '王局长' })
  const viewer = await running.createUser('viewer', { displayName: '查看者' })
  for (const person of ['drafter', 'reviewer', 'viewer']) await share(running, id, person, person)
  return { running, owner: running, drafter, reviewer, viewer, id }
}

const figures = async (session: Session, id: string) => (await api(session, 'GET', `/api/documents/${id}/figures`)).body
const patch = (session: Session, id: string, changes: unknown[]) => api(session, 'PATCH', `/api/documents/${id}/figures`, { json: { changes } })

async function binary(session: Session, method: string, route: string, body?: Buffer) {
  const response = await fetch(`${session.base}${route}`, { method, headers: { cookie: session.cookie!, ...(body ? { 'content-type': 'application/octet-stream' } : {}) }, body: body ? new Uint8Array(body) : undefined })
  const type = response.headers.get('content-type') ?? ''
  return { status: response.status, type, disposition: response.headers.get('content-disposition'), body: type.includes('json') ? await response.json() : Buffer.from(await response.arrayBuffer()) }
}

/** Fills the exported sheet the way a department would, through exceljs: values by row order. */
async function fillSheet(xlsx: Buffer, values: Record<string, string | number>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(xlsx as unknown as ArrayBuffer)
  for (const sheet of workbook.worksheets)
    sheet.eachRow((row, number) => {
      const value = values[String(row.getCell(1).value)]
      if (number > 1 && value !== undefined) {
        row.getCell(6).value = value
        row.getCell(7).value = '办公室台账'
      }
    })
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

describe('GET/PATCH /figures', () => {
  it('lists every figure with kind, unit, section path, status and counts, for any member', async () => {
    const { viewer, id } = await setup()
    const body = await figures(viewer, id)
    expect(body.counts).toEqual({ unfilled: 4, unverified: 0, verified: 0 })
    expect(body.figures.map((f: any) => [f.text, f.kind, f.unit, f.sectionPath])).toEqual([
      ['**', 'count', '次', '一'],
      ['***', 'count', '项', '一'],
      ['**', 'percent', '%', '一'],
      ['**', 'org', '局', '二'],
    ])
  })

  it('enforces the roles: 查看者 nothing, 审阅人 only suggests (and verifies), drafters fill but do not verify', async () => {
    const { owner, drafter, reviewer, viewer, id } = await setup()
    const [first, second] = (await figures(owner, id)).figures
    for (const change of [{ id: first.id, value: '12' }, { id: first.id, verified: true }, { id: first.id, source: '台账' }]) {
      const response = await patch(viewer, id, [change])
      expect(response.status).toBe(403)
      expect(response.body.code).toBe('figure-viewer')
    }
    expect((await patch(reviewer, id, [{ id: first.id, source: '台账' }])).body.code).toBe('figure-reviewer-source')
    const suggested = await patch(reviewer, id, [{ id: first.id, value: '12' }])
    expect(suggested.status).toBe(200)
    expect(suggested.body.applied).toEqual([{ id: first.id, value: '12', suggested: true }])
    // A suggested fill leaves the figure unfilled; it is a pending suggestion by 王局长.
    expect((await figures(owner, id)).figures[0]).toMatchObject({ status: 'unfilled' })
    const review = (await api(owner, 'GET', `/api/documents/${id}/review`)).body
    expect(review.pendingSuggestions).toMatchObject([{ authorName: '王局长', inserted: '12', deleted: '**' }])

    expect((await patch(drafter, id, [{ id: second.id, value: '36', expected: '***', source: '督查室台账' }])).status).toBe(200)
    const denied = await patch(drafter, id, [{ id: second.id, verified: true }])
    expect([denied.status, denied.body.code]).toEqual([403, 'figure-verify-role'])
    expect((await patch(reviewer, id, [{ id: second.id, verified: true }])).status).toBe(200)
    const after = (await figures(owner, id)).figures[1]
    expect(after).toMatchObject({ text: '36', status: 'verified' })
    expect(after.provenance).toMatchObject({ source: '督查室台账', filledBy: '起草人甲', filledVia: 'api', verifiedBy: '王局长', verifiedValue: '36' })
  })

  it('two people filling the same figure at once: one value wins, the other is told what is there now', async () => {
    const { owner, drafter, id } = await setup()
    const [first] = (await figures(owner, id)).figures
    const [a, b] = await Promise.all([
      patch(owner, id, [{ id: first.id, value: '12', expected: '**' }]),
      patch(drafter, id, [{ id: first.id, value: '15', expected: '**' }]),
    ])
    const statuses = [a.status, b.status].sort()
    expect(statuses).toEqual([200, 409])
    const loser = a.status === 409 ? a : b
    const winner = a.status === 409 ? '15' : '12'
    expect(loser.body).toMatchObject({ code: 'figure-conflict', current: winner })
    expect((await figures(owner, id)).figures[0].text).toBe(winner)
  })

  it('refuses a value that does not fit the kind, applying nothing of the request', async () => {
    const { owner, id } = await setup()
    const [count, , percent] = (await figures(owner, id)).figures
    const response = await patch(owner, id, [{ id: count.id, value: '12' }, { id: percent.id, value: '130' }])
    expect(response.status).toBe(422)
    expect(response.body).toMatchObject({ code: 'figure-bad-value', problem: 'over-100', id: percent.id })
    expect((await figures(owner, id)).counts.unfilled).toBe(4)
    expect((await patch(owner, id, [{ id: count.id, value: '十余' }])).body.problem).toBe('not-number')
    // Filled anyway when asked to (`十余次` is a real figure): flagged, not refused.
    const forced = await patch(owner, id, [{ id: count.id, value: '十余', force: true }])
    expect(forced.body.applied).toEqual([{ id: count.id, value: '十余', problem: 'not-number' }])
    expect((await figures(owner, id)).figures[0]).toMatchObject({ text: '十余', status: 'unverified', problem: 'not-number' })
    expect((await patch(owner, id, [{ id: 'nope', value: '1' }])).status).toBe(404)
    expect((await patch(owner, id, [{ id: count.id }])).status).toBe(400)
    expect((await api(owner, 'PATCH', `/api/documents/${id}/figures`, { json: { changes: 'x' } })).status).toBe(400)
    expect((await patch(owner, id, [{ id: count.id, value: '1', force: 'yes' }])).status).toBe(400)
  })
})

describe('统计数据征集表 through the API', () => {
  it('exports, imports as one change, refuses the second importer’s conflicting rows, and undoes', async () => {
    const { owner, drafter, viewer, id, running } = await setup()
    const exported = await binary(drafter, 'GET', `/api/documents/${id}/figures.xlsx`)
    expect(exported.status).toBe(200)
    expect(exported.type).toContain('spreadsheetml')
    expect(exported.disposition).toContain('.xlsx')
    const ids = (await figures(owner, id)).figures.map((f: any) => f.id)
    const first = await fillSheet(exported.body as Buffer, { [ids[0]]: 12, [ids[1]]: 36, [ids[3]]: '财政' })
    const second = await fillSheet(exported.body as Buffer, { [ids[0]]: 13, [ids[2]]: 95 })
    // Someone has the report open: the import reaches them live.
    const open = await ctx.syncedProvider(running, id)
    const [one, two] = await Promise.all([binary(drafter, 'POST', `/api/documents/${id}/figures/import`, first), binary(owner, 'POST', `/api/documents/${id}/figures/import`, second)])
    expect([one.status, two.status]).toEqual([200, 200])
    const results = [one.body, two.body] as any[]
    // Whichever ran second was told that 召开党组会议 was already filled differently.
    const loser = results.find((result) => result.rejected.length > 0)
    expect(loser.rejected).toMatchObject([{ id: ids[0], reason: 'filled-differently' }])
    const body = await figures(owner, id)
    expect(body.counts).toEqual({ unfilled: 0, unverified: 4, verified: 0 })
    await waitFor(() => docText(open.doc).includes('研究重大事项36项'), 10_000, 'the import to reach the open editor')
    expect(body.figures[1].provenance).toMatchObject({ source: '办公室台账', filledVia: 'sheet' })

    expect((await binary(viewer, 'POST', `/api/documents/${id}/figures/import`, first)).status).toBe(403)
    const winner = results.find((result) => result !== loser)
    const undo = await api(drafter, 'POST', `/api/documents/${id}/figures/imports/${winner.importId}/undo`)
    expect(undo.status).toBe(200)
    expect((await figures(owner, id)).counts.unfilled).toBe(winner.applied.length)
  })

  it('answers a file that is not a 征集表 with a clear error and stays up', async () => {
    const { owner, id } = await setup()
    const response = await binary(owner, 'POST', `/api/documents/${id}/figures/import`, Buffer.from('PK\u0003\u0004 broken'))
    expect(response.status).toBe(400)
    expect((response.body as any).code).toBe('sheet-unreadable')
    expect((await api(owner, 'GET', `/api/documents/${id}/figures`)).status).toBe(200)
  })
})

describe('verification in the submission check', () => {
  it('lists unverified figures as a warning, blocking once the owner asks for it', async () => {
    const { owner, drafter, reviewer, id } = await setup()
    const ids = (await figures(owner, id)).figures.map((f: any) => f.id)
    await patch(drafter, id, ids.map((figureId: string, index: number) => ({ id: figureId, value: index === 3 ? '财政' : '12' })))
    let check = (await api(owner, 'GET', `/api/documents/${id}/check`)).body
    expect(check).toMatchObject({ ok: true, unverifiedBlocking: false })
    expect(check.unverifiedFigures).toHaveLength(4)
    expect((await api(drafter, 'PUT', `/api/documents/${id}/figures/settings`, { json: { requireVerifiedFigures: true } })).status).toBe(403)
    expect((await api(owner, 'PUT', `/api/documents/${id}/figures/settings`, { json: { requireVerifiedFigures: true } })).status).toBe(200)
    check = (await api(owner, 'GET', `/api/documents/${id}/check`)).body
    expect(check).toMatchObject({ ok: false, unverifiedBlocking: true })
    await patch(reviewer, id, ids.map((figureId: string) => ({ id: figureId, verified: true })))
    check = (await api(owner, 'GET', `/api/documents/${id}/check`)).body
    expect(check).toMatchObject({ ok: true, unverifiedFigures: [] })
  })
})

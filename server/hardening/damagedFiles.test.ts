import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ERROR_CODES } from '../../shared/errorCodes'
import { CloseCode } from '../../shared/closeCodes'
import { createHuigaoServer } from '../app'
import { UpdateLog } from '../storage/UpdateLog'
import { TestContext, api, appendParagraph, createDocument, docText, logFilePath, readStateFile, stateFilePath, type RunningServer } from '../testing/harness'

const ctx = new TestContext()
afterEach(async () => {
  vi.restoreAllMocks()
  await ctx.cleanup()
})

const PARAGRAPHS = ['第一段日志', '第二段日志', '第三段日志', '第四段日志']

/** Every file under `dir` with its bytes. */
async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    files.set(path.relative(dir, file), await fs.readFile(file))
  }
  return files
}

function expectSameFiles(after: Map<string, Buffer>, before: Map<string, Buffer>, only: (name: string) => boolean): void {
  const pick = (files: Map<string, Buffer>) => [...files].filter(([name]) => only(name)).sort(([a], [b]) => a.localeCompare(b))
  expect(pick(after).map(([name, bytes]) => [name, bytes.toString('hex')])).toEqual(pick(before).map(([name, bytes]) => [name, bytes.toString('hex')]))
}

interface Stored {
  dataDir: string
  target: string
  control: string
  /** The payload sizes of the log's frames, in order. */
  frameLengths: number[]
}

/**
 * A data directory with two documents: the target has a state file ('损坏测试' + '正文') and a log of
 * four frames (one paragraph each) on top; the control has only a state file.
 */
async function storeDocuments(): Promise<Stored> {
  const first = await ctx.startServer()
  const dataDir = first.config.dataDir
  const target = (await createDocument(first, '损坏测试', '损坏测试\n正文')).id
  const control = (await createDocument(first, '对照文档', '对照文档\n对照正文')).id
  await first.close()
  const doc = await readStateFile(dataDir, target)
  const log = new UpdateLog(logFilePath(dataDir, target), { flushIntervalMs: 10_000 })
  const frameLengths: number[] = []
  doc.on('update', (update: Uint8Array) => {
    log.append(update)
    frameLengths.push(update.length)
  })
  for (const text of PARAGRAPHS) appendParagraph(doc, text)
  await log.close()
  return { dataDir, target, control, frameLengths }
}

const frameStart = (lengths: number[], index: number) => lengths.slice(0, index).reduce((sum, length) => sum + 8 + length, 0)

async function editFile(file: string, edit: (data: Buffer) => Buffer | void): Promise<void> {
  const data = await fs.readFile(file)
  await fs.writeFile(file, edit(data) ?? data)
}

interface DamageCase {
  name: string
  damage(stored: Stored): Promise<void>
}

const refused: DamageCase[] = [
  {
    name: 'a log frame in the middle with length 0x7fffffff',
    damage: ({ dataDir, target, frameLengths }) => editFile(logFilePath(dataDir, target), (data) => void data.writeUInt32LE(0x7fffffff, frameStart(frameLengths, 1))),
  },
  {
    name: 'a log frame in the middle whose length runs past the end (whole frames follow)',
    damage: ({ dataDir, target, frameLengths }) =>
      editFile(logFilePath(dataDir, target), (data) => void data.writeUInt32LE(data.length, frameStart(frameLengths, 1))),
  },
  {
    name: 'one flipped byte in the last log frame (complete, bad checksum)',
    damage: ({ dataDir, target }) => editFile(logFilePath(dataDir, target), (data) => void (data[data.length - 2] ^= 0x01)),
  },
  {
    name: 'one flipped byte in a log frame in the middle',
    damage: ({ dataDir, target, frameLengths }) => editFile(logFilePath(dataDir, target), (data) => void (data[frameStart(frameLengths, 2) + 9] ^= 0x01)),
  },
  {
    name: 'the state file deleted, the log kept',
    damage: ({ dataDir, target }) => fs.rm(stateFilePath(dataDir, target)),
  },
  {
    name: 'the state file and the log deleted (the catalog still lists the document)',
    damage: async ({ dataDir, target }) => {
      await fs.rm(stateFilePath(dataDir, target))
      await fs.rm(logFilePath(dataDir, target))
    },
  },
  {
    name: 'one flipped byte in the state file',
    damage: ({ dataDir, target }) => editFile(stateFilePath(dataDir, target), (data) => void (data[data.length - 3] ^= 0x40)),
  },
  {
    name: 'the state file cut short',
    damage: ({ dataDir, target }) => editFile(stateFilePath(dataDir, target), (data) => data.subarray(0, data.length - 5)),
  },
]

async function expectRefused(running: RunningServer, id: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const raw = ctx.rawFor(running, id)
    expect((await raw.closed).code).toBe(CloseCode.DocumentUnavailable)
    // Not one byte of a partial (or empty) document was sent.
    expect(raw.messages).toEqual([])
  }
  // The API refuses it too, with an explanation and no stack trace.
  for (const route of [`/api/documents/${id}/outline`, `/api/documents/${id}/placeholders`, `/api/documents/${id}/export.docx`]) {
    const answer = await api(running, 'GET', route)
    expect(answer.status, route).toBe(503)
    expect(answer.body, route).toEqual({ error: expect.stringMatching(/cannot be read .*kept as it is/), code: ERROR_CODES.damagedFile })
    expect(answer.body.error).not.toContain(running.config.dataDir)
  }
}

describe('damaged document files are refused, never served partial or empty (finding 5)', () => {
  for (const damageCase of refused) {
    it(`refuses the document: ${damageCase.name}; every file is kept byte for byte, also after a stop`, async () => {
      const stored = await storeDocuments()
      await damageCase.damage(stored)
      const before = await snapshot(stored.dataDir)
      const errors: string[] = []
      vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(' ')))

      const running = await ctx.startServer({}, stored.dataDir)
      await expectRefused(running, stored.target)
      // Loudly: the log names the damaged file.
      expect(errors.join('\n')).toMatch(new RegExp(`${stored.target}\\.(state|log)`))
      expect(errors.join('\n')).not.toMatch(/\n\s+at /)
      // The other document is served as usual.
      const control = await ctx.syncedYClient(running, stored.control)
      expect(docText(control.doc)).toBe('对照文档对照正文')

      await running.close()
      expectSameFiles(await snapshot(stored.dataDir), before, (name) => name.includes(stored.target))
      // And a second start refuses it again: nothing was folded, replaced or cut at the stop.
      const again = await ctx.startServer({}, stored.dataDir)
      await expectRefused(again, stored.target)
    })
  }

  it('recovers a torn tail (the last frame cut short by a crash): every whole frame is served, the cut bytes kept aside', async () => {
    const stored = await storeDocuments()
    const log = logFilePath(stored.dataDir, stored.target)
    const full = await fs.readFile(log)
    const cutAt = frameStart(stored.frameLengths, 3) + 8 + 2
    await fs.writeFile(log, full.subarray(0, cutAt))

    const running = await ctx.startServer({}, stored.dataDir)
    const client = await ctx.syncedYClient(running, stored.target)
    expect(docText(client.doc)).toBe(`损坏测试正文${PARAGRAPHS.slice(0, 3).join('')}`)
    const aside = (await fs.readdir(path.dirname(log))).filter((name) => name.startsWith(`${stored.target}.log.torn-`))
    expect(aside).toHaveLength(1)
    expect(await fs.readFile(path.join(path.dirname(log), aside[0]))).toEqual(full.subarray(frameStart(stored.frameLengths, 3), cutAt))
  })

  it('recovers a log that ends in a partial frame header', async () => {
    const stored = await storeDocuments()
    const log = logFilePath(stored.dataDir, stored.target)
    await fs.appendFile(log, Buffer.from([0x10, 0x00, 0x00]))
    const running = await ctx.startServer({}, stored.dataDir)
    const client = await ctx.syncedYClient(running, stored.target)
    expect(docText(client.doc)).toBe(`损坏测试正文${PARAGRAPHS.join('')}`)
  })
})

describe('a missing catalog.json with documents present (finding 5)', () => {
  it('refuses to start, naming the file and the way to recover, and writes nothing', async () => {
    const stored = await storeDocuments()
    await fs.rm(path.join(stored.dataDir, 'catalog.json'))
    const before = await snapshot(stored.dataDir)
    const error = await createHuigaoServer(ctx.config(stored.dataDir, { seedSample: true })).then(
      () => null,
      (e: unknown) => e as Error,
    )
    expect(error?.message).toContain(path.join(stored.dataDir, 'catalog.json'))
    expect(error?.message).toContain('RECOVER_CATALOG=1')
    expect(error?.message).toContain('2 document(s)')
    expectSameFiles(await snapshot(stored.dataDir), before, () => true)
    expect(existsSync(path.join(stored.dataDir, 'catalog.json'))).toBe(false)
  })

  it('with RECOVER_CATALOG=1 lists every stored document again, owned by the administrator, with its content', async () => {
    const stored = await storeDocuments()
    await fs.rm(path.join(stored.dataDir, 'catalog.json'))
    const running = await ctx.startServer({ recoverCatalog: true, seedSample: true }, stored.dataDir)
    const list = (await api(running, 'GET', '/api/documents')).body as Array<{ id: string; title: string; ownerId: string }>
    // No sample report was seeded over them: this is not a new installation.
    expect(list.map((doc) => doc.id).sort()).toEqual([stored.target, stored.control].sort())
    for (const doc of list) {
      expect(doc.ownerId).toBe(running.user.id)
      expect(doc.title).toBe(`恢复的文档 ${doc.id}`)
    }
    const client = await ctx.syncedYClient(running, stored.target)
    expect(docText(client.doc)).toBe(`损坏测试正文${PARAGRAPHS.join('')}`)
    await running.close()
    // The recovered catalog is a normal one from now on.
    const again = await ctx.startServer({}, stored.dataDir)
    expect((await api(again, 'GET', '/api/documents')).body).toHaveLength(2)
  })
})

describe('a corrupt versions.json (finding 5)', () => {
  it('answers a clear error (503, the file named, no stack trace) and keeps the file as it is', async () => {
    const running = await ctx.startServer()
    const doc = await createDocument(running, '版本损坏', '版本损坏\n正文')
    expect((await api(running, 'POST', `/api/documents/${doc.id}/versions`, { json: { name: '第一版' } })).status).toBe(201)
    const file = path.join(running.config.dataDir, 'documents', `${doc.id}.versions.json`)
    await running.close()
    await editFile(file, (data) => data.subarray(0, data.length - 20))
    const before = await fs.readFile(file)

    const errors: string[] = []
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.map((arg) => (arg instanceof Error ? String(arg.stack) : String(arg))).join(' ')))
    const again = await ctx.startServer({}, running.config.dataDir)
    for (const [method, route, json] of [
      ['GET', `/api/documents/${doc.id}/versions`, undefined],
      ['POST', `/api/documents/${doc.id}/versions`, { name: '第二版' }],
    ] as Array<[string, string, unknown]>) {
      const answer = await api(again, method, route, { json })
      expect(answer.status, `${method} ${route}`).toBe(503)
      expect(answer.body).toEqual({ error: expect.stringContaining(`${doc.id}.versions.json`), code: ERROR_CODES.damagedFile })
    }
    expect(errors.join('\n')).toContain(`${doc.id}.versions.json`)
    expect(errors.join('\n')).not.toMatch(/\n\s+at /)
    // The document itself is fine.
    const client = await ctx.syncedYClient(again, doc.id)
    expect(docText(client.doc)).toBe('版本损坏正文')
    await again.close()
    expect(await fs.readFile(file)).toEqual(before)
  })
})


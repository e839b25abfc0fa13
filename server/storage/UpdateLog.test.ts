import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { TestContext, sleep, waitFor } from '../testing/harness'
import { CorruptFileError } from './errors'
import { UpdateLog } from './UpdateLog'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

const bytes = (...values: number[]) => new Uint8Array(values)
/** Distinct, recognisable payloads of varying length. */
const payload = (i: number) => new Uint8Array(Buffer.from(`update-${i}-${'x'.repeat(i % 7)}`))
const frameBytes = (update: Uint8Array) => 8 + update.length

async function freshLog(options: { flushIntervalMs?: number; onError?: (error: unknown) => void } = {}) {
  const dir = await ctx.tempDir('huigao-log-')
  const file = path.join(dir, 'doc.log')
  const open = () => new UpdateLog(file, { flushIntervalMs: options.flushIntervalMs ?? 10_000, onError: options.onError })
  return { dir, file, open }
}

/** Replays the file with a brand-new instance, as a restarted server would. */
async function replayFresh(file: string) {
  return new UpdateLog(file, { flushIntervalMs: 10_000 }).replay()
}

async function tornFiles(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((name) => name.startsWith('doc.log.torn-'))
}

describe('UpdateLog', () => {
  it('replays a missing log as empty', async () => {
    const { file, open } = await freshLog()
    expect(await open().replay()).toEqual({ updates: [], tornBytes: 0 })
    expect(existsSync(file)).toBe(false)
  })

  it('appends, flushes and replays the same updates in order', async () => {
    const { file, open } = await freshLog()
    const log = open()
    await log.replay()
    const updates = [payload(1), payload(2), bytes(0), payload(3), new Uint8Array(5000).fill(7)]
    for (const update of updates) log.append(update)
    expect(log.size).toBe(updates.reduce((sum, u) => sum + frameBytes(u), 0))
    await log.flush()
    await log.close()

    const stat = await fs.stat(file)
    expect(stat.size).toBe(updates.reduce((sum, u) => sum + frameBytes(u), 0))
    const replayed = await replayFresh(file)
    expect(replayed.tornBytes).toBe(0)
    expect(replayed.updates.map((u) => Buffer.from(u).toString('hex'))).toEqual(updates.map((u) => Buffer.from(u).toString('hex')))
  })

  it('writes the documented frame layout (length, crc32, payload; little-endian)', async () => {
    const { file, open } = await freshLog()
    const log = open()
    await log.replay()
    const update = payload(42)
    log.append(update)
    await log.close()
    const data = await fs.readFile(file)
    expect(data.readUInt32LE(0)).toBe(update.length)
    expect(data.readUInt32LE(4)).toBe(crc32(update))
    expect(new Uint8Array(data.subarray(8))).toEqual(update)
  })

  it('group-commits: appends are buffered, then all land on disk in one flush', async () => {
    const { file, open } = await freshLog()
    const log = open()
    await log.replay()
    const updates = Array.from({ length: 500 }, (_, i) => payload(i))
    for (const update of updates) log.append(update)
    // Nothing is written synchronously by append.
    expect(existsSync(file)).toBe(false)
    await log.flush()
    const replayed = await replayFresh(file)
    expect(replayed.updates).toHaveLength(500)
    expect(replayed.updates.map((u) => Buffer.from(u).toString())).toEqual(updates.map((u) => Buffer.from(u).toString()))
    await log.close()
  })

  it('flushes on its own within the flush interval (no explicit flush)', async () => {
    const { file, open } = await freshLog({ flushIntervalMs: 30 })
    const log = open()
    await log.replay()
    for (let i = 0; i < 20; i++) log.append(payload(i))
    await waitFor(async () => (await replayFresh(file)).updates.length === 20, 5000, 'the timer-driven flush')
    // Interleaved appends and timer flushes keep the order.
    for (let i = 20; i < 40; i++) {
      log.append(payload(i))
      if (i % 5 === 0) await sleep(40)
    }
    await waitFor(async () => (await replayFresh(file)).updates.length === 40, 5000, 'the second batch')
    const replayed = await replayFresh(file)
    expect(replayed.updates.map((u) => Buffer.from(u).toString())).toEqual(
      Array.from({ length: 40 }, (_, i) => Buffer.from(payload(i)).toString()),
    )
    await log.close()
  })

  it('close() writes whatever is still queued', async () => {
    const { file, open } = await freshLog()
    const log = open()
    await log.replay()
    log.append(payload(1))
    log.append(payload(2))
    await log.close()
    expect((await replayFresh(file)).updates).toHaveLength(2)
  })

  it('keeps frames queued when a write fails and writes them, in order, on the next flush', async () => {
    const dir = await ctx.tempDir('huigao-log-')
    const missingDir = path.join(dir, 'not-yet')
    const file = path.join(missingDir, 'doc.log')
    const errors: unknown[] = []
    const log = new UpdateLog(file, { flushIntervalMs: 20, onError: (error) => errors.push(error) })
    await log.replay()
    log.append(payload(1))
    log.append(payload(2))
    await expect(log.flush()).rejects.toThrow()
    log.append(payload(3))
    // The background flush fails too and reports it.
    await waitFor(() => errors.length > 0, 5000, 'onError from the timer flush')
    await fs.mkdir(missingDir)
    log.append(payload(4))
    await log.flush()
    const replayed = await replayFresh(file)
    expect(replayed.updates.map((u) => Buffer.from(u).toString())).toEqual([1, 2, 3, 4].map((i) => Buffer.from(payload(i)).toString()))
    await log.close()
  })

  describe('torn tail (crash mid-write)', () => {
    async function logWithFrames(count: number) {
      const setup = await freshLog()
      const log = setup.open()
      await log.replay()
      const updates = Array.from({ length: count }, (_, i) => payload(i))
      for (const update of updates) log.append(update)
      await log.close()
      const goodLength = (await fs.stat(setup.file)).size
      return { ...setup, updates, goodLength }
    }

    async function expectRecovered(
      setup: Awaited<ReturnType<typeof logWithFrames>>,
      keptFrames: number,
      expectedTornBytes: Buffer,
    ) {
      const { dir, file, open, updates } = setup
      const log = open()
      const result = await log.replay()
      expect(result.tornBytes).toBe(expectedTornBytes.length)
      expect(result.updates.map((u) => Buffer.from(u).toString())).toEqual(updates.slice(0, keptFrames).map((u) => Buffer.from(u).toString()))
      // The log is cut back to the last good frame…
      const keptLength = updates.slice(0, keptFrames).reduce((sum, u) => sum + frameBytes(u), 0)
      expect((await fs.stat(file)).size).toBe(keptLength)
      // …and the discarded bytes are kept beside it for inspection.
      const torn = await tornFiles(dir)
      expect(torn).toHaveLength(1)
      expect(await fs.readFile(path.join(dir, torn[0]))).toEqual(expectedTornBytes)

      // Appending afterwards continues cleanly after the last good frame.
      const more = [payload(100), payload(101)]
      for (const update of more) log.append(update)
      await log.close()
      const again = await replayFresh(file)
      expect(again.tornBytes).toBe(0)
      expect(again.updates.map((u) => Buffer.from(u).toString())).toEqual(
        [...updates.slice(0, keptFrames), ...more].map((u) => Buffer.from(u).toString()),
      )
      expect(await tornFiles(dir)).toHaveLength(1)
    }

    it('discards a frame whose payload was cut short', async () => {
      const setup = await logWithFrames(4)
      const full = await fs.readFile(setup.file)
      const lastFrameStart = setup.goodLength - frameBytes(setup.updates[3])
      const cutAt = lastFrameStart + 8 + 3
      await fs.truncate(setup.file, cutAt)
      await expectRecovered(setup, 3, full.subarray(lastFrameStart, cutAt))
    })

    it('discards a frame whose header was cut short', async () => {
      const setup = await logWithFrames(3)
      const full = await fs.readFile(setup.file)
      const lastFrameStart = setup.goodLength - frameBytes(setup.updates[2])
      await fs.truncate(setup.file, lastFrameStart + 5)
      await expectRecovered(setup, 2, full.subarray(lastFrameStart, lastFrameStart + 5))
    })

    it('discards trailing garbage shorter than a frame header', async () => {
      const setup = await logWithFrames(3)
      const garbage = Buffer.from([0xde, 0xad, 0xbe])
      await fs.appendFile(setup.file, garbage)
      await expectRecovered(setup, 3, garbage)
    })

    it('discards a partial frame appended after the good ones', async () => {
      const setup = await logWithFrames(2)
      const header = Buffer.alloc(8)
      header.writeUInt32LE(100, 0)
      header.writeUInt32LE(12345, 4)
      const partial = Buffer.concat([header, Buffer.from('only ten b')])
      await fs.appendFile(setup.file, partial)
      await expectRecovered(setup, 2, partial)
    })

    it('refuses a complete last frame whose checksum does not match: a crash shortens a write, it does not change its bytes', async () => {
      const setup = await logWithFrames(3)
      const data = await fs.readFile(setup.file)
      data[data.length - 1] ^= 0xff
      await fs.writeFile(setup.file, data)
      expect(await setup.open().replay().catch((error: unknown) => error)).toBeInstanceOf(CorruptFileError)
      expect(await fs.readFile(setup.file)).toEqual(data)
      expect(await tornFiles(setup.dir)).toHaveLength(0)
    })

    it('refuses a frame whose length runs past the end when whole frames follow it (a damaged header, not a torn tail)', async () => {
      const setup = await logWithFrames(4)
      const data = await fs.readFile(setup.file)
      for (const length of [0x7fffffff, data.length]) {
        data.writeUInt32LE(length, frameBytes(setup.updates[0]))
        await fs.writeFile(setup.file, data)
        expect(await setup.open().replay().catch((error: unknown) => error), `length ${length}`).toBeInstanceOf(CorruptFileError)
        expect(await fs.readFile(setup.file)).toEqual(data)
      }
      expect(await tornFiles(setup.dir)).toHaveLength(0)
    })
  })

  it('throws CorruptFileError for a damaged frame in the middle, and leaves the file alone', async () => {
    const { dir, file, open } = await freshLog()
    const log = open()
    await log.replay()
    const updates = [payload(1), payload(2), payload(3)]
    for (const update of updates) log.append(update)
    await log.close()
    const data = await fs.readFile(file)
    // Flip one payload byte of the second frame.
    data[frameBytes(updates[0]) + 8 + 2] ^= 0x01
    await fs.writeFile(file, data)

    const error = await open()
      .replay()
      .then(
        () => null,
        (e: unknown) => e,
      )
    expect(error).toBeInstanceOf(CorruptFileError)
    expect((error as CorruptFileError).file).toBe(file)
    expect((error as Error).message).toContain(file)
    expect((error as Error).message).toMatch(/checksum/)
    expect(await fs.readFile(file)).toEqual(data)
    expect(await tornFiles(dir)).toHaveLength(0)
  })

  it('flushedLength() makes everything appended durable and returns a frame boundary', async () => {
    const { file, open } = await freshLog()
    const log = open()
    await log.replay()
    const updates = [payload(1), payload(2), payload(3)]
    for (const update of updates) log.append(update)
    const length = await log.flushedLength()
    expect(length).toBe(updates.reduce((sum, u) => sum + frameBytes(u), 0))
    expect((await fs.stat(file)).size).toBe(length)
    await log.close()
  })

  it('dropPrefix() to the end empties the log', async () => {
    const { file, open } = await freshLog()
    const log = open()
    await log.replay()
    log.append(payload(1))
    log.append(payload(2))
    const length = await log.flushedLength()
    await log.dropPrefix(length)
    expect((await fs.stat(file)).size).toBe(0)
    expect(log.size).toBe(0)
    // Appending afterwards starts again at byte 0.
    log.append(payload(3))
    await log.close()
    expect((await replayFresh(file)).updates.map((u) => Buffer.from(u).toString())).toEqual([Buffer.from(payload(3)).toString()])
  })

  it('dropPrefix() keeps frames written and queued after the prefix, in order', async () => {
    const { dir, file, open } = await freshLog()
    const log = open()
    await log.replay()
    const before = [payload(1), payload(2), payload(3)]
    for (const update of before) log.append(update)
    const length = await log.flushedLength()
    // A compaction is "running": more updates arrive, some flushed, some still queued.
    const after = [payload(10), payload(11), payload(12)]
    log.append(after[0])
    log.append(after[1])
    await log.flush()
    log.append(after[2])
    await log.dropPrefix(length)
    expect(log.size).toBe(after.reduce((sum, u) => sum + frameBytes(u), 0))
    expect((await replayFresh(file)).updates.map((u) => Buffer.from(u).toString())).toEqual(after.slice(0, 2).map((u) => Buffer.from(u).toString()))
    await log.flush()
    const replayed = await replayFresh(file)
    expect(replayed.tornBytes).toBe(0)
    expect(replayed.updates.map((u) => Buffer.from(u).toString())).toEqual(after.map((u) => Buffer.from(u).toString()))
    // Rewritten through a temp file that is gone afterwards.
    expect((await fs.readdir(dir)).sort()).toEqual(['doc.log'])
    await log.close()
  })

  it('dropPrefix() refuses to cut more than is on disk', async () => {
    const { open } = await freshLog()
    const log = open()
    await log.replay()
    log.append(payload(1))
    await expect(log.dropPrefix(1000)).rejects.toThrow(/cannot drop/)
    await log.close()
  })

  it('keeps working after a failed dropPrefix', async () => {
    const { file, open } = await freshLog()
    const log = open()
    await log.replay()
    log.append(payload(1))
    const length = await log.flushedLength()
    log.append(payload(2))
    await expect(log.dropPrefix(length + 1)).rejects.toThrow()
    log.append(payload(3))
    await log.close()
    expect((await replayFresh(file)).updates).toHaveLength(3)
  })

  it('after a close whose write failed, writes nothing through that instance again (the document may be opened anew)', async () => {
    const { file, open } = await freshLog()
    // A directory where the log should be: every open fails.
    await fs.mkdir(file)
    const log = open()
    log.append(payload(1))
    await expect(log.close()).rejects.toThrow()
    await fs.rmdir(file)
    await expect(log.flush()).rejects.toThrow(/closed/)
    expect(existsSync(file)).toBe(false)
  })

  it('remove() drops queued writes and deletes the file for good', async () => {
    const { file, open } = await freshLog({ flushIntervalMs: 20 })
    const log = open()
    await log.replay()
    log.append(payload(1))
    await log.flush()
    log.append(payload(2))
    await log.remove()
    expect(existsSync(file)).toBe(false)
    // The timer of the dropped append must not recreate the file, nor later appends, flushes or cuts.
    await sleep(100)
    log.append(payload(3))
    await log.flush()
    await log.dropPrefix(0)
    expect(existsSync(file)).toBe(false)
  })

  it('abandon() keeps the file as written, drops and counts what was queued, and writes nothing after', async () => {
    const { file, open } = await freshLog({ flushIntervalMs: 20 })
    const log = open()
    await log.replay()
    log.append(payload(1))
    await log.flush()
    const written = await fs.readFile(file)
    log.append(payload(2))
    log.append(payload(3))
    expect(await log.abandon()).toBe(2)
    await sleep(100)
    log.append(payload(4))
    await log.flush()
    expect(await fs.readFile(file)).toEqual(written)
    expect((await replayFresh(file)).updates).toEqual([payload(1)])
  })
})

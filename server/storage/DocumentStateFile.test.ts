import { existsSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { TestContext } from '../testing/harness'
import { readStoredState, writeStateFile } from './DocumentStateFile'
import { CorruptFileError } from './errors'
import { FRAME_HEADER_BYTES } from './frames'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

async function paths() {
  const dir = await ctx.tempDir('huigao-state-')
  return { dir, state: path.join(dir, 'doc.state'), legacy: path.join(dir, 'doc.json') }
}

const chunk = (text: string) => new Uint8Array(Buffer.from(text))

describe('state file', () => {
  it('round-trips its chunks, in order, as CRC frames', async () => {
    const files = await paths()
    const chunks = [chunk('first'), chunk(''), chunk('third chunk'), new Uint8Array(100_000).fill(7)]
    const bytes = await writeStateFile(files.state, chunks)
    expect(bytes).toBe(chunks.reduce((sum, c) => sum + FRAME_HEADER_BYTES + c.length, 0))
    expect((await fs.stat(files.state)).size).toBe(bytes)
    const stored = await readStoredState(files)
    expect(stored).toMatchObject({ bytes, file: files.state, legacy: false })
    expect(stored!.chunks.map((c) => Buffer.from(c).toString('hex'))).toEqual(chunks.map((c) => Buffer.from(c).toString('hex')))
  })

  it('is missing (null) when neither file exists', async () => {
    expect(await readStoredState(await paths())).toBeNull()
  })

  it('replaces the file atomically: a crashed earlier write leaves only a stale temp file', async () => {
    const files = await paths()
    await writeStateFile(files.state, [chunk('old')])
    // A write that died before its rename: the temp file is garbage, the state file untouched.
    await fs.writeFile(`${files.state}.tmp`, 'half a fra')
    expect((await readStoredState(files))!.chunks.map((c) => Buffer.from(c).toString())).toEqual(['old'])
    await writeStateFile(files.state, [chunk('new'), chunk('content')])
    expect((await readStoredState(files))!.chunks.map((c) => Buffer.from(c).toString())).toEqual(['new', 'content'])
    expect(await fs.readdir(files.dir)).toEqual(['doc.state'])
  })

  it('takes the chunked file over a legacy JSON file when both exist (a migration that crashed before removing it)', async () => {
    const files = await paths()
    await fs.writeFile(files.legacy, JSON.stringify({ format: 1, state: Buffer.from('legacy').toString('base64'), compactedAt: '' }))
    expect(await readStoredState(files)).toMatchObject({ legacy: true, file: files.legacy })
    expect(Buffer.from((await readStoredState(files))!.chunks[0]).toString()).toBe('legacy')
    await writeStateFile(files.state, [chunk('chunked')])
    expect(await readStoredState(files)).toMatchObject({ legacy: false, file: files.state })
  })

  it('refuses a damaged, truncated or empty file with CorruptFileError and leaves it alone', async () => {
    const files = await paths()
    await writeStateFile(files.state, [chunk('one'), chunk('two')])
    const good = await fs.readFile(files.state)
    const damaged = Buffer.from(good)
    damaged[FRAME_HEADER_BYTES + 1] ^= 0x20
    for (const bad of [damaged, good.subarray(0, good.length - 1), good.subarray(0, 5), Buffer.alloc(0)]) {
      await fs.writeFile(files.state, bad)
      const error = await readStoredState(files).then(
        () => null,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(CorruptFileError)
      expect((error as CorruptFileError).file).toBe(files.state)
      expect(await fs.readFile(files.state)).toEqual(bad)
    }
    expect(existsSync(files.legacy)).toBe(false)
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { TestContext } from '../testing/harness'
import { runProtocolFuzz } from './protocolFuzz'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

const FRAMES = Number(process.env.FUZZ_FRAMES ?? 10_000)
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000)

describe(`protocol fuzzing (${FRAMES} frames per role)`, () => {
  it('random and mutated frames from every role: the server stays up and the honest document loses nothing', async () => {
    console.log(`[fuzz] seed ${SEED} (FUZZ_SEED=${SEED} repeats this run)`)
    const result = await runProtocolFuzz(ctx, FRAMES, SEED)
    console.log(`[fuzz] ${JSON.stringify(result)}`)
    expect(result.honestParagraphs).toBeGreaterThan(0)
  })
})

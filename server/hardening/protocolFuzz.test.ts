import { afterEach, describe, expect, it } from 'vitest'
import { TestContext } from '../testing/harness'
import { runProtocolFuzz } from './protocolFuzz'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

// The small version of protocol.fuzz.ts (`npm run fuzz`: 10,000 frames per role).
describe('protocol fuzzing (300 frames per role)', () => {
  it('random and mutated frames from every role: the server stays up and the honest document loses nothing', async () => {
    const result = await runProtocolFuzz(ctx, 300, 13)
    console.log(`[fuzz] ${JSON.stringify(result)}`)
    expect(result.honestParagraphs).toBeGreaterThan(0)
    expect(Object.values(result.connections).every((count) => count > 1)).toBe(true)
  }, 300_000)
})

import { describe, expect, it } from 'vitest'
import { fitZoom } from './useFitWidth'

describe('fitZoom', () => {
  it('keeps the sheet at 100 % where it fits, scales it to the room there is below that, and never below 60 %', () => {
    expect(fitZoom(810)).toBe(1)
    expect(fitZoom(2000)).toBe(1)
    // A 1024-px window: ~684 px between the window's edge and the side panel.
    expect(fitZoom(684)).toBeCloseTo((684 - 16) / ((210 / 25.4) * 96), 5)
    expect(fitZoom(684)).toBeLessThan(0.85)
    expect(fitZoom(200)).toBe(0.6)
  })
})

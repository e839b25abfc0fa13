// @vitest-environment happy-dom
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { afterNextPaint, sendUpdatesAfterPaint } from './sendAfterPaint'

/** A stand-in for y-websocket's provider: its update handler registered on the doc, recording what it would send. */
function fakeProvider(doc: Y.Doc) {
  const sent: Uint8Array[] = []
  const provider = { _updateHandler: (update: Uint8Array, origin: unknown) => origin !== provider && sent.push(update) }
  doc.on('update', provider._updateHandler)
  return { provider: provider as unknown as WebsocketProvider, sent }
}

/** A schedule that runs only when the test says the frame has been painted. */
function manualSchedule() {
  let due: (() => void) | null = null
  return {
    schedule: (callback: () => void) => {
      due = callback
      return () => (due = null)
    },
    paint: () => due?.(),
    get pending() {
      return due !== null
    },
  }
}

describe('sendUpdatesAfterPaint', () => {
  it('sends nothing in the change\'s own task, then one message for the frame\'s changes', () => {
    const doc = new Y.Doc()
    const { provider, sent } = fakeProvider(doc)
    const frame = manualSchedule()
    sendUpdatesAfterPaint(doc, provider, frame.schedule)
    doc.getText('t').insert(0, '全年')
    doc.getText('t').insert(2, '主持')
    expect(sent).toHaveLength(0)
    frame.paint()
    expect(sent).toHaveLength(1)
    const server = new Y.Doc()
    Y.applyUpdate(server, sent[0])
    expect(server.getText('t').toString()).toBe('全年主持')
    expect(frame.pending).toBe(false)
  })

  it('does not send back what came from the server', () => {
    const doc = new Y.Doc()
    const { provider, sent } = fakeProvider(doc)
    const frame = manualSchedule()
    sendUpdatesAfterPaint(doc, provider, frame.schedule)
    const other = new Y.Doc()
    other.getText('t').insert(0, '他人')
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), provider)
    expect(frame.pending).toBe(false)
    frame.paint()
    expect(sent).toHaveLength(0)
  })

  it('flush sends at once (before a caret that may point into the change) and destroy sends what is left', () => {
    const doc = new Y.Doc()
    const { provider, sent } = fakeProvider(doc)
    const frame = manualSchedule()
    const sender = sendUpdatesAfterPaint(doc, provider, frame.schedule)
    doc.getText('t').insert(0, '甲')
    sender.flush()
    expect(sent).toHaveLength(1)
    expect(frame.pending).toBe(false)
    doc.getText('t').insert(1, '乙')
    sender.destroy()
    expect(sent).toHaveLength(2)
    doc.getText('t').insert(2, '丙')
    expect(sent).toHaveLength(2)
  })

  it('brings the server to the editor\'s state whatever the interleaving of changes, frames and others\' updates', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('type' as const), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 3 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('remote' as const), text: fc.string({ minLength: 1, maxLength: 3 }) }),
      fc.constant({ kind: 'paint' as const }),
      fc.constant({ kind: 'flush' as const }),
    )
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const doc = new Y.Doc()
        const server = new Y.Doc()
        const { provider, sent } = fakeProvider(doc)
        const frame = manualSchedule()
        const sender = sendUpdatesAfterPaint(doc, provider, frame.schedule)
        const other = new Y.Doc()
        for (const s of steps) {
          const text = doc.getText('t')
          if (s.kind === 'type') text.insert(s.at % (text.length + 1), s.text)
          else if (s.kind === 'delete' && text.length > 0) text.delete(s.at % text.length, Math.min(s.length, text.length - (s.at % text.length)))
          else if (s.kind === 'remote') {
            // Another person's change, relayed by the server to this editor.
            other.getText('t').insert(0, s.text)
            const update = Y.encodeStateAsUpdate(other, Y.encodeStateVector(server))
            Y.applyUpdate(server, update)
            Y.applyUpdate(doc, update, provider)
          } else if (s.kind === 'paint') frame.paint()
          else if (s.kind === 'flush') sender.flush()
        }
        frame.paint()
        for (const update of sent) Y.applyUpdate(server, update)
        expect(server.getText('t').toString()).toBe(doc.getText('t').toString())
      }),
      { numRuns: 200 },
    )
  })
})

describe('afterNextPaint', () => {
  it('runs after the next frame, once, or after the fallback when no frame comes', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame'] })
    try {
      const ran = vi.fn()
      afterNextPaint(ran, 100)
      expect(ran).not.toHaveBeenCalled()
      vi.advanceTimersByTime(20)
      expect(ran).toHaveBeenCalledTimes(1)
      vi.advanceTimersByTime(200)
      expect(ran).toHaveBeenCalledTimes(1)
      const cancelled = vi.fn()
      afterNextPaint(cancelled, 100)()
      vi.advanceTimersByTime(200)
      expect(cancelled).not.toHaveBeenCalled()
      // A hidden tab paints no frame: the fallback sends anyway.
      const noFrame = vi.spyOn(globalThis, 'requestAnimationFrame').mockImplementation(() => 0)
      const hidden = vi.fn()
      afterNextPaint(hidden, 100)
      vi.advanceTimersByTime(99)
      expect(hidden).not.toHaveBeenCalled()
      vi.advanceTimersByTime(1)
      expect(hidden).toHaveBeenCalledTimes(1)
      noFrame.mockRestore()
    } finally {
      vi.useRealTimers()
    }
  })
})

// Where a key press's time to paint goes, read from a Chromium trace of a page that runs ED's probe
// (keydown → requestAnimationFrame → setTimeout 0). Used by profile-editor.ts on Huigao's page and on
// the floor's empty page (FLOOR=1), so the two can be compared part by part.
import { Samples } from '../lib/stats'
import { selfTimes, topLevel, type TraceEvent } from './cpuProfile'

/**
 * Per key press: keydown → the frame's animation callback (waiting for the next frame, and for any
 * task in the way), then callback → the probe's timer (the frame's style, layout, paint and
 * compositing update, then whatever else runs first). The second part is what the page's size adds
 * to every frame; the first is mostly where in the 16.7 ms frame the key landed. Also the mean wall
 * time of the lifecycle task after the callback and its largest parts.
 */
export function keyPaintSplit(events: TraceEvent[]): string[] {
  const keydowns = events.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown')
  if (keydowns.length === 0) return ['no keydown in the trace']
  const { pid, tid } = keydowns[0]
  const thread = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!)
  const top = topLevel(thread)
  const callbacks = thread.filter((e) => e.name === 'FireAnimationFrame')
  const timers = thread.filter((e) => e.name === 'TimerFire')
  const toFrame = new Samples()
  const afterFrame = new Samples()
  const total = new Samples()
  const parts = new Map<string, number>()
  let lifecycles = 0
  for (const key of keydowns) {
    const callback = callbacks.find((e) => e.ts > key.ts)
    const timer = callback && timers.find((e) => e.ts > callback.ts)
    if (!callback || !timer) continue
    toFrame.add((callback.ts - key.ts) / 1000)
    afterFrame.add((timer.ts - callback.ts) / 1000)
    total.add((timer.ts - key.ts) / 1000)
    const lifecycle = top.find((task) => task.ts > callback.ts && task.ts < timer.ts && thread.some((e) => e.ts >= task.ts && e.ts < task.ts + task.dur! && e.name.startsWith('LocalFrameView::UpdateLifecyclePhases')))
    if (!lifecycle) continue
    lifecycles++
    for (const [name, ms] of selfTimes(thread.filter((e) => e.ts >= lifecycle.ts && e.ts + e.dur! <= lifecycle.ts + lifecycle.dur!))) parts.set(name, (parts.get(name) ?? 0) + ms)
  }
  const line = (what: string, s: Samples) => `${what}: p50 ${s.percentile(50).toFixed(2)}, p90 ${s.percentile(90).toFixed(2)}, p95 ${s.percentile(95).toFixed(2)} ms`
  const lifecycleMs = [...parts.values()].reduce((sum, ms) => sum + ms, 0)
  const largest = [...parts].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([name, ms]) => `${name} ${(ms / lifecycles).toFixed(2)}`)
  return [
    line('traced key press → its timer (the probe)', total),
    line('key press → frame callback', toFrame),
    line('frame callback → the probe’s timer', afterFrame),
    `the frame's lifecycle task after the callback: ${(lifecycleMs / Math.max(lifecycles, 1)).toFixed(2)} ms mean wall (${lifecycles} frames): ${largest.join(', ')}`,
  ]
}

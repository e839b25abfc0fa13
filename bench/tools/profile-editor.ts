/**
 * Profiles the editor-at-scale scenario (bench/scenarios/editor.ts) in Chromium: the 50-page report,
 * a second person typing, 100 measured key presses. Writes a CPU profile and a trace summary of the
 * measured page, so that per-keystroke main-thread time can be split into script, style, layout and
 * paint. Build the client unminified first for readable names:
 *   npx vite build --config client/vite.config.ts --minify false && npx tsx bench/tools/profile-editor.ts [outDir]
 * Environment: KEYS, FLOOR=1 (trace ED's floor instead: the same probe and typing on an empty editable page, for keyPaintSplit's parts to compare), OPEN_COPIES (profile opening a report of that many copies; PROFILE_FIRST=1 the first open too; OPEN_TRACE=1, =first or =warm a trace instead, printed as the main thread's tasks; OPEN_REPEAT=N times N more opens without profiling; OPEN_LATENCY_MS=N adds N ms to each of those opens' requests, as a network farther than loopback would), OTHERS / ALONE, SUGGESTIONS, EXTRA_CSS, COUNTS_OF (exact call counts), SCREENSHOT (a PNG).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { RemoteTypist } from '../lib/remoteTypist'
import { Samples } from '../lib/stats'
import { addPendingSuggestions, fiftyPageReport, figuresIn, sectionsIn } from '../scenarios/editor'
import type { Page } from '@playwright/test'
import { launchBenchChromium } from '../lib/browser'
import { huigao } from '../servers/huigao'
import { ServerProcess } from '../servers/process'
import { scrollPanelsToTop, waitUntilOpen } from '../scenarios/openCriterion'
import { profileTimes, selfTimes, topLevel, type CpuProfile, type TraceEvent } from './cpuProfile'
import { keyPaintSplit } from './keyPaintSplit'

const KEYS = Number(process.env.KEYS ?? 100)
const outDir = path.resolve(process.argv[2] ?? '.tmp/profile')
mkdirSync(outDir, { recursive: true })

if (process.env.FLOOR) {
  await profileFloor()
  process.exit(0)
}
const server = await ServerProcess.start(huigao)
const browser = await launchBenchChromium()
try {
  const id = await server.createDocument('50页述职报告', fiftyPageReport())
  const base = `http://127.0.0.1:${server.port}`
  const [name, ...value] = server.headers.cookie.split('=')
  const contexts = await Promise.all([0, 1, 2].map(() => browser.newContext({ viewport: { width: 1600, height: 1000 } })))
  for (const context of contexts) await context.addCookies([{ name, value: value.join('='), url: base }])
  if (process.env.OPEN_COPIES) {
    await profileOpen(contexts[0], base, Number(process.env.OPEN_COPIES))
    process.exit(0)
  }
  const page = await contexts[0].newPage()
  const t0 = performance.now()
  await page.goto(`${base}/d/${id}`)
  await waitUntilOpen(page, 500, null)
  console.log(`open ${(performance.now() - t0).toFixed(0)} ms`)
  await scrollPanelsToTop(page)
  // EXTRA_CSS tries a style change without rebuilding (e.g. to see what a rule costs per frame).
  if (process.env.EXTRA_CSS) await page.addStyleTag({ content: process.env.EXTRA_CSS })
  // Pending suggestions, as in the ED scenario: fill figures in 建议 mode, then back to 编辑.
  const suggestions = Number(process.env.SUGGESTIONS ?? 10)
  if (suggestions > 0) {
    await addPendingSuggestions(page, suggestions)
    await page.waitForTimeout(500)
  }
  // OTHERS other people type in the same document (default 2, as in issue 18; ALONE=1 means none).
  const others = process.env.ALONE ? 0 : Number(process.env.OTHERS ?? 2)
  // OTHERS_IN=node: the others type from this process (bench/lib/remoteTypist.ts), not from tabs of this browser.
  const inNode = process.env.OTHERS_IN === 'node'
  const typists = inNode ? [] : await Promise.all(contexts.slice(1, 1 + others).map((context) => context.newPage()))
  const remote = inNode ? Array.from({ length: others }, (_, i) => new RemoteTypist(server, id, i * 3)) : []
  for (const typist of typists) {
    await typist.goto(`${base}/d/${id}`)
    await typist.getByTestId('editor').waitFor()
  }
  await installProbe(page)
  await page.locator('.report-title').click()
  await page.keyboard.press('End')
  const cdp = await contexts[0].newCDPSession(page)
  await cdp.send('Profiler.enable')
  // COUNTS_OF=name,name: exact call counts of those functions while measuring (V8 coverage), which a
  // loaded machine does not blur as it does sampled times; the build must be unminified.
  const countsOf = (process.env.COUNTS_OF ?? '').split(',').filter(Boolean)
  if (countsOf.length > 0) {
    await cdp.send('Profiler.startPreciseCoverage', { callCount: true, detailed: false })
    await cdp.send('Profiler.takePreciseCoverage')
  }
  // NO_SAMPLING=1: the trace without the sampling profiler, whose interrupts inflate script time.
  const sampling = !process.env.NO_SAMPLING
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
  if (sampling) await cdp.send('Profiler.start')
  const events: TraceEvent[] = []
  cdp.on('Tracing.dataCollected', (data) => {
    events.push(...(data.value as unknown as TraceEvent[]))
  })
  // Others' updates and carets that arrive while measuring: the per-key figures depend on how many
  // arrive per local key, which varies with the machine's load; printed so runs can be compared.
  let framesIn = 0
  await cdp.send('Network.enable')
  cdp.on('Network.webSocketFrameReceived', () => framesIn++)
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,blink,v8', transferMode: 'ReportEvents' })
  const background = Promise.all([
    ...remote.map((typist) => typist.type('另一位起草人持续输入'.repeat(KEYS / 5), 80)),
    ...typists.map(async (typist, i) => {
      await typist.locator('.section-title').nth(i * 3).click()
      await typist.keyboard.press('End')
      await typist.keyboard.type('另一位起草人持续输入'.repeat(KEYS / 5), { delay: 80 })
    }),
  ])
  await page.keyboard.type('abcdefghij'.repeat(KEYS / 10), { delay: 40 })
  await page.waitForTimeout(300)
  // SCREENSHOT=file.png: the editor as it is while the others still type (their carets, the sidebar's counts).
  if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT })
  const { profile } = sampling ? await cdp.send('Profiler.stop') : { profile: { nodes: [], samples: [], timeDeltas: [], startTime: 0, endTime: 0 } }
  if (countsOf.length > 0) {
    const { result } = await cdp.send('Profiler.takePreciseCoverage')
    const counts = new Map<string, number>()
    for (const script of result) {
      for (const fn of script.functions) if (countsOf.includes(fn.functionName)) counts.set(fn.functionName, (counts.get(fn.functionName) ?? 0) + fn.ranges[0].count)
    }
    console.log(`calls while measuring: ${countsOf.map((name) => `${name} ${counts.get(name) ?? 0}`).join(', ')}`)
  }
  console.log(`WebSocket frames received while measuring: ${framesIn} (${(framesIn / KEYS).toFixed(2)} per key press)`)
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
  await cdp.send('Tracing.end')
  await done
  for (const typist of remote) typist.stop()
  await background.catch(() => undefined)
  writeFileSync(path.join(outDir, 'editor.cpuprofile'), JSON.stringify(profile))
  // The raw trace, for Chromium's DevTools (Performance → Load profile) or a script of one's own.
  writeFileSync(path.join(outDir, 'trace.json'), JSON.stringify({ traceEvents: events }))
  const functions = summarizeProfile(profile as unknown as CpuProfile, KEYS)
  console.log(functions)
  writeFileSync(path.join(outDir, 'profile-summary.txt'), functions)
  const latencies = await page.evaluate(() => (window as unknown as { __latencies: number[] }).__latencies)
  const samples = new Samples()
  for (const v of latencies) samples.add(v)
  console.log(`key→paint p50 ${samples.percentile(50).toFixed(1)} p95 ${samples.percentile(95).toFixed(1)} max ${samples.max.toFixed(1)} ms (${samples.count})`)
  const summary = [summarizeTrace(events, KEYS), ...keyPaintSplit(events)].join('\n')
  console.log(summary)
  writeFileSync(path.join(outDir, 'trace-summary.txt'), summary)
} finally {
  await browser.close()
  await server.dispose()
}

/** ED's key press → paint probe (bench/scenarios/editor.ts), in `page`. */
function installProbe(page: Page): Promise<void> {
  return page.evaluate(() => {
    const w = window as unknown as { __latencies: number[] }
    w.__latencies = []
    document.addEventListener('keydown', (event) => {
      const start = event.timeStamp
      requestAnimationFrame(() => setTimeout(() => w.__latencies.push(performance.now() - start), 0))
    }, true)
  })
}

/** FLOOR=1: ED's floor page (an empty contenteditable) typed into and traced as the editor is, with the same probe. */
async function profileFloor(): Promise<void> {
  const browser = await launchBenchChromium()
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } })
    const page = await context.newPage()
    await page.setContent('<div contenteditable="true" class="report-title" style="font-size:20px">空白页</div>')
    await installProbe(page)
    await page.locator('.report-title').click()
    await page.keyboard.press('End')
    const cdp = await context.newCDPSession(page)
    const events: TraceEvent[] = []
    cdp.on('Tracing.dataCollected', (data) => events.push(...(data.value as unknown as TraceEvent[])))
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,blink,v8', transferMode: 'ReportEvents' })
    await page.keyboard.type('abcdefghij'.repeat(KEYS / 10), { delay: 40 })
    await page.waitForTimeout(300)
    const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
    await cdp.send('Tracing.end')
    await done
    const samples = new Samples()
    for (const v of await page.evaluate(() => (window as unknown as { __latencies: number[] }).__latencies)) samples.add(v)
    console.log(`floor key→paint p50 ${samples.percentile(50).toFixed(1)} p95 ${samples.percentile(95).toFixed(1)} max ${samples.max.toFixed(1)} ms (${samples.count})`)
    console.log([summarizeTrace(events, KEYS), ...keyPaintSplit(events)].join('\n'))
  } finally {
    await browser.close()
  }
}

/**
 * OPEN_COPIES=50: where the time to open a report of that many samples goes (the second open, as in
 * the ED scenario), until the sidebar lists every figure.
 */
async function profileOpen(context: import('@playwright/test').BrowserContext, base: string, copies: number): Promise<void> {
  const id = await server.createDocument('profile', fiftyPageReport(copies))
  // Open as the ED scenario times it: the outline's end shown too.
  const [figures, sections] = [figuresIn(copies), sectionsIn(copies)]
  const open = async (page: import('@playwright/test').Page) => {
    const t0 = performance.now()
    await page.goto(`${base}/d/${id}`)
    await waitUntilOpen(page, figures, sections)
    return performance.now() - t0
  }
  const latency = Number(process.env.OPEN_LATENCY_MS ?? 0)
  const openInFreshTab = async () => {
    const tab = await context.newPage()
    // Chromium's network emulation: every request of the tab answered `latency` ms later.
    if (latency > 0) await (await context.newCDPSession(tab)).send('Network.emulateNetworkConditions', { offline: false, latency, downloadThroughput: -1, uploadThroughput: -1 })
    const ms = await open(tab)
    await tab.close()
    return ms
  }
  // OPEN_TRACE=1: a trace of the second open instead of a sampled profile (no sampling overhead),
  // printed as the main thread's tasks on the open's timeline; OPEN_TRACE=first: of the first open.
  const traced = async (page: import('@playwright/test').Page, label: string) => {
    const cdp = await context.newCDPSession(page)
    const events: TraceEvent[] = []
    cdp.on('Tracing.dataCollected', (data) => void events.push(...(data.value as unknown as TraceEvent[])))
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,toplevel,blink.user_timing,v8', transferMode: 'ReportEvents' })
    console.log(`${label} open ${(await open(page)).toFixed(0)} ms`)
    const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
    await cdp.send('Tracing.end')
    await done
    writeFileSync(path.join(outDir, `${label}-open-trace.json`), JSON.stringify({ traceEvents: events }))
    console.log(openTimeline(events))
  }
  const first = await context.newPage()
  // PROFILE_FIRST=1: a CPU profile of the first open too (cold browser: no compiled code cached yet).
  const firstCdp = process.env.PROFILE_FIRST ? await context.newCDPSession(first) : null
  if (firstCdp) {
    await firstCdp.send('Profiler.enable')
    await firstCdp.send('Profiler.setSamplingInterval', { interval: 500 })
    await firstCdp.send('Profiler.start')
  }
  if (process.env.OPEN_TRACE === 'first') await traced(first, 'first')
  else console.log(`first open ${(await open(first)).toFixed(0)} ms`)
  if (firstCdp) {
    const { profile } = await firstCdp.send('Profiler.stop')
    writeFileSync(path.join(outDir, 'first-open.cpuprofile'), JSON.stringify(profile))
    console.log(summarizeProfile(profile as unknown as CpuProfile, 1))
  }
  console.log(
    await first.evaluate(() =>
      performance
        .getEntries()
        .filter((e) => e.entryType === 'mark' || e.name.includes('/api/') || e.name.includes('/assets/'))
        .map((e) => `${e.name.replace(/^.*\/\/[^/]+/, '')} ${Math.round(e.startTime)}${e.duration ? `+${Math.round(e.duration)}` : ''}`)
        .join(', '),
    ),
  )
  await first.close()
  // From a blank tab, as the ED scenario opens it (a new renderer process: nothing compiled in memory).
  const page = await context.newPage()
  // OPEN_TRACE=warm: the open after three more, as a browser that has opened it many times.
  if (process.env.OPEN_TRACE === 'warm') {
    for (let n = 0; n < 3; n++) await openInFreshTab()
  }
  if (process.env.OPEN_TRACE) return process.env.OPEN_TRACE === 'first' ? undefined : traced(page, process.env.OPEN_TRACE === 'warm' ? 'warm' : 'second')
  // OPEN_REPEAT=N: N more opens, each in a fresh tab, timed without profiling (for A/B comparisons).
  if (process.env.OPEN_REPEAT) {
    const times: number[] = []
    for (let n = 0; n < Number(process.env.OPEN_REPEAT); n++) times.push(await openInFreshTab())
    const sorted = [...times].sort((a, b) => a - b)
    console.log(`opens: ${times.map((t) => t.toFixed(0)).join(' ')} ms; median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms`)
    return
  }
  const cdp = await context.newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 })
  await cdp.send('Profiler.start')
  console.log(`second open ${(await open(page)).toFixed(0)} ms`)
  const { profile } = await cdp.send('Profiler.stop')
  writeFileSync(path.join(outDir, 'open.cpuprofile'), JSON.stringify(profile))
  console.log(summarizeProfile(profile as unknown as CpuProfile, 1))
}

/**
 * The open's main-thread tasks of 5 ms or more, from navigation start, with what took most of each
 * (self time per trace event name), and the client's marks: where the open's time went, and where
 * the thread waited.
 */
function openTimeline(events: TraceEvent[]): string {
  // The report's navigation: the one on the thread that set the client's marks (its documentLoaderURL
  // is empty in some Chromium builds, and the trace holds other tabs' navigations too).
  const marked = events.find((e) => e.name.startsWith('huigao:'))
  const start = events
    .filter((e) => e.name === 'navigationStart' && (marked ? e.pid === marked.pid && e.tid === marked.tid && e.ts < marked.ts : (e.args?.data as { documentLoaderURL?: string } | undefined)?.documentLoaderURL?.includes('/d/')))
    .sort((a, b) => a.ts - b.ts)
    .pop()
  if (!start) return 'no navigationStart in the trace'
  const at = (ts: number) => ((ts - start.ts) / 1000).toFixed(0)
  const thread = events.filter((e) => e.pid === start.pid && e.tid === start.tid && e.ts >= start.ts)
  const lines: string[] = []
  let busy = 0
  let cpu = 0
  const tasks = thread.filter((e) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.dur !== undefined).sort((a, b) => a.ts - b.ts)
  for (const task of tasks) {
    busy += task.dur! / 1000
    cpu += (task.tdur ?? 0) / 1000
    if (task.dur! < 5000) continue
    const inside = thread.filter((e) => e.ph === 'X' && e.dur !== undefined && e !== task && e.ts >= task.ts && e.ts + e.dur! <= task.ts + task.dur!).sort((x, y) => x.ts - y.ts || y.dur! - x.dur!)
    const self = selfTimes(inside, (e) => {
      const data = e.args?.data
      return e.name === 'FunctionCall' || e.name === 'EventDispatch' || e.name === 'TimerFire' ? `${e.name}(${data?.type ?? data?.functionName ?? ''})` : e.name
    })
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([n, ms]) => `${n} ${ms.toFixed(0)}`).join(', ')
    lines.push(`${at(task.ts).padStart(6)} ms  task ${(task.dur! / 1000).toFixed(0).padStart(4)} ms  ${top}`)
  }
  for (const mark of thread.filter((e) => e.name.startsWith('huigao:') || e.name === 'domContentLoadedEventEnd')) lines.push(`${at(mark.ts).padStart(6)} ms  mark ${mark.name}`)
  lines.sort((a, b) => parseFloat(a) - parseFloat(b))
  const end = tasks.length > 0 ? tasks[tasks.length - 1].ts + tasks[tasks.length - 1].dur! : start.ts
  // CPU time as well as wall time: on a shared VM the thread's CPU time varies less between runs (A/B).
  lines.push(`main thread busy ${busy.toFixed(0)} ms (CPU ${cpu.toFixed(0)} ms) of ${at(end)} ms`)
  return lines.join('\n')
}

/**
 * Self time per event name on the measured page's main thread (the one that saw keydown events:
 * the other person's Chinese text arrives as insertText without key events), per key press.
 */
function summarizeTrace(events: TraceEvent[], keys: number): string {
  const keydown = events.find((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown')
  if (!keydown) return 'no keydown in the trace'
  const thread = events
    .filter((e) => e.pid === keydown.pid && e.tid === keydown.tid && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!)
  const rows = [...selfTimes(thread)].sort((a, b) => b[1] - a[1]).slice(0, 25)
  // Long tasks: what keeps a key press from the next frame.
  const top = topLevel(thread)
  const busy = top.reduce((ms, e) => ms + e.dur! / 1000, 0)
  const cpu = top.reduce((ms, e) => ms + (e.tdur ?? 0) / 1000, 0)
  const tasks = top.map((e) => (e.tdur ?? 0) / 1000)
  const long = tasks.filter((ms) => ms > 16).sort((a, b) => b - a)
  const longest = top
    .filter((e) => (e.tdur ?? 0) > 16_000)
    .sort((a, b) => b.dur! - a.dur!)
    .slice(0, 8)
    .map((task) => {
      const inside = thread.filter((e) => e.ts > task.ts && e.ts < task.ts + task.dur! && e.name !== 'RunTask' && e.dur! > task.dur! * 0.3)
      return `${((task.tdur ?? 0) / 1000).toFixed(1)} ms CPU: ${inside.slice(0, 4).map((e) => `${e.name}${e.args?.data?.type ? `(${e.args.data.type})` : ''} ${(e.dur! / 1000).toFixed(1)}`).join(' > ')}`
    })
  rows.unshift(['', 0])
  const header = [`tasks ${tasks.length}, over 16 ms of CPU: ${long.length} (${long.slice(0, 10).map((ms) => ms.toFixed(0)).join(', ')} ms)`, ...longest, ...cpuByTaskKind(thread, top, keys)]
  return [...header, `main thread busy ${(busy / keys).toFixed(2)} ms per key press (wall), ${(cpu / keys).toFixed(2)} ms of CPU time`, ...rows.slice(1).map(([n, ms]) => `${(ms / keys).toFixed(2).padStart(8)} ms/key  ${n}`)].join('\n')
}

/**
 * Thread CPU time of the main thread's tasks by what started them: this person's key presses, frames
 * (style, layout, paint), timers, and the rest (mostly the server's messages: others' updates and
 * carets, which Chromium traces as bare function calls). Per task, it does not depend on how many of
 * others' messages arrive per key, which the machine's load changes.
 */
function cpuByTaskKind(thread: TraceEvent[], top: TraceEvent[], keys: number): string[] {
  const kinds = new Map<string, { count: number; cpu: number }>()
  const kindOf: string[] = []
  /** Indices in `top` of the tasks that dispatched a keydown, in order. */
  const keydowns: number[] = []
  let i = 0
  for (const task of top) {
    const end = task.ts + task.dur!
    let kind = 'other (server messages, …)'
    for (; i < thread.length && thread[i].ts < end; i++) {
      const e = thread[i]
      if (!kind.startsWith('other') || e.ts < task.ts) continue
      const type = e.args?.data?.type
      if (e.name === 'EventDispatch' && type && /^(keydown|keypress|keyup|textInput|beforeinput|input)$/.test(type)) {
        kind = 'key press'
        if (type === 'keydown' && keydowns.at(-1) !== kindOf.length) keydowns.push(kindOf.length)
      } else if (/UpdateLifecycle|FireAnimationFrame|BeginMainThreadFrame|BeginMainFrame/.test(e.name)) kind = 'frame'
      else if (e.name === 'TimerFire') kind = 'timer'
    }
    const row = kinds.get(kind) ?? { count: 0, cpu: 0 }
    row.count++
    row.cpu += (task.tdur ?? 0) / 1000
    kinds.set(kind, row)
    kindOf.push(kind)
  }
  return [
    ...[...kinds]
      .sort((a, b) => b[1].cpu - a[1].cpu)
      .map(([kind, { count, cpu }]) => `CPU in ${kind} tasks: ${(cpu / keys).toFixed(2)} ms per key press, ${count} tasks, ${(cpu / count).toFixed(2)} ms each`),
    ...beforeTheFrame(top, kindOf, keydowns),
  ]
}

/**
 * What stands between a key press and the frame that shows it: the CPU of the other tasks that ran
 * after the key press's task and before that frame's task (others' changes and carets, timers), and
 * the frame's own CPU. Per key press, p50 / p90 / p95 (the p95 of key → paint is where they add up).
 */
function beforeTheFrame(top: TraceEvent[], kindOf: string[], keydowns: readonly number[]): string[] {
  const between = new Samples()
  const frame = new Samples()
  for (const k of keydowns) {
    let cpu = 0
    let f = k + 1
    for (; f < top.length && kindOf[f] !== 'frame'; f++) if (kindOf[f] !== 'key press') cpu += (top[f].tdur ?? 0) / 1000
    if (f === top.length) break
    between.add(cpu)
    // The frame: its tasks in a row (the hover hit test at its start, then the lifecycle update).
    let frameCpu = 0
    for (; f < top.length && kindOf[f] === 'frame'; f++) frameCpu += (top[f].tdur ?? 0) / 1000
    frame.add(frameCpu)
  }
  const line = (what: string, samples: Samples) => `${what}: p50 ${samples.percentile(50).toFixed(2)}, p90 ${samples.percentile(90).toFixed(2)}, p95 ${samples.percentile(95).toFixed(2)} ms (${samples.count} key presses)`
  return [line('CPU of other tasks between a key press and its frame', between), line('CPU of the frame after a key press', frame)]
}

/** Self and total (inclusive) script time per function from the CPU profile, per key press. */
function summarizeProfile(profile: CpuProfile, keys: number): string {
  const { self, total } = profileTimes(profile)
  const top = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, ms]) => `${(ms / keys).toFixed(3).padStart(8)} ms/key  ${name}`)
  return ['self time (script):', ...top(self, 40), '', 'total time:', ...top(total, 60)].join('\n')
}

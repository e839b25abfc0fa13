/**
 * Opening big reports, as the ED scenario does it (bench/scenarios/editor.ts) but without the typing
 * part: the 50-page report with 10 pending suggestions, then the 100-page report opened twice (the
 * first warms the browser's cache) and the 50-page one again on a fresh page, REPS times. For every
 * measured open it prints the wall time and, from a trace of the page, the main thread's CPU time,
 * its longest task and the number of forced/normal layouts, which another process's load inflates
 * far less than wall time; with PROFILE=1 also the script's self time per function.
 *   npx tsx bench/tools/profile-open.ts            (REPS=3 by default)
 * It runs unchanged in an older checkout for a same-run comparison (copy ./cpuProfile.ts, ../lib/browser.ts and
 * ../scenarios/openCriterion.ts along with it).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { BrowserContext, CDPSession, Page } from '@playwright/test'
import { launchBenchChromium } from '../lib/browser'
import { huigao } from '../servers/huigao'
import { PROJECT_ROOT, ServerProcess } from '../servers/process'
import { waitUntilOpen } from '../scenarios/openCriterion'
import { profileTimes, type CpuProfile, type TraceEvent } from './cpuProfile'
import { buildClient } from '../../scripts/build-client.mjs'

const REPS = Number(process.env.REPS ?? 3)
let profilesWritten = 0
const SAMPLE = readFileSync(path.join(PROJECT_ROOT, 'server/assets/2022-party-building-report.txt'), 'utf8')
const report = (copies: number) => {
  const [title, ...body] = SAMPLE.split('\n')
  return [title, ...Array.from({ length: copies }, () => body.join('\n'))].join('\n')
}

/** Main-thread CPU of the page's renderer: the thread that ran the most script. */
function summarize(events: TraceEvent[]): string {
  const scriptByThread = new Map<string, number>()
  for (const e of events) if (e.name === 'FunctionCall' || e.name === 'EvaluateScript' || e.name === 'v8.compile') scriptByThread.set(`${e.pid}:${e.tid}`, (scriptByThread.get(`${e.pid}:${e.tid}`) ?? 0) + (e.dur ?? 0))
  const main = [...scriptByThread].sort((a, b) => b[1] - a[1])[0]?.[0]
  const thread = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!)
  let cpu = 0
  let end = -Infinity
  const tasks: number[] = []
  for (const e of thread) {
    if (e.ts < end) continue
    end = e.ts + e.dur!
    cpu += (e.tdur ?? e.dur!) / 1000
    tasks.push((e.tdur ?? e.dur!) / 1000)
  }
  const count = (name: string) => thread.filter((e) => e.name === name).length
  const time = (name: string) => thread.filter((e) => e.name === name).reduce((s, e) => s + (e.tdur ?? e.dur!) / 1000, 0)
  tasks.sort((a, b) => b - a)
  if (process.env.TIMELINE) console.log(timeline(events, thread))
  // LAYOUTS=1: every layout of 3 ms or more, with the script that forced it (none: the frame's own).
  if (process.env.LAYOUTS) {
    for (const e of thread) {
      if (e.name !== 'Layout' || (e.tdur ?? e.dur!) < 3000) continue
      const stack = (e.args as { beginData?: { stackTrace?: Array<{ functionName: string; lineNumber: number }> } } | undefined)?.beginData?.stackTrace ?? []
      console.log(`  layout ${((e.tdur ?? e.dur!) / 1000).toFixed(1)} ms: ${stack.length === 0 ? '(frame)' : stack.slice(0, 8).map((f) => `${f.functionName || '(anonymous)'}:${f.lineNumber}`).join(' < ')}`)
    }
  }
  return `main-thread CPU ${cpu.toFixed(0)} ms (longest tasks ${tasks.slice(0, 3).map((t) => t.toFixed(0)).join(', ')} ms); layouts ${count('Layout')} (${time('Layout').toFixed(0)} ms), style recalcs ${count('UpdateLayoutTree')} (${time('UpdateLayoutTree').toFixed(0)} ms), paints ${count('Paint')}, GC ${time('MajorGC').toFixed(0) + '+' + time('MinorGC').toFixed(0)} ms`
}

/** Main-thread tasks over 20 ms and the page's marks, in ms from navigation start: what waits for what. */
function timeline(events: TraceEvent[], thread: TraceEvent[]): string {
  const pid = thread[0]?.pid
  events = events.filter((e) => e.pid === pid)
  const start = events.find((e) => e.name === 'navigationStart')?.ts ?? thread[0]?.ts ?? 0
  const at = (ts: number) => ((ts - start) / 1000).toFixed(0).padStart(5)
  const lines: Array<[number, string]> = []
  for (const e of events) if (e.name.startsWith('huigao:') || e.name === 'domContentLoadedEventEnd') lines.push([e.ts, `${at(e.ts)} mark ${e.name}`])
  for (const e of events) if (e.name === 'ResourceFinish' || e.name === 'ResourceReceiveResponse' || e.name.startsWith('WebSocket')) lines.push([e.ts, `${at(e.ts)} ${e.name} ${JSON.stringify(e.args?.data ?? {}).replace(/"(frame|connectionId|connectionReused|finishTime)":[^,]*,?/g, '').slice(0, 90)}`])
  let end = -Infinity
  for (const e of thread) {
    if (e.ts < end) continue
    end = e.ts + e.dur!
    if (e.dur! < 20_000) continue
    const inside = thread.filter((c) => c.ts >= e.ts && c.ts < end && c !== e && c.dur! > e.dur! * 0.15).slice(0, 5)
    lines.push([e.ts, `${at(e.ts)} task ${(e.dur! / 1000).toFixed(0)} ms (cpu ${((e.tdur ?? 0) / 1000).toFixed(0)}): ${inside.map((c) => `${c.name}${(c.args?.data as { functionName?: string } | undefined)?.functionName ? ':' + (c.args!.data as { functionName?: string }).functionName : ''} ${(c.dur! / 1000).toFixed(0)}`).join(' > ')}`])
  }
  return lines.sort((a, b) => a[0] - b[0]).map((l) => l[1]).join('\n')
}

async function startTrace(cdp: CDPSession): Promise<() => Promise<TraceEvent[]>> {
  const events: TraceEvent[] = []
  cdp.on('Tracing.dataCollected', (data) => void events.push(...(data.value as unknown as TraceEvent[])))
  await cdp.send('Tracing.start', { categories: `devtools.timeline,v8,disabled-by-default-devtools.timeline,blink.user_timing,loading,netlog${process.env.LAYOUTS ? ',disabled-by-default-devtools.timeline.stack' : ''}`, transferMode: 'ReportEvents' })
  if (process.env.PROFILE) {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 })
    await cdp.send('Profiler.start')
  }
  return async () => {
    if (process.env.PROFILE) {
      const { profile } = await cdp.send('Profiler.stop')
      console.log(topFunctions(profile as unknown as CpuProfile))
      // PROFILE=dir: each open's profile is kept too, for DevTools or a script of one's own.
      if (process.env.PROFILE !== '1') writeFileSync(path.join(process.env.PROFILE!, `open-${++profilesWritten}.cpuprofile`), JSON.stringify(profile))
    }
    const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
    await cdp.send('Tracing.end')
    await done
    return events
  }
}

function topFunctions(profile: CpuProfile): string {
  const { self, total, label, parent, byId } = profileTimes(profile)
  // PARENTS_OF=name: the call chains (4 callers up) that spent time in that function.
  const chains = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      if (byId.get(at)!.callFrame.functionName !== process.env.PARENTS_OF) continue
      const chain: string[] = []
      for (let up = parent.get(at); up !== undefined && chain.length < 6; up = parent.get(up)) chain.push(label(up))
      chains.set(chain.join(' < '), (chains.get(chain.join(' < ')) ?? 0) + ms)
      break
    }
  })
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${name}`)
  return ['self:', ...top(self, 40), 'total:', ...top(total, 160), 'callers:', ...top(chains, 12)].join('\n')
}

/** COUNTS=1: how many times the open called the functions named in COUNTS_OF (exact, from V8's coverage). */
async function printCounts(cdp: CDPSession): Promise<void> {
  const { result } = await cdp.send('Profiler.takePreciseCoverage')
  const wanted = (process.env.COUNTS_OF ?? '').split(',').filter(Boolean)
  const counts = new Map<string, number>()
  for (const script of result) {
    if (!script.url.includes('/assets/')) continue
    for (const fn of script.functions) {
      if (wanted.length > 0 && !wanted.includes(fn.functionName)) continue
      const count = fn.ranges[0]?.count ?? 0
      if (count > 0) counts.set(fn.functionName, (counts.get(fn.functionName) ?? 0) + count)
    }
  }
  const rows = [...counts].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.COUNTS_TOP ?? 60))
  console.log(rows.map(([name, n]) => `${String(n).padStart(9)}  ${name || '(anonymous)'}`).join('\n'))
}

/** Navigation → what the ED scenario waits for; then the client's own marks. */
async function open(context: BrowserContext, url: string, figures: number, sections: number | null): Promise<{ page: Page; ms: number; trace: string; marks: string }> {
  const created = performance.now()
  const page = await context.newPage()
  const newPageMs = performance.now() - created
  const cdp = await context.newCDPSession(page)
  const stop = await startTrace(cdp)
  if (process.env.COUNTS) {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.startPreciseCoverage', { callCount: true, detailed: true })
  }
  const t0 = performance.now()
  await page.goto(url)
  // As the ED scenario waits (native queries in the page: Playwright's locator engine ran on the page's
  // main thread, 50–140 ms of the CPU this tool measured per open).
  await waitUntilOpen(page, figures, sections)
  const ms = performance.now() - t0
  if (process.env.COUNTS) await printCounts(cdp)
  const trace = summarize(await stop())
  await cdp.detach()
  const marks = await page.evaluate(`(() => {
    const at = (ms) => (ms === undefined ? '–' : String(Math.round(ms)))
    const mark = (name) => performance.getEntriesByName(name)[0]?.startTime
    const n = performance.getEntriesByType('navigation')[0]
    return 'DCL ' + at(n?.domContentLoadedEventEnd) + ', local copy ' + at(mark('huigao:local-copy-loaded')) + ', synced ' + at(mark('huigao:server-synced')) + ', editor ' + at(mark('huigao:editor-created'))
  })()`)
  // What this browser keeps of the report in IndexedDB (y-indexeddb: one entry per stored update).
  const stored = await page.evaluate(`new Promise((resolve) => {
    const name = 'huigao:' + location.pathname.split('/').pop()
    const open = indexedDB.open(name)
    open.onsuccess = () => {
      const all = open.result.transaction('updates').objectStore('updates').getAll()
      all.onsuccess = () => resolve(all.result.length + ' entries, ' + Math.round(all.result.reduce((n, u) => n + u.byteLength, 0) / 1024) + ' kB')
      all.onerror = () => resolve('unreadable')
    }
    open.onerror = () => resolve('unreadable')
  })`)
  return { page, ms, trace: `${trace}; IndexedDB ${String(stored)}`, marks: `newPage ${newPageMs.toFixed(0)} ms, ${String(marks)}` }
}

buildClient()
const server = await ServerProcess.start(huigao)
const browser = await launchBenchChromium()
try {
  const base = `http://127.0.0.1:${server.port}`
  const [name, ...value] = server.headers.cookie.split('=')
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } })
  await context.addCookies([{ name, value: value.join('='), url: base }])
  const id = await server.createDocument('50页述职报告', report(25))
  const page = await context.newPage()
  await page.goto(`${base}/d/${id}`)
  await page.getByTestId('unfilled-count').filter({ hasText: '500' }).waitFor({ timeout: 60_000 })
  await page.getByTestId('mode-switcher').getByRole('button', { name: '建议', exact: true }).click()
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('F8')
    await page.keyboard.type(String(i + 1))
  }
  await page.getByTestId('mode-switcher').getByRole('button', { name: '编辑', exact: true }).click()
  await page.waitForTimeout(1000)
  await page.close()
  const largeId = await server.createDocument('100页述职报告', report(50))
  // 15 sections at all levels per sample (the outline lists them all), as the ED scenario counts them.
  const sections = 15 * 50
  for (let rep = 0; rep < REPS; rep++) {
    const skipLarge = process.env.ONLY === '50'
    if (!skipLarge) {
      if (rep === 0) await (await open(context, `${base}/d/${largeId}`, 1000, sections)).page.close()
      const large = await open(context, `${base}/d/${largeId}`, 1000, sections)
      console.log(`100 pages: ${large.ms.toFixed(0)} ms; ${large.marks}; ${large.trace}`)
      if (rep === 0 && process.env.SHOT) await large.page.screenshot({ path: process.env.SHOT })
      await large.page.close()
    }
    if (process.env.ONLY !== '100') {
      const fifty = await open(context, `${base}/d/${id}`, 500, null)
      console.log(`50 pages: ${fifty.ms.toFixed(0)} ms; ${fifty.marks}; ${fifty.trace}`)
      await fifty.page.close()
    }
  }
} finally {
  await browser.close()
  await server.dispose()
}

/**
 * Where the CPU of opening the 100-page report goes, machine-wide: Huigao's open (as ED times it) and
 * the bare editor's (ED's reference), each N times in a fresh tab after one warm-up, with the CPU
 * time every process used during the open, read from /proc (the renderers split by thread: main,
 * V8's worker pool, IO, compositor). On two cores everything the open makes any process do competes
 * with the page's main thread, which a trace of the page alone does not show.
 *   npx tsx bench/tools/open-cpu.ts                 (N=4, COPIES=50)
 *   BENCH_BROWSER_UI=1 npx tsx bench/tools/open-cpu.ts   (with the browser's per-window interface, bench/lib/browser.ts)
 */
import { readdirSync, readFileSync } from 'node:fs'
import type { BrowserContext, Page } from '@playwright/test'
import { launchBenchChromium } from '../lib/browser'
import { cpuSecondsOfStat } from '../lib/proc'
import { fiftyPageReport, figuresIn, routeBareOpen, sectionsIn, waitUntilBareOpen } from '../scenarios/editor'
import { waitUntilOpen } from '../scenarios/openCriterion'
import { huigao } from '../servers/huigao'
import { ServerProcess } from '../servers/process'

const N = Number(process.env.N ?? 4)
const COPIES = Number(process.env.COPIES ?? 50)
const read = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return null // the process or thread ended meanwhile
  }
}

/** CPU ms so far of a /proc/…/stat line. */
const cpuMsOf = (stat: string): number => cpuSecondsOfStat(stat) * 1000

/** The thread's name in a /proc/<pid>/task/<tid>/stat line (the main thread is named after the program). */
const threadNameOf = (stat: string): string => stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/^chromium$/, 'main')

/** What a process is, for grouping: Chromium's process type (renderers by thread), else its command. */
function labelOf(cmdline: string): string {
  if (!cmdline.includes('chromium')) return cmdline.replace(/\0/g, ' ').slice(0, 60).trim() || '(kernel or unnamed)'
  const type = /--type=([a-z-]+)/.exec(cmdline)?.[1] ?? 'browser'
  const sub = /--utility-sub-type=([A-Za-z.]+)/.exec(cmdline)?.[1]
  return `chromium ${type}${sub ? ` ${sub}` : ''}`
}

/** CPU ms so far per process (per thread in renderers), keyed by pid (pid.tid) with its label. */
function snapshot(): Map<string, { ms: number; label: string }> {
  const result = new Map<string, { ms: number; label: string }>()
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    const cmdline = read(`/proc/${pid}/cmdline`)
    const stat = read(`/proc/${pid}/stat`)
    if (cmdline === null || stat === null) continue
    const label = labelOf(cmdline)
    if (label !== 'chromium renderer') {
      result.set(pid, { ms: cpuMsOf(stat), label })
      continue
    }
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const threadStat = read(`/proc/${pid}/task/${tid}/stat`)
      if (threadStat) result.set(`${pid}.${tid}`, { ms: cpuMsOf(threadStat), label: `${label} [${threadNameOf(threadStat)}]` })
    }
  }
  return result
}

/** Opens `N + 1` fresh tabs with `open`, and prints the wall time of the last N and their CPU per process. */
async function measure(title: string, context: BrowserContext, open: (page: Page) => Promise<void>): Promise<void> {
  const perLabel = new Map<string, number>()
  const walls: number[] = []
  for (let run = 0; run <= N; run++) {
    const before = snapshot()
    const page = await context.newPage()
    const started = performance.now()
    await open(page)
    const wall = performance.now() - started
    // Read before the tab closes: its renderer ends with it.
    const after = snapshot()
    await page.close()
    if (run === 0) continue // the warm-up: the browser's cache filled
    walls.push(wall)
    for (const [key, { ms, label }] of after) {
      const used = ms - (before.get(key)?.ms ?? 0)
      if (used > 0) perLabel.set(label, (perLabel.get(label) ?? 0) + used)
    }
  }
  console.log(`\n${title}: opens ${walls.map((ms) => ms.toFixed(0)).join(', ')} ms; CPU per open:`)
  const rows = [...perLabel].sort((a, b) => b[1] - a[1])
  for (const [label, ms] of rows) if (ms / N >= 5) console.log(`${(ms / N).toFixed(0).padStart(7)} ms  ${label}`)
  console.log(`${(rows.reduce((sum, [, ms]) => sum + ms, 0) / N).toFixed(0).padStart(7)} ms  all processes`)
}

const server = await ServerProcess.start(huigao)
const browser = await launchBenchChromium()
try {
  const id = await server.createDocument('100页述职报告', fiftyPageReport(COPIES))
  const base = `http://127.0.0.1:${server.port}`
  const [name, ...value] = server.headers.cookie.split('=')
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } })
  await context.addCookies([{ name, value: value.join('='), url: base }])
  await measure(`Huigao, ${COPIES} samples`, context, async (page) => {
    await page.goto(`${base}/d/${id}`)
    await waitUntilOpen(page, figuresIn(COPIES), sectionsIn(COPIES))
  })
  const bare = await browser.newContext({ viewport: { width: 1600, height: 1000 } })
  const { url, blocks } = await routeBareOpen(bare, COPIES)
  await measure('bare Tiptap editor, same text', bare, async (page) => {
    await page.goto(url)
    await waitUntilBareOpen(page, blocks)
  })
} finally {
  await browser.close()
  await server.stop()
}

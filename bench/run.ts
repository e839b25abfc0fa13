/**
 * Sync-server benchmark runner: every scenario against Huigao, the reference y-websocket server and
 * Hocuspocus, one after another on this machine, servers pinned to core 0 and this load generator
 * to core 1 (when taskset exists).
 *
 *   npm run bench            full run (3 repetitions, < 15 min), writes bench/results/<date>.{json,md}
 *   npm run bench:quick      quick run (1 repetition, short), writes bench/results/<date>-quick.{json,md}
 *   options: --only=W1,W4  --servers=huigao,yws  --reps=N  --no-save  --out=FILE (the JSON, also for partial runs)
 */
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { hasTaskset, killAllChildren, LOADGEN_CORE, pinSelf, cpuModel, SERVER_CORE } from './lib/proc'
import { combine, printScenario, printSummary, writeJson, writeReport, type BenchReport, type RunRecord, type ScenarioReport } from './lib/report'
import { within } from './lib/util'
import { SCENARIOS } from './registry'
import { SERVER_ORDER, SERVERS, type ServerId } from './servers'
import type { Metrics } from './types'

const args = process.argv.slice(2)
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const quick = args.includes('--quick')
const only = option('only')?.toUpperCase().split(',')
const serverFilter = option('servers')?.split(',') as ServerId[] | undefined
const out = option('out')
const repsOverride = option('reps') ? Number(option('reps')) : undefined
const save = !args.includes('--no-save')

const started = Date.now()
const pinned = pinSelf(LOADGEN_CORE)
const pinning = pinned
  ? `servers pinned to core ${SERVER_CORE}, load generator to core ${LOADGEN_CORE} (taskset)`
  : hasTaskset
    ? 'taskset found but pinning failed: UNPINNED'
    : 'taskset not found: UNPINNED'
console.log(`Huigao sync-server benchmark (${quick ? 'quick' : 'full'}); ${pinning}`)

const scenarios = SCENARIOS.filter((s) => !only || only.includes(s.id))
const reports: ScenarioReport[] = []

for (const scenario of scenarios) {
  const servers = (scenario.servers ?? SERVER_ORDER).filter((id) => !serverFilter || serverFilter.includes(id))
  const reps = repsOverride ?? scenario.reps(quick)
  const runs: RunRecord[] = []
  console.log(`\n▶ ${scenario.id} ${scenario.title}: ${scenario.describe(quick)}`)
  for (let rep = 0; rep < reps; rep++) {
    // Rotate the order each repetition so no server always runs first (or last).
    const order = servers.map((_, i) => servers[(i + rep) % servers.length])
    for (const id of order) {
      const t0 = performance.now()
      const ctx = { quick, rep, log: (m: string) => console.log(`    [${scenario.id} ${SERVERS[id].label}] ${m}`) }
      const record: RunRecord = { server: id, rep, seconds: 0 }
      try {
        record.metrics = await within(scenario.run(SERVERS[id], ctx), scenario.timeoutMs(quick), `${scenario.id} on ${SERVERS[id].label}`)
      } catch (error) {
        record.error = error instanceof Error ? error.message : String(error)
        killAllChildren()
      }
      record.seconds = (performance.now() - t0) / 1000
      runs.push(record)
      console.log(`  rep ${rep + 1}/${reps} ${SERVERS[id].label}: ${record.error ? `ERROR ${record.error}` : brief(record.metrics!)} (${record.seconds.toFixed(1)} s)`)
    }
  }
  const combined: Partial<Record<ServerId, Metrics>> = {}
  for (const id of servers) {
    const ok = runs.filter((r) => r.server === id && r.metrics).map((r) => r.metrics!)
    if (ok.length > 0) combined[id] = combine(ok, scenario.metrics)
  }
  const report: ScenarioReport = {
    id: scenario.id,
    title: scenario.title,
    description: scenario.describe(quick),
    reps,
    servers,
    metrics: scenario.metrics,
    combined,
    runs,
    targets: combined.huigao
      ? scenario.targets.map((t) => ({ label: t.label, issue: t.issue, ...t.check(combined.huigao!, combined.yws, combined) }))
      : scenario.targets.map((t) => ({ label: t.label, issue: t.issue, ok: null, detail: 'Huigao not measured' })),
    notes: scenario.notes ?? [],
  }
  reports.push(report)
  printScenario(report)
}

const report: BenchReport = {
  date: new Date().toISOString().slice(0, 10),
  mode: quick ? 'quick' : 'full',
  startedAt: new Date(started).toISOString(),
  durationSeconds: (Date.now() - started) / 1000,
  machine: {
    cpus: os.cpus().length,
    cpuModel: cpuModel(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    pinned: pinning,
  },
  servers: Object.fromEntries((Object.keys(SERVERS) as ServerId[]).map((id) => [id, `${SERVERS[id].label} (${SERVERS[id].version})`])) as Record<ServerId, string>,
  scenarios: reports,
}
printSummary(report)
if (save && !only && !serverFilter) {
  const files = writeReport(report, path.join(path.dirname(fileURLToPath(import.meta.url)), 'results'))
  console.log(`\nwrote ${path.relative(process.cwd(), files.json)} and ${path.relative(process.cwd(), files.md)}`)
} else if (save && !out) {
  console.log('\n(partial run: results files not written; --out=FILE writes its JSON)')
}
if (out) {
  writeJson(report, path.resolve(out))
  console.log(`\nwrote ${out}`)
}
console.log(`total ${((Date.now() - started) / 1000).toFixed(0)} s`)
killAllChildren()
process.exit(0)

function brief(m: Metrics): string {
  return Object.entries(m)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'boolean')
    .slice(0, 8)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(2)) : v}`)
    .join(' ')
}

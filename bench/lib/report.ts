/** Combining repetitions, the printed table and the results files (JSON + Markdown). */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { REFERENCE, SERVERS, type ServerId } from '../servers'
import { fmt, type MetricDef, type Metrics, type TargetResult, type Value } from '../types'
import { median } from './stats'

export interface RunRecord {
  server: ServerId
  rep: number
  seconds: number
  metrics?: Metrics
  error?: string
}

export interface ScenarioReport {
  id: string
  title: string
  description: string
  reps: number
  servers: ServerId[]
  metrics: MetricDef[]
  combined: Partial<Record<ServerId, Metrics>>
  runs: RunRecord[]
  targets: Array<{ label: string; issue?: number } & TargetResult>
  notes: string[]
}

export interface BenchReport {
  date: string
  mode: 'quick' | 'full'
  startedAt: string
  durationSeconds: number
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; pinned: string }
  servers: Record<ServerId, string>
  scenarios: ScenarioReport[]
}

/** Combines one server's repetitions metric by metric (median unless the metric says otherwise). */
export function combine(runs: Metrics[], defs: MetricDef[]): Metrics {
  const out: Metrics = {}
  const keys = new Set(runs.flatMap((r) => Object.keys(r)))
  for (const key of keys) {
    const values = runs.map((r) => r[key]).filter((v) => v !== undefined) as Value[]
    const how = defs.find((d) => d.key === key)?.combine ?? 'median'
    const numbers = values.filter((v): v is number => typeof v === 'number')
    if (values.some((v) => typeof v === 'boolean')) out[key] = values.every((v) => v === true)
    else if (numbers.length > 0 && numbers.length === values.length) {
      const finite = numbers.filter(Number.isFinite)
      if (finite.length === 0) out[key] = NaN
      else out[key] = how === 'max' ? Math.max(...finite) : how === 'min' ? Math.min(...finite) : median(finite)
    } else out[key] = values.find((v) => v !== null && v !== '') ?? null
  }
  return out
}

function cell(def: MetricDef, m: Metrics | undefined, ref: Metrics | undefined, isRef: boolean): string {
  if (!m) return 'error'
  const v = m[def.key]
  const text = fmt(v ?? null, def.digits ?? 1)
  if (isRef || def.better === 'none' || typeof v !== 'number' || !Number.isFinite(v)) return text
  const r = ref?.[def.key]
  if (typeof r !== 'number' || !Number.isFinite(r) || r === 0) return text
  return `${text} (${fmt(v / r, 2)}×)`
}

function rows(s: ScenarioReport): string[][] {
  const header = ['metric', ...s.servers.map((id) => SERVERS[id].label + (id === REFERENCE ? ' (ref)' : ''))]
  const ref = s.combined[REFERENCE]
  const body = s.metrics.map((def) => [
    def.label + (def.unit ? ` (${def.unit})` : ''),
    ...s.servers.map((id) => cell(def, s.combined[id], ref, id === REFERENCE)),
  ])
  return [header, ...body]
}

function errorsOf(s: ScenarioReport): string[] {
  return s.runs.filter((r) => r.error).map((r) => `${SERVERS[r.server].label} rep ${r.rep + 1}: ${r.error}`)
}

function extraNotes(s: ScenarioReport): string[] {
  const notes: string[] = []
  for (const id of s.servers) {
    const m = s.combined[id]
    for (const [key, value] of Object.entries(m ?? {})) {
      if (key.endsWith('Detail') && typeof value === 'string' && value) notes.push(`${SERVERS[id].label}: ${value}`)
    }
  }
  return notes
}

const mark = (ok: boolean | null) => (ok === null ? '–' : ok ? '✔' : '✘')

export function printScenario(s: ScenarioReport): void {
  const table = rows(s)
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => [...r[c]].length)))
  const line = (r: string[]) => r.map((v, c) => v + ' '.repeat(widths[c] - [...v].length)).join('  ')
  console.log(`\n${s.id} ${s.title} — ${s.description} (${s.reps > 1 ? `median of ${s.reps} repetitions` : '1 repetition'})`)
  console.log(line(table[0]))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const r of table.slice(1)) console.log(line(r))
  for (const t of s.targets) console.log(`  ${mark(t.ok)} target (Huigao) ${t.label}: ${t.detail}`)
  for (const n of [...s.notes, ...extraNotes(s)]) console.log(`  note: ${n}`)
  for (const e of errorsOf(s)) console.log(`  ERROR ${e}`)
}

/** The targets set by an issue, across scenarios, in run order: the issue's "done when" at a glance. */
export function issueTargets(report: BenchReport): Map<number, Array<{ scenario: string; label: string } & TargetResult>> {
  const byIssue = new Map<number, Array<{ scenario: string; label: string } & TargetResult>>()
  for (const s of report.scenarios) {
    for (const t of s.targets) {
      if (t.issue === undefined) continue
      byIssue.set(t.issue, [...(byIssue.get(t.issue) ?? []), { scenario: s.id, label: t.label, ok: t.ok, detail: t.detail }])
    }
  }
  return byIssue
}

const verdict = (ok: boolean | null) => (ok === null ? '– not measured' : ok ? '✔ met' : '✘ not met')

export function toMarkdown(report: BenchReport): string {
  const out: string[] = []
  out.push(`# Sync-server benchmark — ${report.date} (${report.mode})`, '')
  out.push(
    `Node ${report.machine.node}, ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGb} GiB; ${report.machine.pinned}. ` +
      `Run took ${Math.round(report.durationSeconds)} s. Servers: ${Object.values(report.servers).join(', ')}. ` +
      `Ratios in parentheses are relative to the reference y-websocket server. Produced by \`npm run bench${report.mode === 'quick' ? ':quick' : ''}\`.`,
    '',
  )
  for (const [issue, targets] of issueTargets(report)) {
    out.push(`## Issue ${issue} targets (ratios measured in this run)`, '', '| scenario | target | measured | |', '| --- | --- | --- | --- |')
    for (const t of targets) out.push(`| ${t.scenario} | ${t.label} | ${t.detail} | ${verdict(t.ok)} |`)
    out.push('')
  }
  for (const s of report.scenarios) {
    out.push(`## ${s.id} ${s.title}`, '', `${s.description} (${s.reps > 1 ? `median of ${s.reps} repetitions` : '1 repetition'}).`, '')
    const table = rows(s)
    out.push(`| ${table[0].join(' | ')} |`, `| ${table[0].map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`)
    for (const r of table.slice(1)) out.push(`| ${r.join(' | ')} |`)
    out.push('')
    for (const t of s.targets) out.push(`- ${mark(t.ok)} **${t.label}** (Huigao): ${t.detail}`)
    for (const n of [...s.notes, ...extraNotes(s)]) out.push(`- note: ${n}`)
    for (const e of errorsOf(s)) out.push(`- ERROR ${e}`)
    out.push('')
  }
  return out.join('\n')
}

export function writeReport(report: BenchReport, dir: string): { json: string; md: string } {
  mkdirSync(dir, { recursive: true })
  const base = path.join(dir, report.mode === 'quick' ? `${report.date}-quick` : report.date)
  const json = `${base}.json`
  const md = `${base}.md`
  writeJson(report, json)
  writeFileSync(md, toMarkdown(report) + '\n')
  return { json, md }
}

/** The report as JSON (non-finite numbers as null). */
export function writeJson(report: BenchReport, file: string): void {
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, JSON.stringify(report, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n')
}

/** Compact summary: each scenario's targets, one line each. */
export function printSummary(report: BenchReport): void {
  console.log('\nTargets (Huigao):')
  for (const s of report.scenarios) for (const t of s.targets) console.log(`  ${mark(t.ok)} ${s.id} ${t.label}: ${t.detail}`)
  for (const [issue, targets] of issueTargets(report)) {
    console.log(`\nIssue ${issue} targets:`)
    for (const t of targets) console.log(`  ${verdict(t.ok)}  ${t.scenario} ${t.label}: ${t.detail}`)
  }
}


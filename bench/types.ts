/** The scenario registry's shapes: what a scenario measures and how the report shows it. */
import type { ServerId, ServerSpec } from './servers'

export type Value = number | string | boolean | null
export type Metrics = Record<string, Value>

export interface RunContext {
  quick: boolean
  /** 0-based repetition. */
  rep: number
  log(message: string): void
}

export interface MetricDef {
  key: string
  label: string
  unit?: string
  /** For the ratio column: which direction is better; 'none' shows no ratio. */
  better: 'lower' | 'higher' | 'none'
  digits?: number
  /** How repetitions combine: median (default), worst case, or all-true for booleans. */
  combine?: 'median' | 'max' | 'min' | 'all'
}

export interface TargetResult {
  /** null: not applicable / not measured. */
  ok: boolean | null
  detail: string
}

export interface TargetDef {
  label: string
  /** The issue whose goal this is (e.g. 18): such targets are also listed together, first, in the report. */
  issue?: number
  /** Judged on Huigao's combined metrics, with the reference server's for relative targets (and every server's). */
  check(huigao: Metrics, reference: Metrics | undefined, all: Partial<Record<ServerId, Metrics>>): TargetResult
}

export interface Scenario {
  id: string
  title: string
  /** What the quick and full runs do, for the report header. */
  describe(quick: boolean): string
  reps(quick: boolean): number
  /** Servers this scenario runs against (default: all three). */
  servers?: ServerId[]
  /** Upper bound for one run against one server (the runner aborts it after this). */
  timeoutMs(quick: boolean): number
  metrics: MetricDef[]
  targets: TargetDef[]
  /** Starts whatever servers it needs from `spec`, measures, and disposes of them. */
  run(spec: ServerSpec, ctx: RunContext): Promise<Metrics>
  notes?: string[]
}

/** Helper for targets of the form "metric ≤ limit". */
export function atMost(key: string, limit: number, unit = ''): (m: Metrics) => TargetResult {
  return (m) => {
    const v = m[key]
    if (typeof v !== 'number' || !Number.isFinite(v)) return { ok: null, detail: `${key} not measured` }
    return { ok: v <= limit, detail: `${fmt(v)}${unit} vs ≤ ${limit}${unit}` }
  }
}

export function atLeast(key: string, limit: number, unit = ''): (m: Metrics) => TargetResult {
  return (m) => {
    const v = m[key]
    if (typeof v !== 'number' || !Number.isFinite(v)) return { ok: null, detail: `${key} not measured` }
    return { ok: v >= limit, detail: `${fmt(v)}${unit} vs ≥ ${limit}${unit}` }
  }
}

export function fmt(v: Value, digits = 1): string {
  if (v === null || v === undefined) return 'n/a'
  if (typeof v === 'boolean') return v ? 'yes' : 'NO'
  if (typeof v === 'string') return v
  if (!Number.isFinite(v)) return 'n/a'
  if (Number.isInteger(v) && Math.abs(v) >= 100) return v.toLocaleString('en-US')
  return (Math.round(v * 10 ** digits) / 10 ** digits).toLocaleString('en-US', { maximumFractionDigits: digits })
}

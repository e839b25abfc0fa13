/** Pieces shared by several scenarios: document names, metric lists, relative targets. */
import { randomBytes } from 'node:crypto'
import type { ServerProcess } from '../servers/process'
import type { MetricDef, Metrics, TargetDef, TargetResult } from '../types'
import { fmt } from '../types'

/** A fresh document: created through the API where the server has one, else just a new name. */
export async function docNameFor(server: ServerProcess, title: string, text?: string): Promise<string> {
  if (server.spec.createDocument) return server.createDocument(title, text)
  return `bench-${randomBytes(6).toString('hex')}`
}

export const latencyMetrics: MetricDef[] = [
  { key: 'p50', label: 'latency p50', unit: 'ms', better: 'lower', digits: 2 },
  { key: 'p95', label: 'latency p95', unit: 'ms', better: 'lower', digits: 2 },
  { key: 'p99', label: 'latency p99', unit: 'ms', better: 'lower', digits: 2 },
  { key: 'max', label: 'latency max', unit: 'ms', better: 'lower', digits: 1 },
]

export const loadMetrics: MetricDef[] = [
  { key: 'inPerSec', label: 'updates in', unit: '/s', better: 'none', digits: 0 },
  { key: 'outPerSec', label: 'update messages out', unit: '/s', better: 'none', digits: 0 },
  { key: 'lost', label: 'lost receipts', better: 'lower', digits: 0, combine: 'max' },
  { key: 'duplicated', label: 'duplicated receipts', better: 'lower', digits: 0, combine: 'max' },
  { key: 'fullClientsOk', label: 'full clients’ final text exact', better: 'none', combine: 'all' },
  { key: 'cpu', label: 'server CPU', unit: '% core', better: 'lower', digits: 0 },
  { key: 'cpuUsPerKeystroke', label: 'server CPU time per keystroke (incl. its fan-out)', unit: 'µs', better: 'lower', digits: 0 },
  { key: 'eldP99', label: 'server event-loop delay p99', unit: 'ms', better: 'lower', digits: 1 },
  { key: 'eldMax', label: 'server event-loop delay max', unit: 'ms', better: 'lower', digits: 1, combine: 'max' },
  { key: 'rssMb', label: 'server RSS', unit: 'MB', better: 'lower', digits: 0 },
  { key: 'loadgenEldP99', label: 'load generator event-loop delay p99', unit: 'ms', better: 'none', digits: 1 },
  { key: 'loadgenEldMax', label: 'load generator event-loop delay max', unit: 'ms', better: 'none', digits: 1, combine: 'max' },
  { key: 'loadgenCpu', label: 'load generator CPU', unit: '% core', better: 'none', digits: 0 },
  { key: 'serverWait', label: 'server main thread waiting for a CPU', unit: '% of time', better: 'none', digits: 1 },
  { key: 'loadgenWait', label: 'load generator waiting for a CPU', unit: '% of time', better: 'none', digits: 1 },
]

/** Huigao's `key` ÷ the reference's, judged by `meets`, the ratio in the detail. */
function ratioTarget(key: string, meets: (ratio: number) => boolean): (m: Metrics, ref: Metrics | undefined) => TargetResult {
  return (m, ref) => {
    const v = m[key]
    const r = ref?.[key]
    if (typeof v !== 'number' || typeof r !== 'number' || !Number.isFinite(v) || !Number.isFinite(r) || r <= 0) {
      return { ok: null, detail: 'reference not measured' }
    }
    return { ok: meets(v / r), detail: `${fmt(v / r, 2)}× (${fmt(v, 2)} vs ${fmt(r, 2)})` }
  }
}

/** "Huigao's `key` ≤ factor × the reference's". */
export const ratioAtMost = (key: string, factor: number) => ratioTarget(key, (ratio) => ratio <= factor)

/** "Huigao's `key` ≥ factor × the reference's" (throughput). */
export const ratioAtLeast = (key: string, factor: number) => ratioTarget(key, (ratio) => ratio >= factor)

/** The PostgreSQL backend against the file backend: "metric of huigao-pg ≤ factor × huigao's". */
export function postgresRatioAtMost(key: string, factor: number): TargetDef['check'] {
  return (files, _reference, all) => ratioAtMost(key, factor)(all['huigao-pg'] ?? {}, files)
}

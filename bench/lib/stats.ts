/** Latency samples and summary statistics. */

/** A growable list of samples (milliseconds); percentiles by sorting once. */
export class Samples {
  private data = new Float64Array(1024)
  private n = 0
  private sorted: Float64Array | null = null

  add(value: number): void {
    if (this.n === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.n++] = value
    this.sorted = null
  }

  get count(): number {
    return this.n
  }

  /** Nearest-rank percentile, p in [0, 100]; NaN when empty. */
  percentile(p: number): number {
    if (this.n === 0) return NaN
    this.sorted ??= this.data.slice(0, this.n).sort()
    const rank = Math.min(this.n - 1, Math.max(0, Math.ceil((p / 100) * this.n) - 1))
    return this.sorted[rank]
  }

  get max(): number {
    return this.percentile(100)
  }

  summary(): LatencySummary {
    return { count: this.n, p50: this.percentile(50), p95: this.percentile(95), p99: this.percentile(99), max: this.max }
  }
}

export interface LatencySummary {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
}

export function median(values: number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  if (finite.length === 0) return NaN
  const mid = finite.length >> 1
  return finite.length % 2 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2
}

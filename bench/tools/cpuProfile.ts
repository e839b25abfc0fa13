// Reading Chromium CPU profiles (CDP Profiler.stop) for the editor profiling tools. To run
// profile-open.ts in an older checkout, copy this file next to it as well.

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>
  samples: number[]
  timeDeltas: number[]
}

export interface ProfileTimes {
  /** Script time per function ("name file:line"), in ms: in the function itself, and including what it called. */
  self: Map<string, number>
  total: Map<string, number>
  /** "name file:line" of a profile node. */
  label: (id: number) => string
  /** The caller of a node, if any. */
  parent: Map<number, number>
  byId: Map<number, CpuProfile['nodes'][number]>
}

/** Self and total (inclusive, each function once per sample even when recursive) time per function. */
export function profileTimes(profile: CpuProfile): ProfileTimes {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const label = (id: number) => {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame
    return `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`
  }
  const self = new Map<string, number>()
  const total = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000
    self.set(label(id), (self.get(label(id)) ?? 0) + ms)
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(at)
      if (seen.has(name)) continue
      seen.add(name)
      total.set(name, (total.get(name) ?? 0) + ms)
    }
  })
  return { self, total, label, parent, byId }
}

/** A Chromium trace event (Tracing.start / dataCollected), the fields the tools read. */
export interface TraceEvent {
  name: string
  ph: string
  ts: number
  dur?: number
  /** Thread (CPU) time, which another process's load does not inflate. */
  tdur?: number
  tid: number
  pid: number
  args?: { data?: { frame?: string; url?: string; type?: string; functionName?: string } }
}

/**
 * Self time per name in ms (each event's duration less its direct children's), found with a stack of
 * the events still open. `sorted`: complete events of one thread, by start, the longer first on a tie.
 */
export function selfTimes(sorted: TraceEvent[], nameOf: (e: TraceEvent) => string = (e) => e.name): Map<string, number> {
  const self = new Map<string, number>()
  const stack: Array<{ name: string; end: number; own: number }> = []
  const close = (upTo: number) => {
    while (stack.length > 0 && stack[stack.length - 1].end <= upTo) {
      const done = stack.pop()!
      self.set(done.name, (self.get(done.name) ?? 0) + done.own / 1000)
    }
  }
  for (const e of sorted) {
    close(e.ts)
    if (stack.length > 0) stack[stack.length - 1].own -= e.dur!
    stack.push({ name: nameOf(e), end: e.ts + e.dur!, own: e.dur! })
  }
  close(Infinity)
  return self
}

/** The events no other event of the thread encloses: the tasks the main thread ran. */
export function topLevel(sorted: TraceEvent[]): TraceEvent[] {
  const out: TraceEvent[] = []
  let end = -Infinity
  for (const e of sorted) {
    if (e.ts < end) continue
    out.push(e)
    end = e.ts + e.dur!
  }
  return out
}

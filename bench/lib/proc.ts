/**
 * Child processes, CPU pinning and /proc readings. Every child is tracked and killed when the
 * load generator exits, whatever the reason.
 */
import { spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'

const children = new Set<ChildProcess>()

export function track(child: ChildProcess): void {
  children.add(child)
  child.once('exit', () => children.delete(child))
}

export function killAllChildren(): void {
  for (const child of children) {
    try {
      child.kill('SIGKILL')
    } catch {
      // already gone
    }
  }
  children.clear()
}

process.on('exit', killAllChildren)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAllChildren()
    process.exit(130)
  })
}

/** Whether `taskset` (util-linux) is available. */
export const hasTaskset: boolean = (() => {
  try {
    return spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0
  } catch {
    return false
  }
})()

export const SERVER_CORE = 0
export const LOADGEN_CORE = 1

/** Pins every thread of this process to `cores` (a core or a taskset list such as "0-1"); returns whether it worked. */
export function pinSelf(cores: number | string): boolean {
  if (!hasTaskset) return false
  return spawnSync('taskset', ['-a', '-p', '-c', String(cores), String(process.pid)], { stdio: 'ignore' }).status === 0
}

/** Every core of this machine, as a taskset list. */
export const ALL_CORES = `0-${Math.max(0, availableParallelism() - 1)}`

/** The command line that starts `args` (after the node binary) pinned to `core` when possible. */
export function pinnedNode(core: number, args: string[]): { command: string; args: string[] } {
  if (hasTaskset) return { command: 'taskset', args: ['-c', String(core), process.execPath, ...args] }
  return { command: process.execPath, args }
}

const CLOCK_TICKS: number = (() => {
  const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })
  const value = Number(out.stdout?.trim())
  return Number.isFinite(value) && value > 0 ? value : 100
})()

/** CPU seconds (user + system) the process has used, from /proc/<pid>/stat; NaN if unreadable. */
export function cpuSeconds(pid: number): number {
  try {
    return cpuSecondsOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return NaN
  }
}

/** CPU seconds (user + system) of a /proc/<pid>/stat or /proc/<pid>/task/<tid>/stat line. */
export function cpuSecondsOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
}

/**
 * Scheduler statistics of the process's main thread (/proc/<pid>/schedstat): seconds on a CPU and
 * seconds runnable but waiting for one — the latter shows when other work on the machine starved it.
 */
export function schedSeconds(pid: number): { run: number; wait: number } {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number)
    return { run: run / 1e9, wait: wait / 1e9 }
  } catch {
    return { run: NaN, wait: NaN }
  }
}

/** Resident and peak resident memory in MB, from /proc/<pid>/status. */
export function memoryMb(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN)
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 }
  } catch {
    return { rss: NaN, peak: NaN }
  }
}

/** CPU model line for the report. */
export function cpuModel(): string {
  try {
    return /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

import { randomBytes } from 'node:crypto'
import os from 'node:os'
import pino from 'pino'

/**
 * This process among the cluster's processes: in every log line, and the owner written on the leases
 * of the documents it serves. HUIGAO_INSTANCE names it (e.g. the host and slot of a deployment); by
 * default the host, the process id and a random part, so that a restarted process with the same pid
 * is never taken for its predecessor.
 */
export const INSTANCE_ID = process.env.HUIGAO_INSTANCE || `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`

/**
 * Under Vitest the lines go to the console as plain text by level (error/warn/info), as before pino:
 * tests that check what a failure logs spy on console.error, and test output stays readable.
 */
function consoleDestination(): pino.DestinationStream {
  return {
    write(line: string) {
      const { level, msg, err, component, time: _time, pid: _pid, hostname: _host, instance: _instance, ...rest } = JSON.parse(line) as Record<string, unknown>
      const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : ''
      const text = `${component ? `[${String(component)}] ` : ''}${String(msg ?? '')}${err ? `: ${(err as { message?: string }).message}` : ''}${extra}`
      if ((level as number) >= 50) console.error(text)
      else if ((level as number) >= 40) console.warn(text)
      else console.log(text)
    },
  }
}

/**
 * Structured logs (JSON lines on stdout, one object per event) with the process id (pid) and the
 * instance, so the lines of several processes can be merged and told apart. LOG_LEVEL sets the level.
 */
export const logger = pino(
  { level: process.env.LOG_LEVEL || 'info', base: { pid: process.pid, hostname: os.hostname(), instance: INSTANCE_ID } },
  process.env.VITEST ? consoleDestination() : undefined,
)

/** A logger whose lines say which part of the server wrote them. */
export function componentLogger(component: string): pino.Logger {
  return logger.child({ component })
}

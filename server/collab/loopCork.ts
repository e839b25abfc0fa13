import type { Socket } from 'node:net'

const corked = new Set<Socket>()
let flushScheduled = false

function uncorkAll(): void {
  flushScheduled = false
  for (const socket of corked) socket.uncork()
  corked.clear()
}

/**
 * Holds a socket's writes until the end of this event-loop iteration, so that everything sent to it
 * while handling the messages read in one poll (several people's keystrokes and carets) goes out in
 * one write. One setImmediate flushes every corked socket: a fan-out to 500 sockets schedules one
 * callback, not 500.
 */
export function corkUntilLoopEnd(socket: Socket): void {
  if (corked.has(socket)) return
  socket.cork()
  corked.add(socket)
  if (!flushScheduled) {
    flushScheduled = true
    setImmediate(uncorkAll)
  }
}

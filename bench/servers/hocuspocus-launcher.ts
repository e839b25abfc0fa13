/**
 * Starts @hocuspocus/server 3.4.4 (4.x declares Node ≥ 22) for the benchmark: defaults throughout, no extensions (so no
 * Throttle and no persistence), listening on 127.0.0.1:$PORT. Run: node --import tsx <this file>.
 */
import { Server } from '@hocuspocus/server'

const port = Number(process.env.PORT ?? 1234)
const server = new Server({ port, address: '127.0.0.1', quiet: true, extensions: [] })
await server.listen()
console.log(`hocuspocus listening on 127.0.0.1:${port}`)

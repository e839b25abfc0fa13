import { readFileSync } from 'node:fs'
import type { ServerSpec } from './spec'

const pkg = JSON.parse(readFileSync(new URL('../../node_modules/@y/websocket-server/package.json', import.meta.url), 'utf8')) as { version: string }

/**
 * The reference y-websocket server for Yjs 13 (@y/websocket-server), its own `src/server.js`
 * unchanged. Without YPERSISTENCE it keeps documents in memory only and never unloads them.
 */
export const yws: ServerSpec = {
  id: 'yws',
  label: 'y-websocket',
  dialect: 'yws',
  persistent: false,
  unloads: false,
  version: `@y/websocket-server ${pkg.version}`,
  nodeArgs: ['node_modules/@y/websocket-server/src/server.js'],
  env: (port) => ({ PORT: String(port), HOST: '127.0.0.1' }),
  socketUrl: (port, docName) => `ws://127.0.0.1:${port}/${encodeURIComponent(docName)}`,
  providerUrl: (port) => `ws://127.0.0.1:${port}`,
}

import { readFileSync } from 'node:fs'
import type { ServerSpec } from './spec'

const pkg = JSON.parse(readFileSync(new URL('../../node_modules/@hocuspocus/server/package.json', import.meta.url), 'utf8')) as { version: string }

/**
 * @hocuspocus/server with no extensions (no Throttle, no store), started by hocuspocus-launcher.ts.
 * Without a store extension documents live in memory and are unloaded when the last client leaves.
 */
export const hocuspocus: ServerSpec = {
  id: 'hocuspocus',
  label: 'Hocuspocus',
  dialect: 'hocuspocus',
  persistent: false,
  unloads: true,
  version: `@hocuspocus/server ${pkg.version}`,
  nodeArgs: ['--import', 'tsx', 'bench/servers/hocuspocus-launcher.ts'],
  env: (port) => ({ PORT: String(port) }),
  socketUrl: (port) => `ws://127.0.0.1:${port}`,
  providerUrl: (port) => `ws://127.0.0.1:${port}`,
}

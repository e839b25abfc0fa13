import { readFileSync } from 'node:fs'
import { buildServer, SERVER_ENTRY } from '../../scripts/build-server.mjs'
import type { ServerSpec } from './spec'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }

/** The bench signs in as the administrator that a new data directory gets (it owns what it creates). */
const ADMIN_PASSWORD = 'bench-admin-password'

/** Huigao's own server, started the way production starts it. */
export const huigao: ServerSpec = {
  id: 'huigao',
  label: 'Huigao',
  dialect: 'yws',
  persistent: true,
  unloads: true,
  version: pkg.version,
  nodeArgs: [SERVER_ENTRY],
  /** Builds the server when its sources changed (what `npm start` runs). */
  async prepare() {
    await buildServer()
    return {}
  },
  env: (port, dataDir) => ({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, SEED_SAMPLE: '0', ADMIN_PASSWORD }),
  socketUrl: (port, docName) => `ws://127.0.0.1:${port}/collab/${encodeURIComponent(docName)}`,
  providerUrl: (port) => `ws://127.0.0.1:${port}/collab`,
  async signIn(port) {
    const response = await fetch(`http://127.0.0.1:${port}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    })
    const cookie = response.headers.get('set-cookie')?.split(';')[0]
    if (response.status !== 200 || !cookie) throw new Error(`POST /api/login: ${response.status} ${await response.text()}`)
    return { cookie }
  },
  async createDocument(port, headers, title, text) {
    const response = await fetch(`http://127.0.0.1:${port}/api/documents`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(text === undefined ? { title } : { title, text }),
    })
    if (response.status !== 201) throw new Error(`POST /api/documents: ${response.status} ${await response.text()}`)
    return ((await response.json()) as { id: string }).id
  },
}

// Builds the client when client/dist is missing or older than any source it is built from.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SOURCES = ['client/src', 'client/index.html', 'client/vite.config.ts', 'shared', 'package-lock.json']

/** The newest modification time under `target` (a file or folder), skipping paths `keep` refuses. */
export function newestMtime(target, keep = () => true) {
  if (!existsSync(target) || !keep(target)) return 0
  const stat = statSync(target)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry), keep))
  return newest
}

export function clientIsStale() {
  const built = path.join(root, 'client/dist/index.html')
  if (!existsSync(built)) return true
  const builtAt = statSync(built).mtimeMs
  return SOURCES.some((source) => newestMtime(path.join(root, source)) > builtAt)
}

export function buildClient({ force = false } = {}) {
  if (!force && !clientIsStale()) return
  console.log('Building the client…')
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'client/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  })
  if (result.status !== 0) throw new Error('Client build failed')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildClient({ force: process.argv.includes('--force') })

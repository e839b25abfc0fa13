// Builds the server into server/dist/ (plain ES modules, the packages left in node_modules) when it
// is missing or older than any source it is built from.
//
// Why: run through tsx, every module of the server and of its packages goes through tsx's loader
// hooks, which run on a thread of their own in Node 20; a start took ~2.4 s, nearly all of it
// resolving and loading modules. The built server starts in well under a second, which is what
// `npm start` after a restart, every end-to-end test and every cluster process gain. tsx stays for
// the compaction worker's entry and for scripts and tests, which run the sources.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { newestMtime } from './build-client.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const OUT_DIR = path.join(root, 'server/dist')
/** The built server's entry: what `npm start` and the tests' server processes run. */
export const SERVER_ENTRY = path.join(OUT_DIR, 'main.mjs')
const SOURCES = ['server', 'shared', 'package-lock.json', 'tsconfig.json']

/** Where the build was made: it names its sources by absolute URL (below), so a moved copy is stale. */
const BUILT_AT = path.join(OUT_DIR, 'root.txt')

export function serverIsStale() {
  if (!existsSync(SERVER_ENTRY) || !existsSync(BUILT_AT) || readFileSync(BUILT_AT, 'utf8') !== root) return true
  const builtAt = statSync(SERVER_ENTRY).mtimeMs
  return SOURCES.some((source) => newestMtime(path.join(root, source), (entry) => entry !== OUT_DIR) > builtAt)
}

/**
 * Each module keeps its own `import.meta.url`. The server finds files next to its sources through it
 * (the sample report, migrations, fontconfig, the compaction worker's entry); in one bundle they would
 * all name server/dist/ instead. esbuild has no option for this, hence the small plugin.
 */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined
      const source = readFileSync(args.path, 'utf8')
      if (!source.includes('import.meta.url')) return undefined
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' }
    })
  },
}

/** The build under way in this process: servers started together (the cluster tests' three) wait for one build. */
let building = null

/** Builds the server when stale (or `force`); resolves to the entry to run. One build at a time per process. */
export function buildServer({ force = false } = {}) {
  if (!force && !building && !serverIsStale()) return Promise.resolve(SERVER_ENTRY)
  building ??= buildNow().finally(() => (building = null))
  return building
}

async function buildNow() {
  // Chunks are named by hash: the ones of an earlier build would stay behind.
  rmSync(OUT_DIR, { recursive: true, force: true })
  await build({
    absWorkingDir: root,
    entryPoints: { main: 'server/main.ts' },
    outdir: OUT_DIR,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // The PostgreSQL backend (pg, node-pg-migrate) is imported only when configured: a chunk of its own.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [ownImportMetaUrl],
  })
  writeFileSync(BUILT_AT, root)
  return SERVER_ENTRY
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer({ force: process.argv.includes('--force') })

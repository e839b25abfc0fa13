// Makes sure PostgreSQL's server binaries (initdb, pg_ctl, postgres) are present for the tests that
// start a throwaway cluster; installs Debian's postgresql with apt-get when they are missing (CI runs
// on a fresh machine). Prints the directory holding them as the last line of stdout.
//   node scripts/ensure-postgres.mjs            find or install, print the bin directory
//   node scripts/ensure-postgres.mjs --no-install  find only (exit 1 when missing)
import { aptInstallWithoutServices } from './lib/aptInstall.mjs'
import { existsSync, readdirSync, realpathSync } from 'node:fs'
import path from 'node:path'

/** initdb on PATH first (a symlink is followed to its real directory), then Debian's versioned directories, newest first. */
function findBinDir() {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const initdb = path.join(dir, 'initdb')
    if (dir && existsSync(initdb)) {
      const real = path.dirname(realpathSync(initdb))
      if (existsSync(path.join(real, 'pg_ctl'))) return real
    }
  }
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a))
  for (const version of versions) {
    const dir = path.join(root, version, 'bin')
    if (existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return dir
  }
  return undefined
}

function install() {
  // The package's own cluster (port 5432) is not started: the tests start a throwaway one of their own.
  console.error("PostgreSQL (initdb) not found: installing Debian's postgresql with apt-get (its service is not started)…")
  aptInstallWithoutServices(['postgresql'])
}

let binDir = findBinDir()
if (!binDir && !process.argv.includes('--no-install')) {
  try {
    install()
  } catch (error) {
    console.error(`Installing postgresql failed: ${error.message}`)
  }
  binDir = findBinDir()
}
if (!binDir) {
  console.error('PostgreSQL server binaries (initdb, pg_ctl) are missing.')
  process.exit(1)
}
console.log(binDir)

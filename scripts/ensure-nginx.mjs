// Makes sure an nginx binary is present for the cluster tests (several Huigao processes behind the
// shipped deploy/nginx/huigao.conf); installs Debian's nginx with apt-get when it is missing (CI runs on
// a fresh machine). The package's own service is not started: the tests run their own nginx on
// 127.0.0.1 with their own files. Prints the binary's path as the last line of stdout.
//   node scripts/ensure-nginx.mjs              find or install, print the path
//   node scripts/ensure-nginx.mjs --no-install   find only (exit 1 when missing)
import { existsSync } from 'node:fs'
import path from 'node:path'
import { aptInstallWithoutServices } from './lib/aptInstall.mjs'

function findNginx() {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin']
  for (const dir of dirs) {
    const candidate = path.join(dir, 'nginx')
    if (dir && existsSync(candidate)) return candidate
  }
  return undefined
}

function install() {
  console.error("nginx not found: installing Debian's nginx with apt-get (its service is not started)…")
  aptInstallWithoutServices(['nginx'])
}

let nginx = findNginx()
if (!nginx && !process.argv.includes('--no-install')) {
  try {
    install()
  } catch (error) {
    console.error(`Installing nginx failed: ${error.message}`)
  }
  nginx = findNginx()
}
if (!nginx) {
  console.error('nginx is missing.')
  process.exit(1)
}
console.log(nginx)

// Makes sure an nginx binary is present for the cluster tests (several Huigao processes behind the
// shipped deploy/nginx/huigao.conf); installs Debian's nginx with apt-get when it is missing (CI runs on
// a fresh machine). The package's own service is not started: the tests run their own nginx on
// 127.0.0.1 with their own files. Prints the binary's path as the last line of stdout.
//   node scripts/ensure-nginx.mjs              find or install, print the path
//   node scripts/ensure-nginx.mjs --no-install   find only (exit 1 when missing)
import { execSync } from 'node:child_process'
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

function findNginx() {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin']
  for (const dir of dirs) {
    const candidate = path.join(dir, 'nginx')
    if (dir && existsSync(candidate)) return candidate
  }
  return undefined
}

// invoke-rc.d and deb-systemd-invoke ask policy-rc.d whether a package may start its service: 101 = no.
// Written only for the install and only when the machine has none of its own.
const POLICY = '/usr/sbin/policy-rc.d'

function install() {
  console.error("nginx not found: installing Debian's nginx with apt-get (its service is not started)…")
  const root = process.getuid?.() === 0
  const sudo = root ? '' : 'sudo '
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const stdio = ['ignore', process.stderr, process.stderr]
  const ownPolicy = root && !existsSync(POLICY)
  if (ownPolicy) writeFileSync(POLICY, '#!/bin/sh\nexit 101\n', { mode: 0o755 })
  try {
    execSync(`${sudo}apt-get update -qq`, { stdio, env })
    execSync(`${sudo}apt-get install -y -qq --no-install-recommends nginx`, { stdio, env })
  } finally {
    if (ownPolicy) rmSync(POLICY, { force: true })
  }
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

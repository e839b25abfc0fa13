// Installs Debian packages for the test tools (CI runs on a fresh machine) without starting their
// services: the tests run their own nginx and PostgreSQL on 127.0.0.1, on free ports, and stop them.
import { execSync } from 'node:child_process'
import { existsSync, rmSync, writeFileSync } from 'node:fs'

// invoke-rc.d and deb-systemd-invoke ask policy-rc.d whether a package may start its service: 101 = no.
// Written only for the install and only when the machine has none of its own.
const POLICY = '/usr/sbin/policy-rc.d'

/**
 * `apt-get install` of `packages` as root (or through sudo), output on stderr so that a script's stdout
 * carries only its answer. Throws when apt-get fails.
 */
export function aptInstallWithoutServices(packages) {
  const root = process.getuid?.() === 0
  const sudo = root ? '' : 'sudo '
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const stdio = ['ignore', process.stderr, process.stderr]
  const ownPolicy = root && !existsSync(POLICY)
  if (ownPolicy) writeFileSync(POLICY, '#!/bin/sh\nexit 101\n', { mode: 0o755 })
  try {
    execSync(`${sudo}apt-get update -qq`, { stdio, env })
    execSync(`${sudo}apt-get install -y -qq --no-install-recommends ${packages.join(' ')}`, { stdio, env })
  } finally {
    if (ownPolicy) rmSync(POLICY, { force: true })
  }
}

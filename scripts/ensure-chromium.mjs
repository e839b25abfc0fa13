// Makes sure Debian's Chromium and CJK fonts are present for the end-to-end tests; installs them
// with apt-get when missing (Playwright must never download a browser of its own).
import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

function hasCjkFont() {
  try {
    return execSync('fc-list :lang=zh family', { encoding: 'utf8' }).trim().length > 0
  } catch {
    return false
  }
}

const missing = []
if (!existsSync(CHROMIUM)) missing.push('chromium')
if (!hasCjkFont()) missing.push('fonts-noto-cjk')

if (missing.length > 0) {
  console.log(`Installing ${missing.join(', ')} with apt-get…`)
  const sudo = process.getuid?.() === 0 ? '' : 'sudo '
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execSync(`${sudo}apt-get update -qq`, { stdio: 'inherit', env })
  execSync(`${sudo}apt-get install -y -qq --no-install-recommends ${missing.join(' ')}`, { stdio: 'inherit', env })
}
if (!existsSync(CHROMIUM)) {
  console.error(`Chromium is still missing at ${CHROMIUM}`)
  process.exit(1)
}

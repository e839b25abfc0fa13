// Makes sure the PDF export can be produced and checked in the official look: LibreOffice (soffice,
// headless), poppler-utils (pdffonts/pdftoppm for the tests) and free fonts close to the GB/T 9704 faces:
// the Fandol fonts (FandolFang 仿宋, FandolKai 楷体, FandolHei 黑体, FandolSong 宋体/小标宋), which Debian
// ships only inside texlive-lang-chinese. That package depends on most of TeX Live, so its .deb is
// downloaded with apt-get and only the Fandol OpenType files are copied out (to /usr/local/share/fonts).
//
// Installs with apt-get as root (or through sudo). When it cannot, it says so and exits with status 1,
// so `npm test` reports the PDF checks as not run instead of passing them silently.
import { execSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const FANDOL_DIR = '/usr/local/share/fonts/fandol'
/** Fandol's Bold cuts declare a regular weight; this scan rule corrects it so LibreOffice finds the bold title face. */
const WEIGHT_RULE = new URL('../server/export/fontconfig/60-huigao-fandol.conf', import.meta.url).pathname
const WEIGHT_RULE_TARGET = '/etc/fonts/conf.d/60-huigao-fandol.conf'
export const FANDOL_FAMILIES = ['FandolFang', 'FandolKai', 'FandolHei', 'FandolSong']

const has = (command) => {
  try {
    execSync(`command -v ${command}`, { stdio: 'ignore', shell: '/bin/sh' })
    return true
  } catch {
    return false
  }
}

const fontFamilies = () => {
  try {
    return execSync('fc-list : family', { encoding: 'utf8' })
  } catch {
    return ''
  }
}

const missingFandol = () => FANDOL_FAMILIES.filter((family) => !fontFamilies().includes(family))

const boldWeightKnown = () => {
  try {
    return execSync("fc-list 'FandolSong:weight=200' family", { encoding: 'utf8' }).trim() !== ''
  } catch {
    return false
  }
}

function installWeightRule(sudo) {
  execSync(`${sudo}cp ${WEIGHT_RULE} ${WEIGHT_RULE_TARGET}`)
  execSync(`${sudo}fc-cache -f ${FANDOL_DIR}`, { stdio: 'inherit' })
}

function apt(sudo, args) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execSync(`${sudo}apt-get ${args}`, { stdio: 'inherit', env })
}

function installFandol(sudo) {
  const work = mkdtempSync(path.join(os.tmpdir(), 'fandol-'))
  try {
    execSync('apt-get download texlive-lang-chinese', { cwd: work, stdio: 'inherit' })
    const deb = readdirSync(work).find((name) => name.endsWith('.deb'))
    if (!deb) throw new Error('apt-get download gave no .deb')
    execSync(`dpkg-deb -x ${deb} extracted`, { cwd: work, stdio: 'inherit' })
    const found = execSync(`find extracted -iname 'Fandol*.otf'`, { cwd: work, encoding: 'utf8' }).split('\n').filter(Boolean)
    if (found.length === 0) throw new Error('texlive-lang-chinese holds no Fandol*.otf')
    if (sudo) execSync(`${sudo}mkdir -p ${FANDOL_DIR}`)
    else mkdirSync(FANDOL_DIR, { recursive: true })
    for (const file of found) {
      if (sudo) execSync(`${sudo}cp ${path.join(work, file)} ${FANDOL_DIR}/`)
      else copyFileSync(path.join(work, file), path.join(FANDOL_DIR, path.basename(file)))
    }
    execSync(`${sudo}fc-cache -f ${FANDOL_DIR}`, { stdio: 'inherit' })
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

export function ensureOfficeFonts() {
  const packages = []
  if (!has('soffice') && !has('libreoffice')) packages.push('libreoffice-writer-nogui')
  if (!has('pdffonts') || !has('pdftoppm')) packages.push('poppler-utils')
  if (!has('fc-list')) packages.push('fontconfig')
  const needFandol = missingFandol().length > 0
  if (packages.length === 0 && !needFandol && boldWeightKnown()) return { ok: true }

  const root = process.getuid?.() === 0
  const sudo = root ? '' : has('sudo') ? 'sudo -n ' : null
  if (sudo === null) {
    return { ok: false, reason: `missing ${[...packages, ...(needFandol ? ['Fandol fonts'] : []), 'the Fandol weight rule'].join(', ')} and not root (no sudo) to install them` }
  }
  try {
    apt(sudo, 'update -qq')
    if (packages.length > 0) {
      console.log(`Installing ${packages.join(', ')} with apt-get…`)
      apt(sudo, `install -y -qq --no-install-recommends ${packages.join(' ')}`)
    }
    if (missingFandol().length > 0) {
      console.log('Installing the Fandol fonts (from texlive-lang-chinese)…')
      installFandol(sudo)
    }
    if (!boldWeightKnown()) installWeightRule(sudo)
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) }
  }
  const still = missingFandol()
  if (still.length > 0) return { ok: false, reason: `fonts still missing after install: ${still.join(', ')}` }
  if (!boldWeightKnown()) return { ok: false, reason: 'FandolSong Bold still has no bold weight in fontconfig' }
  if (!has('soffice') && !has('libreoffice')) return { ok: false, reason: 'soffice still missing after install' }
  return { ok: true }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = ensureOfficeFonts()
  if (!result.ok) {
    console.error(`PDF export prerequisites NOT available: ${result.reason}. The PDF tests will fail, not be skipped.`)
    process.exit(1)
  }
  console.log('PDF export prerequisites present: soffice, pdffonts, Fandol fonts.')
}

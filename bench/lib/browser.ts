/**
 * Chromium for the benchmarks that measure the editor in a browser (ED and bench/tools/profile-*).
 */
import { chromium, type Browser } from '@playwright/test'

/** The flags the tests launch Debian's Chromium with (e2e/playwright.config.ts). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/**
 * The browser's own window interface, which headless Chromium 156 builds again for every new tab:
 * the address bar's suggestion popup (a WebUI page in a renderer of its own) and the preloading of
 * such pages. Measured with bench/tools/open-cpu.ts, it took 2.5–3 s of CPU per opened tab, on the two
 * cores the opened page needs (the bare editor's 100-page open: 1.0 s with it, 0.55 s without). A
 * person's browser builds it once per window, not once per report opened, so the benchmarks turn it
 * off; BENCH_BROWSER_UI=1 keeps it (as every run before 2026-12-03 10:30 had it).
 */
export const WINDOW_UI_FEATURES = ['PreloadTopChromeWebUI', 'WebUIOmniboxPopup', 'WebUIOmniboxAimPopup', 'WebUIOmniboxFullPopup']

const executablePath = () => process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/**
 * Chromium with CHROMIUM_ARGS and, unless BENCH_BROWSER_UI=1, WINDOW_UI_FEATURES disabled.
 * Chromium keeps only the last `--disable-features` it is given, and Playwright passes its own list
 * (PaintHolding among them, which changes when pages paint): a first launch reads that list from the
 * browser (`--enable-automation` lets CDP return the command line) so that the second gets both.
 */
export async function launchBenchChromium(): Promise<Browser> {
  if (process.env.BENCH_BROWSER_UI === '1') return chromium.launch({ executablePath: executablePath(), args: CHROMIUM_ARGS })
  const probe = await chromium.launch({ executablePath: executablePath(), args: [...CHROMIUM_ARGS, '--enable-automation'] })
  let playwrightDefaults: string[]
  try {
    const session = await probe.newBrowserCDPSession()
    const { arguments: args } = await session.send('Browser.getBrowserCommandLine')
    playwrightDefaults = disabledFeatures(args)
  } finally {
    await probe.close()
  }
  const features = [...new Set([...playwrightDefaults, ...WINDOW_UI_FEATURES])]
  return chromium.launch({ executablePath: executablePath(), args: [...CHROMIUM_ARGS, `--disable-features=${features.join(',')}`] })
}

/** The features the last `--disable-features` of a command line turns off (the one Chromium keeps). */
export function disabledFeatures(commandLine: string[]): string[] {
  const last = commandLine.filter((arg) => arg.startsWith('--disable-features=')).at(-1)
  return last ? last.slice('--disable-features='.length).split(',').filter((name) => name !== '') : []
}

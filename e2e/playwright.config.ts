import { defineConfig } from '@playwright/test'

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  globalSetup: './globalSetup.ts',
  timeout: 120_000,
  expect: { timeout: 10_000 },
  // Every test starts its own server; two at a time suits a 2-core machine (four, or tests rather than
  // files spread over the two, took as long or longer: 9.6 and 9.7 min against 8.8).
  workers: 2,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: '../.tmp/playwright.json' }]],
  outputDir: '../test-results',
  use: {
    headless: true,
    viewport: { width: 1400, height: 900 },
    locale: 'zh-CN',
    screenshot: 'only-on-failure',
    // A trace records every action's DOM and a screencast: ~40 % more time for every test, passed or
    // not, and CI keeps none of it. E2E_TRACE=1 records one for each failing test again (test-results/).
    trace: process.env.E2E_TRACE === '1' ? 'retain-on-failure' : 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
})

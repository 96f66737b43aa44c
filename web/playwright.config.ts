// End-to-end tests: Debian's Chromium against the real corphub binary, which
// e2e/global-setup.ts starts on a free port and e2e/global-teardown.ts stops.
import { defineConfig } from '@playwright/test'

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  globalSetup: './e2e/global-setup.ts',
  globalTeardown: './e2e/global-teardown.ts',
  // The machine has 2 cores; both projects share the one server.
  workers: 2,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: 'list',
  // The console's longer flows (seed, several dialogs, reads back through the API) take 20-35 s
  // on this 2-core machine with two browsers and the server sharing it.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    // Set by global setup before the workers start (they read this file again).
    baseURL: process.env.CORPHUB_BASE_URL,
    // A fixed default so that nothing depends on the machine's own language.
    locale: 'en-US',
    browserName: 'chromium',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Never a downloaded browser: Debian's chromium package.
      executablePath: process.env.CORPHUB_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    {
      name: 'phone',
      use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 },
      // The server contract checks need no browser; run them once, under desktop.
      testIgnore: /server\.spec\.ts$/,
    },
    {
      name: 'desktop',
      use: { viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false },
    },
  ],
})

// e2e suite: Debian's Chromium (no `playwright install`: nothing can be
// downloaded here) + the local Kamailio (global-setup.mjs) + a static server
// for the pages and SDK builds (lib/static-server.mjs).
// Always run inside the loopback-only namespace:
//   scripts/netns-run.sh npx playwright test -c e2e/playwright.config.ts
import { defineConfig } from '@playwright/test';
import { CHROMIUM_PATH, CHROMIUM_ARGS } from './lib/chromium.mjs';

const WEB_PORT = Number(process.env.WEB_PORT || 25088);

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,                 // 2 cores; a call test drives 2 browser contexts; one shared Kamailio
  fullyParallel: false,
  // CI (CI=true) runs a failed test once more: on 2 shared cores a browser
  // call can miss a deadline now and then, and one such miss must not fail
  // the whole run. A test that passes only on its retry is reported as flaky,
  // and scripts/test.sh names it in the summary; one that fails twice fails.
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  globalSetup: './global-setup.mjs',   // starts Kamailio on 127.0.0.1, returns the teardown
  webServer: {
    command: `node lib/static-server.mjs ${WEB_PORT}`,   // cwd = this directory
    url: `http://127.0.0.1:${WEB_PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 10_000,
    stdout: 'ignore',
  },
  use: {
    baseURL: `http://localhost:${WEB_PORT}`,
    browserName: 'chromium',
    headless: true,
    ignoreHTTPSErrors: true,   // Kamailio's self-signed wss://localhost:25443
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
});

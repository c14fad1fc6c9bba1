// Run: scripts/netns-run.sh npx playwright test -c e2e/rc-scenarios/playwright.config.ts
// SDK under test: WWP_SDK=rc (published ringcentral-web-phone, default) or WWP_SDK=ours.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_PATH, CHROMIUM_ARGS } from '../lib/chromium.mjs';

export default defineConfig({
  testDir: './tests',
  timeout: 40_000,
  expect: { timeout: 10_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list']],
  outputDir: '../../test-results/rc-scenarios',
  globalSetup: './global-setup.mjs',
  use: {
    browserName: 'chromium',
    headless: true,
    ignoreHTTPSErrors: true,
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
});

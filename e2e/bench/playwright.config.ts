// Benchmarks that need a browser and the SIP server (not tests): the same
// setup as e2e/playwright.config.ts, with this folder as testDir.
//   scripts/netns-run.sh npx playwright test -c e2e/bench/playwright.config.ts
import base from '../playwright.config';
import { defineConfig } from '@playwright/test';

export default defineConfig({
  ...base,
  testDir: '.',
  timeout: 180_000,
  globalSetup: '../global-setup.mjs',
  webServer: { ...(base.webServer as object), command: (base.webServer as { command: string }).command.replace('lib/', '../lib/') } as never,
});

// The example app's Playwright config, as an app developer writes it with the kit:
// the kit's fixture brings the test server, the far side, Chromium's flags and
// the audio check; this file says what the test server serves and which SDKs run.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  reporter: [['list']],
  outputDir: './test-results',
  use: {
    serve: {
      '/app/': './app',
      '/sdk/ours/': './node_modules/wasm-web-phone/dist',
      '/sdk/rc/': './node_modules/ringcentral-web-phone/dist',
    },
  },
  // The same flows with each SDK: the app switched by changing its script.
  projects: [
    { name: 'wasm-web-phone', use: { sdk: 'ours' } },
    { name: 'ringcentral-web-phone', use: { sdk: 'rc' } },
  ],
});

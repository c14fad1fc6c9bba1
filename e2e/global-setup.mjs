// Playwright globalSetup for the e2e suite:
//  1. refuses to run outside the loopback-only network namespace (the RC SDK
//     puts every host candidate into its SDP, and the network rule is that
//     nothing the tests start may reach another address);
//  2. starts this namespace's Kamailio through scripts/kamailio.sh (unless
//     E2E_EXTERNAL_SIP=1, or one is already running there, which is reused)
//     and returns the teardown that stops it again.
import fs from 'node:fs';
import { startKamailio, stopKamailio } from './lib/kamailio.mjs';

function nonLoopbackInterfaces() {
  return fs.readFileSync('/proc/net/dev', 'utf8').split('\n').slice(2)
    .map((l) => l.split(':')[0].trim()).filter((n) => n && n !== 'lo');
}

export default async function globalSetup() {
  const others = nonLoopbackInterfaces();
  if (others.length) {
    throw new Error(`e2e tests must run in a loopback-only network namespace (found ${others.join(', ')}).\n` +
      'Run: scripts/netns-run.sh npx playwright test -c e2e/playwright.config.ts');
  }
  if (process.env.E2E_EXTERNAL_SIP === '1') return undefined;
  const t0 = Date.now();
  const { alreadyRunning, message } = await startKamailio();
  console.log(`[global-setup] ${message}${alreadyRunning ? ' (reused; not stopped at the end)' : ''} [${Date.now() - t0} ms]`);
  return async () => {
    if (!alreadyRunning) console.log(`[global-teardown] ${await stopKamailio()}`);
  };
}

// Starts one rc-edge for the whole run, as its own process (scripts/rc-edge.sh,
// through e2e/lib/rc-edge.mjs), so that tests can kill, restart, stop and
// resume it from outside the page (recovery.spec.ts). Its control port serves
// the test pages + SDK builds. It starts with an empty state file; its log is
// in the run dir (rc-edge.log). Refuses to run outside the loopback-only
// network namespace (scripts/netns-run.sh).
import { startRcEdge, stopRcEdge, rcEdgeRunDir } from '../lib/rc-edge.mjs';

export default async function globalSetup() {
  if (!process.env.WWP_IN_NETNS) {
    throw new Error('rc-scenarios must run inside the loopback-only netns: scripts/netns-run.sh npx playwright test -c e2e/rc-scenarios/playwright.config.ts');
  }
  const { alreadyRunning, message } = await startRcEdge({ fresh: true });
  console.log(`[global-setup] ${message}${alreadyRunning ? ' (reused; not stopped at the end)' : ''} (run dir ${rcEdgeRunDir()})`);
  return async () => {
    if (!alreadyRunning) console.log(`[global-teardown] ${await stopRcEdge()}`);
  };
}

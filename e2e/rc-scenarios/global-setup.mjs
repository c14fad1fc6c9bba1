// Starts one rc-edge for the whole run (in the runner process) and serves the
// test pages + SDK builds from its control port. Refuses to run outside the
// loopback-only network namespace (scripts/netns-run.sh).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEdge } from '../rc-edge/edge.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

export default async function globalSetup() {
  if (!process.env.WWP_IN_NETNS) {
    throw new Error('rc-scenarios must run inside the loopback-only netns: scripts/netns-run.sh npx playwright test -c e2e/rc-scenarios/playwright.config.ts');
  }
  const edge = await startEdge({
    wsPort: Number(process.env.RC_EDGE_WS_PORT ?? 16080),
    wssPort: Number(process.env.RC_EDGE_WSS_PORT ?? 16443),
    httpPort: Number(process.env.RC_EDGE_HTTP_PORT ?? 16081),
    debug: process.env.RC_EDGE_DEBUG === '1',
    static: {
      '/rc/': path.join(repo, 'node_modules', 'ringcentral-web-phone', 'dist'),
      '/dist/': path.join(repo, 'dist'),
      '/': path.join(here, 'pages'),
    },
  });
  return async () => { await edge.close(); };
}

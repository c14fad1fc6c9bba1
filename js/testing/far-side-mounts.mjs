// @ts-check
/**
 * Where the test server finds the far side's page: the package's dist/ (the
 * page runs the package's own script-tag build, dist/iife, with
 * dist/sip-core.wasm) and the page itself (dist/testing/pages). The kit runs
 * from dist/testing/, so dist/ is one level up.
 * @module wasm-web-phone/testing/far-side-mounts
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The far side's extension number (added to the server's extensions). */
export const FAR_SIDE_EXT = '199';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Static mounts for the test server: /kit/far-side.html and what it loads. */
export function farSideMounts() {
  return { '/kit/dist/': DIST, '/kit/': path.join(DIST, 'testing', 'pages') };
}

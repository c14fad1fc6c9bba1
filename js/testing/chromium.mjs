// @ts-check
/**
 * Chromium for WebRTC tests without a network or a person (README "Testing
 * your app"), shared by the kit's fixture and the project's own e2e suites.
 * - background-networking/component-update/sync off: a test machine may have
 *   no network, and Chromium would otherwise keep trying to reach Google.
 * - fake media: a fake microphone and camera, permission granted without a prompt.
 * - allow-loopback-in-peer-connection: with only a loopback interface (a CI
 *   sandbox, a network namespace), ICE gathering never completes without it.
 * - WebRtcHideLocalIpsWithMdns off: plain 127.0.0.1 candidates, no *.local.
 * - autoplay without a gesture: the kit's tone check and the far side use Web Audio.
 * @module wasm-web-phone/testing/chromium
 */
import fs from 'node:fs';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--autoplay-policy=no-user-gesture-required',
];

/** Distribution builds of Chromium, used when Playwright has not downloaded its own. */
const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome'];

/**
 * The browser to launch: `CHROMIUM_PATH` if set, else undefined when
 * Playwright's own Chromium is installed (`bundled`: its executablePath()),
 * else the first system Chromium found.
 * @param {string} [bundled]
 * @returns {string | undefined}
 */
export function chromiumExecutable(bundled) {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (bundled && fs.existsSync(bundled)) return undefined;
  return SYSTEM_CHROMIUM.find((p) => fs.existsSync(p));
}

/**
 * Playwright `launchOptions` with the flags above (and `extra` args).
 * `bundled`: Playwright's `chromium.executablePath()`; without it a system
 * Chromium is preferred even where Playwright downloaded its own.
 * @param {{bundled?: string, args?: string[]}} [o]
 */
export function launchOptions(o = {}) {
  const executablePath = chromiumExecutable(o.bundled);
  return { ...(executablePath ? { executablePath } : {}), args: [...CHROMIUM_ARGS, ...(o.args ?? [])] };
}

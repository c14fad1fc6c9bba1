// Debian's Chromium and the flags our e2e tests need on this kind of machine:
// the same flags the test kit gives apps (js/testing/chromium.mjs says why each).
export { CHROMIUM_ARGS } from '../../js/testing/chromium.mjs';
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

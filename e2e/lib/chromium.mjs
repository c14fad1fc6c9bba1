// Debian's Chromium and the flags our e2e tests need on this kind of machine:
// the test kit's flags (js/testing/chromium.mjs says why each), except that
// autoplay stays as browsers ship it, so that our own suites still notice an
// <audio> element whose playback autoplay rules would block.
import { CHROMIUM_ARGS as KIT_ARGS } from '../../js/testing/chromium.mjs';

export const CHROMIUM_ARGS = KIT_ARGS.filter((a) => !a.startsWith('--autoplay-policy='));
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

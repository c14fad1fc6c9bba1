// Phones for the JS tests that run real WebPhones from dist/ against the test
// kit's server with its fake media (README "Testing your app"): the server is
// started before the file's tests and closed after them, and every phone a
// test made is disposed when it ends. Needs a built dist/.
import { readFileSync } from 'node:fs';
import { after, afterEach, before } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
export const wasmBinary = readFileSync(`${root}/dist/sip-core.wasm`);
export const { default: WebPhone } = await import(`${root}/dist/es/index.js`);
const { startTestServer, fakeMedia, useNodeWebSocket } = await import(`${root}/dist/testing/index.mjs`);

/**
 * Registers the file's hooks; `kit.server` is the running server, and
 * `kit.phone(ext, options)` a started WebPhone of `ext` (no auto-answer)
 * with its fake media as `wp.media`.
 */
export function kitPhones(serverOptions) {
  useNodeWebSocket();
  const phones = [];
  const kit = {
    server: undefined,
    async phone(ext, options = {}) {
      const media = fakeMedia();
      const wp = new WebPhone({ sipInfo: kit.server.sipInfo(ext), webRtcSessionFactory: media.factory,
        deviceManager: media.deviceManager, wasm: { wasmBinary }, autoAnswer: false, ...options });
      wp.media = media;
      phones.push(wp);
      await wp.start();
      return wp;
    },
  };
  before(async () => { kit.server = await startTestServer({ transport: 'ws', ...serverOptions }); });
  after(() => kit.server.close());
  afterEach(() => Promise.all(phones.splice(0).map((p) => p.dispose())));
  return kit;
}

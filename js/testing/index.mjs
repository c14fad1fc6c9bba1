// @ts-check
/**
 * `wasm-web-phone/testing` (Node only; README "Testing your app"): the
 * RingCentral-compatible test server and its control API, and the fakes that
 * let a `WebPhone` run in Node. The Playwright fixture is
 * `wasm-web-phone/testing/playwright`; the command `wasm-web-phone-test-server`.
 * @module wasm-web-phone/testing
 */
export { startTestServer, connectTestServer, makeExtensions, TestServer } from './server.mjs';
export { fakeMedia, fakeVideoStream, FakeVideoTrack, FakeWebRtcSession, useNodeWebSocket } from './fakes.mjs';
export { CHROMIUM_ARGS, chromiumExecutable, launchOptions } from './chromium.mjs';

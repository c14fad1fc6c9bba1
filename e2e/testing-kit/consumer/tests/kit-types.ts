// Not a test (Playwright runs *.spec.ts only): the kit's Node API used from
// TypeScript, so that tsc checks wasm-web-phone/testing's hand-written types
// against the way an app calls them (e2e/testing-kit/run.mjs runs tsc).
import { startTestServer, connectTestServer, fakeMedia, FakeWebRtcSession, useNodeWebSocket, launchOptions, type TestServer, type TraceEntry } from 'wasm-web-phone/testing';

export async function typesInUse(): Promise<void> {
  useNodeWebSocket();
  const server: TestServer = await startTestServer({ extensions: ['101', { ext: '102', name: 'Bob' }], transport: 'ws', config: { maxInstances: 2 } });
  const again = await connectTestServer(server.httpUrl, 'wss');
  const sipInfo = again.sipInfo('101', { transport: 'ws' });
  const wsUrl: string | undefined = sipInfo.wsUrl;
  const media = fakeMedia();
  const session = new FakeWebRtcSession({ callId: 'c1', direction: 'inbound' });
  const offer: string = await session.createOffer({ iceRestart: true });
  const fromMedia = media.session('c1') ?? media.factory({ callId: 'c2', direction: 'outbound', stunServers: [] });
  const dtmf: string[] = fromMedia.dtmf.map((d) => d.tones);
  const entry: TraceEntry = await server.waitForMessage('101', 'INVITE', { dir: 'in', since: Date.now(), timeoutMs: 1000 });
  await server.failNext({ method: 'REGISTER', status: 503, retryAfter: 5, count: 1, ext: '101', inDialog: false });
  await server.rcResult('callpark', { code: 0, description: 'Succeeded', 'park extension': '801' });
  await server.drop('101', { graceful: true });
  await server.reply({ resp: 'yes', ext: '101' });
  await server.call('POST', '/api/takeover', { agent: '101' });
  const state = await server.state();
  const live: boolean[] = state.registrations.map((r) => r.live);
  const args: string[] = launchOptions({ args: ['--mute-audio'] }).args;
  void [wsUrl, offer, dtmf, entry, live, args];
  await server.close();
}

// ICE gathering options (README "ICE", issue 14): a STUN server that never
// answers must not hold the INVITE past the cap (measured for our SDK and
// for ringcentral-web-phone, whose wait is a fixed 2 s), and a relay-only
// policy whose TURN server is unreachable fails the call with a clear error
// instead of sending an SDP without candidates.
import { createSocket, type Socket } from 'node:dgram';
import { test, expect, type Phone } from '../../lib/fixtures';

/** A UDP socket on loopback that reads every STUN request and answers none. */
async function blackHole(): Promise<{ socket: Socket; port: number; received: () => number }> {
  const socket = createSocket('udp4');
  let n = 0;
  socket.on('message', () => n++);
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  return { socket, port: socket.address().port, received: () => n };
}

/** ms from call() to the INVITE handed to the socket, measured in the page (both SDKs emit outboundMessage). */
async function timeToInvite(p: Phone, callee: string): Promise<number> {
  await p.page.evaluate(() => {
    const w = window as any;
    w.inviteAt = undefined;
    w.webPhone.sipClient.on('outboundMessage', (m: any) => {
      if (w.inviteAt === undefined && String(m.subject ?? m.toString()).startsWith('INVITE ')) w.inviteAt = performance.now();
    });
    w.callAt = performance.now();
  });
  p.call(callee);
  await expect.poll(() => p.page.evaluate(() => (window as any).inviteAt), { timeout: 15_000 }).toBeDefined();
  return p.page.evaluate(() => Math.round((window as any).inviteAt - (window as any).callAt));
}

test('a STUN server that never answers delays the INVITE by the gathering cap at most', async ({ phonePage }) => {
  const stun = await blackHole();
  try {
    const stunServers = [`127.0.0.1:${stun.port}`];
    const b = await phonePage('102', { sdk: 'ours', transport: 'ws' });
    const figures: Record<string, number> = {};
    for (const [label, opts] of [
      ['ours, default cap (2000 ms)', { sdk: 'ours' as const, transport: 'ws' as const, sipInfo: { stunServers } }],
      ['ours, ice.gatheringTimeout 500', { sdk: 'ours' as const, transport: 'ws' as const, sipInfo: { stunServers }, options: { ice: { gatheringTimeout: 500 } } }],
      ['ringcentral-web-phone 2.x', { sdk: 'rc' as const, sipInfo: { stunServers } }],
    ] as const) {
      // Two calls from one page; the better one counts (the first call of a
      // page also opens the fake microphone, and this machine is shared).
      const a = await phonePage('101', opts);
      for (let rep = 0; rep < 2; rep++) {
        const before = stun.received();
        const ms = await timeToInvite(a, '102');
        figures[label] = Math.min(figures[label] ?? Infinity, ms);
        expect(stun.received(), `${label}: the STUN server was asked`).toBeGreaterThan(before);
        await b.waitForInboundCall();
        await b.page.evaluate(() => (window as any).webPhone.callSessions[0]?.decline());
        await expect.poll(() => a.sessionCount(), { timeout: 15_000 }).toBe(0);
        await b.page.evaluate(() => { (window as any).events = []; (window as any).session = undefined; });
      }
      await a.dispose();
    }
    console.log(`INVITE delay with a silent STUN server: ${JSON.stringify(figures)}`);
    expect(figures['ours, default cap (2000 ms)']).toBeLessThan(2000 + 700);
    expect(figures['ours, ice.gatheringTimeout 500']).toBeGreaterThanOrEqual(450);
    expect(figures['ours, ice.gatheringTimeout 500']).toBeLessThan(500 + 700);
  } finally {
    stun.socket.close();
  }
});

test('relay-only with an unreachable TURN server: call() fails with a clear error and sends no INVITE', async ({ phonePage }) => {
  const turn = await blackHole();
  try {
    const a = await phonePage('101', {
      sdk: 'ours', transport: 'ws',
      options: { ice: { iceTransportPolicy: 'relay', gatheringTimeout: 1500, iceServers: [{ urls: `turn:127.0.0.1:${turn.port}`, username: 'u', credential: 'p' }] } },
    });
    const started = Date.now();
    await expect(a.page.evaluate(() => (window as any).webPhone.call('102'))).rejects.toThrow(
      /ICE gathering (found no candidate within 1500 ms|ended with no candidate after \d+ ms) \(iceTransportPolicy 'relay': is the TURN server reachable/);
    expect(Date.now() - started).toBeLessThan(1500 + 2000);
    expect(turn.received(), 'the TURN server was tried').toBeGreaterThan(0);
    expect((await a.sipMessages()).some((m) => m.startsWith('>>> INVITE'))).toBe(false);
    expect(await a.sessionCount()).toBe(0);
  } finally {
    turn.socket.close();
  }
});

// autoRecover against the RingCentral-style edge (ours only: the published
// SDK never reconnects), with the fault injected from outside the page:
// - the edge drops the caller's WebSocket mid-call (POST /api/drop); the phone
//   reconnects, registers again as the same instance (the edge moves its calls
//   to the new connection, as a server with RFC 5626 flow recovery would),
//   restarts the call's media with an ICE-restart re-INVITE that the edge
//   relays to the peer, and the call goes on with one binding;
// - the edge process is killed (SIGKILL) and started again on the same ports
//   (scripts/rc-edge.sh via e2e/lib/rc-edge.mjs); it keeps registrations and
//   calls in its state file (e2e/rc-edge/store.mjs), so both phones come back
//   into the same call;
// - the edge stops answering (SIGSTOP): the RFC 5626 keep-alive, which the
//   edge answered until then, notices; after SIGCONT the phones come back.
// The same faults against Kamailio: e2e/tests/ours/recovery.spec.ts.
import { test, expect, api, SDK, callAndAnswer, audioFlows, type Phone } from './fixtures';
// @ts-ignore - plain ESM JavaScript module
import { killRcEdge, pauseRcEdge, startRcEdge, rcEdgeRunning, rcEdgeLogTail, backupRcEdge } from '../../lib/rc-edge.mjs';

type FlowEvent = { name: string; state?: string; reason?: string; server?: string; error?: string; t: number };
const flow = (p: Phone) => p.ev<FlowEvent[]>(() => (window as any).h.flow);
/** Whether `p` emitted `name` at or after `t0` (and `pred` holds for it). */
const saw = async (p: Phone, name: string, t0: number, pred: (e: FlowEvent) => boolean = () => true) =>
  (await flow(p)).some((e) => e.name === name && e.t >= t0 && pred(e));
/** The extension's bindings at the edge that are live and on an open connection. */
const liveBindings = async (ext: string) => (await api('/api/registrations')).filter((r: any) => r.ext === ext && r.live && r.connOpen);

/** The call survived: answered on both sides, audio both ways, one live binding
 *  each; then the caller hangs up and the callee's session ends (through the edge). */
async function callWentOnAndEnds(caller: Phone, callee: Phone) {
  for (const p of [caller, callee]) expect(await p.ev(() => (window as any).h.sessions[0].state)).toBe('answered');
  await audioFlows(caller);
  await audioFlows(callee);
  expect(await liveBindings('101')).toHaveLength(1);
  expect(await liveBindings('102')).toHaveLength(1);
  await caller.ev(() => (window as any).h.sessions[0].hangup());
  await expect.poll(() => callee.ev(() => (window as any).h.sessions[0].state)).toBe('disposed');
}

// Short delays, as a test can afford (README "Self-healing": defaults 1 s doubling to 10 s).
const autoRecoverFast = { reconnectDelay: 250, reconnectTimeMultiplier: 2, reconnectTimeLimit: 1000, jitter: 0.2 };

// Whatever a test did to the edge process, the next one finds it running and
// answering (this runs before the phones are disposed).
test.afterEach(async ({}, testInfo) => {
  if (SDK !== 'ours') return;
  await pauseRcEdge(false).catch(() => {});
  if (!(await rcEdgeRunning())) console.log(`[recovery] ${(await startRcEdge()).message}`);
  if (testInfo.status !== testInfo.expectedStatus) console.log(`[recovery] rc-edge log:\n${rcEdgeLogTail(60)}`);
});

test('the edge drops the caller mid-call: it registers again, the re-INVITE reaches the peer, the call goes on', async ({ phones }) => {
  test.skip(SDK !== 'ours', 'ringcentral-web-phone has no autoRecover');
  const autoRecover = { reconnectDelay: 200, reconnectTimeLimit: 1000, jitter: 0 };
  const caller = await phones('101', { autoRecover });
  const callee = await phones('102', { autoRecover });
  await callAndAnswer(caller, callee);
  await audioFlows(caller);
  const dropped = await api('/api/drop', { ext: '101' });
  expect(dropped.dropped).toHaveLength(1);
  await expect.poll(() => caller.ev(() => (window as any).h.recovery), { timeout: 10_000 }).toContain('recovered');
  await expect.poll(() => caller.ev(() => (window as any).h.sessions[0].events), { timeout: 15_000 }).toContain('mediaRecovered');
  // The re-INVITE went through the edge to the callee, whose answer came back.
  await expect.poll(() => callee.frames.some((f) => f.dir === 'inbound' && /^INVITE /.test(f.subject))).toBe(true);
  expect(await caller.ev(() => (window as any).h.sessions[0].state)).toBe('answered');
  expect(await callee.ev(() => (window as any).h.sessions[0].state)).toBe('answered');
  await audioFlows(caller);
  await audioFlows(callee);
  const regs = await api('/api/registrations');
  const mine = JSON.stringify(regs).match(/rc-scenarios-101/g) ?? [];
  expect(mine).toHaveLength(1);
  // And the call still ends normally, through the new connection.
  await caller.ev(() => (window as any).h.sessions[0].hangup());
  await expect.poll(() => callee.ev(() => (window as any).h.sessions[0].state)).toBe('disposed');
});

test('the edge process is killed mid-call (SIGKILL) and started again: both phones register again, the call and its audio go on, one binding each', async ({ phones }) => {
  test.skip(SDK !== 'ours', 'ringcentral-web-phone has no autoRecover');
  test.setTimeout(90_000);
  const caller = await phones('101', { autoRecover: autoRecoverFast });
  const callee = await phones('102', { autoRecover: autoRecoverFast });
  await callAndAnswer(caller, callee);
  await audioFlows(caller);
  await audioFlows(callee);

  const killedAt = Date.now();
  console.log(`[recovery] ${await killRcEdge()}`);
  // Each phone notices (its socket closes) and starts waiting/retrying.
  for (const p of [caller, callee]) {
    await expect.poll(() => saw(p, 'connectionStateChanged', killedAt, (e) => e.state === 'waiting'),
      { message: `${p.ext.ext} noticed the loss`, timeout: 10_000 }).toBe(true);
  }
  // Deliberate pause, part of the scenario (no state is awaited): the edge
  // stays down a while, so reconnection attempts fail meanwhile.
  await caller.page.waitForTimeout(1500);
  console.log(`[recovery] ${(await startRcEdge()).message}`);
  // The new process read what the killed one kept: both bindings and both legs of the call.
  expect(rcEdgeLogTail(20)).toMatch(/restored from .*: 2 binding\(s\), 2 call leg\(s\)/);

  for (const p of [caller, callee]) {
    await expect.poll(() => saw(p, 'recovered', killedAt), { message: `${p.ext.ext} registered again`, timeout: 15_000 }).toBe(true);
    await expect.poll(() => saw(p, 'mediaRecovered', killedAt), { message: `${p.ext.ext} restarted the call's media`, timeout: 20_000 }).toBe(true)
      .catch(async (e) => { console.log(`[recovery] ${p.ext.ext} events:`, JSON.stringify((await flow(p)).slice(-12))); throw e; });
  }
  // Still the same call, audio both ways, no call ended on the way.
  expect(await caller.ev(() => (window as any).h.sessions[0].state)).toBe('answered');
  expect(await callee.ev(() => (window as any).h.sessions[0].state)).toBe('answered');
  expect(await caller.ev(() => (window as any).h.sessions.length)).toBe(1);
  await audioFlows(caller);
  await audioFlows(callee);
  // The restarted edge knows each phone once, on its new connection, and both legs there too.
  expect(await liveBindings('101')).toHaveLength(1);
  expect(await liveBindings('102')).toHaveLength(1);
  const conns = new Map((await api('/api/state')).conns.map((c: any) => [c.id, c]));
  const legs = (await api('/api/calls')).filter((l: any) => l.state === 'confirmed');
  expect(legs.map((l: any) => l.ext).sort()).toEqual(['101', '102']);
  for (const l of legs) expect((conns.get(l.conn) as any).closed).toBe(false);
  // The call still ends normally: the BYE reaches the other side through the edge.
  await caller.ev(() => (window as any).h.sessions[0].hangup());
  await expect.poll(() => callee.ev(() => (window as any).h.sessions[0].state)).toBe('disposed');
});

test('the edge stops answering (SIGSTOP): the keep-alive it answered until then notices, the phones come back after SIGCONT, the call goes on', async ({ phones }) => {
  test.skip(SDK !== 'ours', 'ringcentral-web-phone has no autoRecover');
  test.setTimeout(90_000);
  const quick = { ...autoRecoverFast, pingInterval: 1000, pongTimeout: 1500, connectTimeout: 2000 };
  const caller = await phones('101', { autoRecover: quick });
  const callee = await phones('102', { autoRecover: quick });
  await callAndAnswer(caller, callee);
  // The edge answers each CRLFCRLF ping with one CRLF (RFC 5626 §3.5.1, §4.4.1):
  // from then on the phones take silence for a dead edge.
  for (const p of [caller, callee]) {
    await expect.poll(() => p.keepAlives.filter((k) => k.dir === 'inbound').length, { message: `${p.ext.ext} got a pong` }).toBeGreaterThan(0);
    expect(p.keepAlives.filter((k) => k.dir === 'outbound').map((k) => k.text)).toContain('\r\n\r\n');
    expect(new Set(p.keepAlives.filter((k) => k.dir === 'inbound').map((k) => k.text))).toEqual(new Set(['\r\n']));
  }

  const stoppedAt = Date.now();
  console.log(`[recovery] ${await pauseRcEdge(true)}`);
  let backAt = 0;
  try {
    for (const p of [caller, callee]) {
      await expect.poll(() => saw(p, 'connectionStateChanged', stoppedAt, (e) => e.state === 'waiting' && /keep-alive/.test(String(e.reason))),
        { message: `${p.ext.ext} noticed the silent edge`, timeout: 10_000 }).toBe(true);
    }
    // Attempts meanwhile hang (the kernel accepts, nobody answers) and are given up.
    await expect.poll(() => saw(caller, 'connectionStateChanged', stoppedAt, (e) => e.state === 'waiting' && /not connected within 2 s/.test(String(e.reason))),
      { timeout: 15_000 }).toBe(true);
  } finally {
    console.log(`[recovery] ${await pauseRcEdge(false)}`);
    backAt = Date.now();
  }
  for (const p of [caller, callee]) {
    await expect.poll(() => saw(p, 'recovered', backAt), { message: `${p.ext.ext} registered again`, timeout: 15_000 }).toBe(true);
    await expect.poll(() => saw(p, 'mediaRecovered', stoppedAt), { message: `${p.ext.ext} restarted the call's media`, timeout: 20_000 }).toBe(true)
      .catch(async (e) => { console.log(`[recovery] ${p.ext.ext} events:`, JSON.stringify((await flow(p)).slice(-12))); throw e; });
  }
  await callWentOnAndEnds(caller, callee);
});

test('the browser goes offline for 10 s and back: the phone is connected and registered, the call and its audio go on', async ({ phones }) => {
  test.skip(SDK !== 'ours', 'ringcentral-web-phone has no autoRecover');
  test.setTimeout(90_000);
  const caller = await phones('101', { autoRecover: autoRecoverFast });
  const callee = await phones('102', { autoRecover: autoRecoverFast });
  await callAndAnswer(caller, callee);
  await audioFlows(caller);
  const offAt = Date.now();
  await caller.ctx.setOffline(true);
  await caller.page.waitForTimeout(10_000); // deliberate: the outage the scenario is about lasts 10 s
  await caller.ctx.setOffline(false);
  const onAt = Date.now();
  // Chromium in this loopback-only network namespace sees no network change
  // (navigator.onLine stays false, no online/offline events), so the test
  // fires the 'online' a browser fires when the network comes back.
  await caller.page.evaluate(() => dispatchEvent(new Event('online')));
  // Chromium's emulation keeps loopback sockets open (as against Kamailio,
  // e2e/tests/ours/recovery.spec.ts): if it dropped this one, the phone must
  // have come back; either way nothing may be broken afterwards.
  const lost = await saw(caller, 'connectionStateChanged', offAt, (e) => e.state === 'waiting');
  console.log(`[recovery] offline: the socket was ${lost ? 'lost' : 'kept'} by Chromium's emulation`);
  if (lost) await expect.poll(() => saw(caller, 'recovered', onAt - 1), { message: 'registered again after coming online', timeout: 10_000 }).toBe(true);
  else {
    // Kept: on 'online' the phone asks at once whether this socket still works
    // (a keep-alive, RFC 5626 §4.4.1), and the edge answers it.
    await expect.poll(() => caller.keepAlives.some((k) => k.dir === 'outbound' && k.t >= onAt - 1), { message: 'a keep-alive on coming online', timeout: 5_000 }).toBe(true);
    const pingAt = caller.keepAlives.find((k) => k.dir === 'outbound' && k.t >= onAt - 1)!.t;
    await expect.poll(() => caller.keepAlives.some((k) => k.dir === 'inbound' && k.t >= pingAt), { message: 'its pong', timeout: 5_000 }).toBe(true);
  }
  await expect.poll(() => caller.ev(() => (window as any).wp.sipClient.connectionState)).toBe('connected');
  await callWentOnAndEnds(caller, callee);
});

test('50 dropped sockets with a call up: recovered every time, one binding and one open connection at the edge, no call or core state left behind', async ({ phones }) => {
  test.skip(SDK !== 'ours', 'ringcentral-web-phone has no autoRecover');
  test.setTimeout(240_000);
  const cycles = Number(process.env.RECOVERY_CYCLES ?? 50); // fewer while debugging
  const caller = await phones('101', { autoRecover: autoRecoverFast });
  const callee = await phones('102', { autoRecover: autoRecoverFast });
  await callAndAnswer(caller, callee);
  await audioFlows(callee);
  const live = () => callee.ev(() => ({ sessions: (window as any).wp.callSessions.length, core: (window as any).wp.sipClient.ua_.live() }));
  const before = await live();
  const took: number[] = [];
  for (let i = 0; i < cycles; i++) {
    const t0 = Date.now();
    const dropped = await api('/api/drop', { ext: '102' });
    expect(dropped.dropped, `cycle ${i + 1}: one socket dropped`).toHaveLength(1);
    // The callee restarts the media at once (the caller would wait for it first).
    await expect.poll(() => saw(callee, 'mediaRecovered', t0), { message: `cycle ${i + 1}: media restarted`, timeout: 15_000 }).toBe(true)
      .catch(async (e) => { console.log(`[recovery] cycle ${i + 1} events:`, JSON.stringify((await flow(callee)).slice(-10))); throw e; });
    took.push((await flow(callee)).find((e) => e.name === 'mediaRecovered' && e.t >= t0)!.t - t0);
  }
  took.sort((x, y) => x - y);
  console.log(`[recovery] ${cycles} drops at the edge: socket dropped -> media restarted median ${took[cycles >> 1]} ms, worst ${took.at(-1)} ms`);
  // Transactions of the last cycle end on their timers: wait (bounded) for the
  // core to hold what it held before; the checks below say what is left if not.
  await expect.poll(async () => JSON.stringify(await live()), { message: 'the page settled', timeout: 15_000 }).toBe(JSON.stringify(before)).catch(() => {});
  expect(await live()).toEqual(before);
  expect(await liveBindings('102')).toHaveLength(1);
  const open = (await api('/api/state')).conns.filter((c: any) => c.ext === '102' && !c.closed);
  expect(open).toHaveLength(1);
  const legs = (await api('/api/calls')).filter((l: any) => l.state === 'confirmed');
  expect(legs.map((l: any) => l.ext).sort()).toEqual(['101', '102']);
  expect((await flow(callee)).filter((e) => e.name === 'mediaRecoveryFailed')).toEqual([]);
  expect(await callee.ev(() => (window as any).h.sessions[0].state)).toBe('answered');
  await audioFlows(callee);
  await audioFlows(caller);
  await callee.ev(() => (window as any).h.sessions[0].hangup());
  await expect.poll(() => caller.ev(() => (window as any).h.sessions[0].state)).toBe('disposed');
});

test('the edge stops answering (SIGSTOP): the keep-alive notices, the phones fail over to the backup edge with the call kept, and return to the primary once idle', async ({ phones }) => {
  test.skip(SDK !== 'ours', 'ringcentral-web-phone has no autoRecover');
  test.setTimeout(120_000);
  const backupApi = async (path: string) => (await fetch(`http://127.0.0.1:${backupRcEdge.httpPort}${path}`)).json();
  const bindingsOn = async (ext: string, api_: (p: string) => Promise<any>) =>
    (await api_('/api/registrations')).filter((r: any) => r.ext === ext && r.live && r.connOpen);
  const autoRecover = { ...autoRecoverFast, pingInterval: 1000, pongTimeout: 1500, connectTimeout: 1500, failoverAfter: 1, primaryReturnDelay: 3000 };
  const sipInfo = { outboundProxyBackup: `127.0.0.1:${backupRcEdge.wssPort}` };
  const caller = await phones('101', { autoRecover, sipInfo });
  const callee = await phones('102', { autoRecover, sipInfo });
  await callAndAnswer(caller, callee);
  await audioFlows(caller);
  for (const p of [caller, callee]) {
    await expect.poll(() => p.keepAlives.filter((k) => k.dir === 'inbound').length, { message: `${p.ext.ext} got a pong` }).toBeGreaterThan(0);
  }
  const stoppedAt = Date.now();
  console.log(`[recovery] ${await pauseRcEdge(true)}`);
  let paused = true;
  try {
    // The standby edge takes over from the store the primary wrote (bindings and the call).
    console.log(`[recovery] backup: ${await backupRcEdge.start()}`);
    for (const p of [caller, callee]) {
      await expect.poll(() => saw(p, 'connectionStateChanged', stoppedAt, (e) => e.state === 'connected' && e.server === 'backup'),
        { message: `${p.ext.ext} connected to the backup`, timeout: 20_000 }).toBe(true)
        .catch(async (e) => { console.log(`[recovery] ${p.ext.ext} events:`, JSON.stringify((await flow(p)).slice(-12))); throw e; });
      await expect.poll(() => saw(p, 'recovered', stoppedAt), { message: `${p.ext.ext} registered on the backup`, timeout: 10_000 }).toBe(true);
    }
    // Noticed by the keep-alive: a stopped process closes nothing.
    expect(await saw(caller, 'connectionStateChanged', stoppedAt, (e) => e.state === 'waiting' && /keep-alive/.test(String(e.reason)))).toBe(true);
    for (const p of [caller, callee]) {
      await expect.poll(() => saw(p, 'mediaRecovered', stoppedAt), { message: `${p.ext.ext} restarted the call's media through the backup`, timeout: 20_000 }).toBe(true)
        .catch(async (e) => { console.log(`[recovery] ${p.ext.ext} events:`, JSON.stringify((await flow(p)).slice(-12))); throw e; });
    }
    expect(await caller.ev(() => (window as any).h.sessions[0].state)).toBe('answered');
    expect(await callee.ev(() => (window as any).h.sessions[0].state)).toBe('answered');
    await audioFlows(caller);
    await audioFlows(callee);
    expect(await bindingsOn('101', backupApi)).toHaveLength(1);
    expect(await bindingsOn('102', backupApi)).toHaveLength(1);
    const t = async (p: Phone) => (await flow(p)).find((e) => e.name === 'recovered' && e.t >= stoppedAt)!.t - stoppedAt;
    console.log(`[recovery] rc-edge failover: on the backup ${await t(caller)} / ${await t(callee)} ms after SIGSTOP`);

    // The primary answers again; the call keeps the phones on the backup, and
    // a hangup through it reaches the other side.
    console.log(`[recovery] ${await pauseRcEdge(false)}`);
    paused = false;
    const idleAt = Date.now();
    await caller.ev(() => (window as any).h.sessions[0].hangup());
    await expect.poll(() => callee.ev(() => (window as any).h.sessions[0].state)).toBe('disposed');
    // Idle for primaryReturnDelay: each phone leaves the backup and registers on the primary.
    for (const p of [caller, callee]) {
      await expect.poll(() => saw(p, 'connectionStateChanged', idleAt, (e) => e.state === 'connected' && e.server === 'primary'),
        { message: `${p.ext.ext} back on the primary`, timeout: 30_000 }).toBe(true);
      await expect.poll(() => saw(p, 'recovered', idleAt), { message: `${p.ext.ext} registered on the primary`, timeout: 10_000 }).toBe(true);
    }
    for (const ext of ['101', '102']) {
      await expect.poll(() => bindingsOn(ext, backupApi), { message: `${ext} left the backup` }).toHaveLength(0);
      expect(await liveBindings(ext)).toHaveLength(1);
    }
    // And the phones work on the primary: a new call, audio both ways.
    await callAndAnswer(caller, callee);
    await audioFlows(caller);
    await audioFlows(callee);
    await callee.ev(() => (window as any).wp.callSessions[0].hangup());
    await expect.poll(() => caller.ev(() => (window as any).wp.callSessions.length)).toBe(0);
  } finally {
    if (paused) await pauseRcEdge(false);
    console.log(`[recovery] backup: ${await backupRcEdge.stop()}`);
  }
});

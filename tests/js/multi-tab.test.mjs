// The multi-tab mode's tab side (js/multi-tab, README "Multiple tabs") in
// Node: a tab that does not lead, talking to a scripted leader over a real
// BroadcastChannel. Web Locks are a stand-in that never grants this tab the
// lock (another tab leads). The browser e2e tests cover real tabs.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { MultiTabWebPhone, TabCallSession } = await import(`${root}dist/es/multi-tab.js`);

const sipInfo = { username: '101', authorizationId: '101001', password: 'pw', domain: 'example.test', outboundProxy: 'x.invalid:443' };
const pendingLocks = [];
const locks = {
  request: (name, opts, fn) => new Promise((resolve, reject) => {
    pendingLocks.push(name);
    opts?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
  }),
  query: async () => ({ held: [], pending: [] }),
};
const realNavigator = globalThis.navigator;
function withLocks() {
  Object.defineProperty(globalThis, 'navigator', { value: { locks }, configurable: true });
}
function withoutLocks() {
  Object.defineProperty(globalThis, 'navigator', { value: realNavigator, configurable: true });
}

let n = 0;
/** A follower tab and a scripted leader on the same channel. */
function tabAndLeader() {
  withLocks();
  const name = `t${++n}`;
  const leader = new BroadcastChannel(`wasm-web-phone:${name}`);
  const heard = [];
  leader.onmessage = (e) => heard.push(e.data);
  const tab = new MultiTabWebPhone({ sipInfo, name });
  after(() => { void tab.dispose(); leader.close(); }); // also when the test failed
  const say = (m) => leader.postMessage({ from: 'L1', ...m });
  const next = async (pred) => {
    for (let i = 0; i < 100; i++) {
      const m = heard.find(pred);
      if (m) return m;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('no such message');
  };
  return { tab, leader, say, heard, next, done: async () => { await tab.dispose(); leader.close(); } };
}
const tick = () => new Promise((r) => setTimeout(r, 20));
/** Polls `cond` every 10 ms for up to 3 s (the channel delivers later on a loaded machine). */
async function until(cond) {
  for (let waited = 0; !cond() && waited < 3000; waited += 10) await new Promise((r) => setTimeout(r, 10));
}
const view = { callId: 'c1', direction: 'inbound', state: 'ringing', remoteNumber: '102', localNumber: '101' };

test('misuse is refused with a clear error', () => {
  assert.throws(() => new MultiTabWebPhone({}), /options.sipInfo is required/);
  withLocks();
  assert.throws(() => new MultiTabWebPhone({ sipInfo, sipClient: {} }), /sipClient cannot be set/);
  withoutLocks();
  assert.throws(() => new MultiTabWebPhone({ sipInfo, name: 'nolocks' }), /needs Web Locks/);
});

test('a tab says hello, asks for the lock, and start() resolves once the leader says registered', async () => {
  const { tab, say, heard, next, done } = tabAndLeader();
  await next((m) => m.t === 'hello');
  const started = tab.start();
  await tick();
  assert.ok(pendingLocks.includes(`wasm-web-phone:t${n}`));
  // It tells the leader at once, whose count of successors decides whether closing it hands the calls over.
  assert.equal((await next((m) => m.t === 'join')).from, tab.tabId);
  let settled = false;
  started.then(() => { settled = true; });
  say({ t: 'state', phone: { registered: false, connectionState: 'idle' }, sessions: [] });
  await tick();
  assert.equal(settled, false);
  say({ t: 'state', phone: { registered: true, connectionState: 'connected' }, sessions: [] });
  await started;
  assert.equal(tab.registered, true);
  assert.equal(tab.isLeader, false);
  assert.equal(heard.filter((m) => m.t === 'cmd').length, 0);
  await done();
});

test("the leader's failed registration rejects start() in every tab, as a RegistrationError", async () => {
  const { tab, say, done } = tabAndLeader();
  const started = tab.start();
  say({ t: 'event', name: 'startFailed', args: [{ __error: { name: 'Error', message: 'Registration failed: SIP/2.0 403 Forbidden', code: 'forbidden', status: 403, reason: 'Forbidden', retryAfterMs: 0 } }] });
  await assert.rejects(started, (e) => e.message === 'Registration failed: SIP/2.0 403 Forbidden' && e.code === 'forbidden' && e.status === 403);
  await done();
});

test('start() again after a failed start asks the leader to register again, and settles with its outcome', async () => {
  const { tab, say, heard, next, done } = tabAndLeader();
  const first = tab.start();
  say({ t: 'state', phone: { registered: false, connectionState: 'idle' }, sessions: [] });
  say({ t: 'event', name: 'startFailed', args: [{ __error: { name: 'Error', message: 'Registration failed: transport closed' } }] });
  await assert.rejects(first, /transport closed/);
  const again = tab.start();
  const cmd = await next((m) => m.t === 'cmd' && m.method === 'start');
  assert.equal(cmd.to, 'L1');
  say({ t: 'result', to: cmd.from, id: cmd.id, ok: true });
  say({ t: 'state', phone: { registered: true, connectionState: 'connected' }, sessions: [] });
  await again; // without the retry it never settled: nothing registers a second time
  assert.equal(tab.registered, true);
  assert.equal(heard.filter((m) => m.t === 'cmd' && m.method === 'start').length, 1);
  await done();
});

test('calls are mirrored: inboundCall with a session, its events, its end', async () => {
  const { tab, say, done } = tabAndLeader();
  const seen = [];
  tab.on('inboundCall', (s) => seen.push(s));
  say({ t: 'event', name: 'inboundCall', args: [view] });
  await until(() => seen.length > 0);
  assert.equal(seen.length, 1);
  const s = seen[0];
  assert.ok(s instanceof TabCallSession);
  assert.deepEqual([s.callId, s.direction, s.state, s.remoteNumber], ['c1', 'inbound', 'ringing', '102']);
  assert.equal(tab.callSessions[0], s);
  const events = [];
  s.on('answered', (...a) => events.push(['answered', ...a]));
  s.on('disposed', () => events.push(['disposed']));
  say({ t: 'state', phone: { registered: true, connectionState: 'idle' }, sessions: [{ ...view, state: 'answered' }] });
  say({ t: 'event', callId: 'c1', name: 'answered', args: ['SIP/2.0 200 OK'] });
  await tick();
  assert.equal(s.state, 'answered');
  assert.deepEqual(events, [['answered', 'SIP/2.0 200 OK']]);
  say({ t: 'event', callId: 'c1', name: 'disposed', args: [] });
  await tick();
  assert.deepEqual(events.at(-1), ['disposed']);
  assert.equal(s.state, 'disposed');
  assert.deepEqual(tab.callSessions, []);
  await done();
});

test("a session's method is a command to the leader; its result or error comes back", async () => {
  const { tab, say, next, done } = tabAndLeader();
  say({ t: 'state', phone: { registered: true, connectionState: 'idle' }, sessions: [view] });
  await until(() => tab.callSessions.length === 1);
  const s = tab.callSessions[0];
  const answering = s.answer();
  const cmd = await next((m) => m.t === 'cmd' && m.method === 'answer');
  assert.deepEqual([cmd.to, cmd.callId, cmd.args], ['L1', 'c1', []]);
  say({ t: 'result', to: tab.tabId, id: cmd.id, ok: true });
  await answering;
  const dtmf = s.sendDtmf('12#');
  const cmd2 = await next((m) => m.t === 'cmd' && m.method === 'sendDtmf');
  assert.deepEqual(cmd2.args, ['12#']);
  say({ t: 'result', to: tab.tabId, id: cmd2.id, ok: false, error: { name: 'Error', message: 'sendDtmf: invalid DTMF tones "x"' } });
  await assert.rejects(dtmf, /invalid DTMF tones/);
  await done();
});

test('progress() from a tab that does not lead is a command to the leader; earlyMedia follows its view', async () => {
  const { tab, say, next, done } = tabAndLeader();
  say({ t: 'state', phone: { registered: true, connectionState: 'idle' }, sessions: [view, { ...view, callId: 'c2', direction: 'outbound', state: 'ringing' }] });
  await until(() => tab.callSessions.length === 2);
  const [inbound, outbound] = tab.callSessions;
  const progressing = inbound.progress({ earlyMedia: true });
  const cmd = await next((m) => m.t === 'cmd' && m.method === 'progress');
  assert.deepEqual([cmd.callId, cmd.args], ['c1', [{ earlyMedia: true }]]);
  say({ t: 'result', to: tab.tabId, id: cmd.id, ok: false, error: { name: 'Error', message: 'progress: early media needs an offer in the INVITE' } });
  await assert.rejects(progressing, /early media needs an offer/);
  assert.equal(outbound.earlyMedia, false);
  say({ t: 'state', phone: { registered: true, connectionState: 'idle' }, sessions: [view, { ...view, callId: 'c2', direction: 'outbound', state: 'ringing', earlyMedia: true }] });
  await until(() => outbound.earlyMedia);
  assert.equal(outbound.earlyMedia, true);
  await done();
});

test("in the leader, a session method that throws (sendDtmf refused) rejects the tab's promise", async () => {
  const { tab, done } = tabAndLeader();
  const refused = new Error('sendDtmf: DTMF cannot be sent: the call is not connected yet (no SDP answer applied)');
  const w = { direction: 'outbound', _local: { sendDtmf() { throw refused; } } };
  let result;
  assert.doesNotThrow(() => { result = tab.runLocal(w, 'sendDtmf', ['1']); });
  await assert.rejects(result, (e) => e === refused);
  await done();
});

test('call() from a tab that does not lead: the leader places it and the session comes back', async () => {
  const { tab, say, next, done } = tabAndLeader();
  say({ t: 'state', phone: { registered: true, connectionState: 'idle' }, sessions: [] });
  await tick();
  await assert.rejects(tab.call(''), /callee must be a non-empty string/);
  const calling = tab.call('102');
  const cmd = await next((m) => m.t === 'cmd' && m.method === 'call');
  assert.equal(cmd.callId, undefined);
  assert.equal(cmd.args[0], '102');
  say({ t: 'result', to: tab.tabId, id: cmd.id, ok: true, value: { ...view, callId: 'c2', direction: 'outbound', state: 'answered' } });
  const s = await calling;
  assert.deepEqual([s.callId, s.direction, s.state], ['c2', 'outbound', 'answered']);
  assert.equal(tab.callSessions.length, 1);
  await done();
});

test('a command in flight when the leader changes rejects (nothing hangs); a tab that leaves rejects its own', async () => {
  const { tab, say, next, done } = tabAndLeader();
  say({ t: 'state', phone: { registered: true, connectionState: 'idle' }, sessions: [view] });
  await until(() => tab.callSessions.length === 1);
  const holding = tab.callSessions[0].hold();
  await next((m) => m.t === 'cmd' && m.method === 'hold');
  // Another tab leads now (the first one crashed before answering).
  say({ t: 'state', from: 'L2', phone: { registered: true, connectionState: 'idle' }, sessions: [view] });
  await assert.rejects(holding, /went away; try again/);
  const parking = tab.callSessions[0].park();
  await next((m) => m.t === 'cmd' && m.method === 'park' && m.to === 'L2');
  await done();
  await assert.rejects(parking, /disposed/);
  await assert.rejects(tab.call('102'), /disposed/);
});

test('a leader that no longer lists a call (it crashed mid-call) ends it in every tab', async () => {
  const { tab, say, done } = tabAndLeader();
  say({ t: 'state', phone: { registered: true, connectionState: 'idle' }, sessions: [view] });
  await until(() => tab.callSessions.length > 0); // a fixed tick was too short for a first test in a fresh process
  const s = tab.callSessions[0];
  let disposed = 0;
  s.on('disposed', () => disposed++);
  say({ t: 'state', phone: { registered: true, connectionState: 'idle' }, sessions: [] });
  await until(() => disposed > 0);
  assert.equal(disposed, 1);
  assert.equal(tab.callSessions.length, 0);
  await done();
});

test('a tab opened mid-call sees the call: the first state it hears lists it, answered, and its methods go to the leader', async () => {
  const { tab, say, next, done } = tabAndLeader();
  assert.deepEqual(tab.callSessions, []);
  say({ t: 'state', phone: { registered: true, connectionState: 'connected' }, sessions: [{ ...view, state: 'answered' }] });
  await until(() => tab.callSessions.length > 0);
  const s = tab.callSessions[0];
  assert.ok(s instanceof TabCallSession);
  assert.deepEqual([s.callId, s.state, s.remoteNumber], ['c1', 'answered', '102']);
  const held = s.hold();
  const cmd = await next((m) => m.t === 'cmd');
  assert.deepEqual([cmd.callId, cmd.method], ['c1', 'hold']);
  say({ t: 'result', to: tab.tabId, id: cmd.id, ok: true });
  await held;
  await done();
});

// --- found in review: registration truth, what crosses tabs, ended calls ---

test('a refresh refused after registering makes every tab unregistered, and start() again asks the leader', async () => {
  const { tab, say, heard, next, done } = tabAndLeader();
  const started = tab.start();
  say({ t: 'state', phone: { registered: true, connectionState: 'connected' }, sessions: [] });
  await started;
  say({ t: 'event', name: 'registrationFailed', args: [{ __error: { name: 'Error', kind: 'registration', message: 'Registration failed: SIP/2.0 404 Not Found', code: 'rejected', status: 404 } }] });
  await until(() => !tab.registered);
  assert.equal(tab.registered, false, 'registered stayed true: start() would resolve at once and do nothing');
  const again = tab.start();
  const cmd = await next((m) => m.t === 'cmd' && m.method === 'start');
  say({ t: 'result', to: cmd.from, id: cmd.id, ok: true });
  say({ t: 'state', phone: { registered: true, connectionState: 'connected' }, sessions: [] });
  await again;
  assert.equal(heard.filter((m) => m.t === 'cmd' && m.method === 'start').length, 1);
  await done();
});

test('a tab that joins after the phone failed to start hears why instead of waiting for ever', async () => {
  const { tab, say, done } = tabAndLeader();
  const started = tab.start();
  say({ t: 'state', phone: { registered: false, connectionState: 'idle', startError: { name: 'Error', kind: 'registration', message: 'Registration failed: SIP/2.0 403 Forbidden', code: 'forbidden', status: 403 } }, sessions: [] });
  await assert.rejects(started, (e) => e.code === 'forbidden' && e.status === 403);
  await done();
});

test('results and errors keep their shape across tabs: a diagnostics bundle, an RcMessage, a DeviceError, a stream-holding event', async () => {
  const { serializeArg, serializeError, deserializeError } = await import(`${root}dist/es/multi-tab/protocol.js`);
  const { DeviceError } = await import(`${root}dist/es/device-error.js`);
  const bundle = { callId: 'c1', direction: 'inbound', sipTrace: ['INVITE …'], stats: { rtt: 0.02 } };
  assert.deepEqual(serializeArg(bundle), bundle, 'a diagnostics bundle is data, not a session reference');
  const rcMessage = { headers: { Cmd: '9' }, body: { Sts: '0' }, toString() { return '<Msg/>'; } };
  assert.equal(typeof serializeArg(rcMessage), 'object', 'an RcMessage is not a SIP message');
  assert.equal(serializeArg({ subject: 'SIP/2.0 200 OK', headers: {}, body: '', toString() { return 'SIP/2.0 200 OK\r\n\r\n'; } }), 'SIP/2.0 200 OK\r\n\r\n');
  const session = { callId: 'c1', direction: 'inbound', hangup() {} };
  assert.deepEqual(serializeArg(session), { __session: 'c1' });
  assert.deepEqual(serializeArg({ local: () => {}, hasRemoteVideo: true }), { hasRemoteVideo: true }, 'what can cross does');
  const back = deserializeError(serializeError(new DeviceError('NotFound', 'no such speaker', 'spk-1')));
  assert.ok(back instanceof DeviceError);
  assert.deepEqual([back.name, back.code, back.deviceId, back.message], ['DeviceError', 'NotFound', 'spk-1', 'no such speaker']);
  const dom = new Error('Requested device not found');
  dom.name = 'NotFoundError';
  dom.code = 8; // a DOMException's legacy code
  const plain = deserializeError(serializeError(dom));
  assert.equal(plain.name, 'NotFoundError');
  assert.equal(plain.code, undefined, 'not turned into a RegistrationError');
});

test("a session method whose argument cannot cross tabs rejects with why; one that takes none ignores a click's event", async () => {
  const { tab, say, next, done } = tabAndLeader();
  say({ t: 'state', phone: { registered: true, connectionState: 'idle' }, sessions: [{ ...view, state: 'answered' }] });
  await until(() => tab.callSessions.length === 1);
  const s = tab.callSessions[0];
  await assert.rejects(
    Promise.race([s.forward(() => 'not data'), new Promise((_, j) => setTimeout(() => j(new Error('hung')), 1000))]),
    /^Error: forward: its arguments cannot be sent to the tab that runs the phone/,
  );
  assert.equal(tab.pending.size, 0);
  const held = s.hold({ type: 'click', target: () => {} });
  const cmd = await next((m) => m.t === 'cmd' && m.method === 'hold');
  assert.deepEqual(cmd.args, []);
  say({ t: 'result', to: tab.tabId, id: cmd.id, ok: true });
  await held;
  await done();
});

test("a call that failed is not listed again, and call() returns the session outboundCall gave", async () => {
  const { tab, say, next, done } = tabAndLeader();
  say({ t: 'state', phone: { registered: true, connectionState: 'idle' }, sessions: [] });
  await tick();
  let announced;
  tab.on('outboundCall', (x) => { announced = x; });
  const calling = tab.call('103');
  const cmd = await next((m) => m.t === 'cmd' && m.method === 'call');
  const c3 = { ...view, callId: 'c3', direction: 'outbound', state: 'init' };
  say({ t: 'event', name: 'outboundCall', args: [c3] });
  await until(() => announced !== undefined);
  say({ t: 'event', callId: 'c3', name: 'disposed', args: [] });
  await until(() => tab.callSessions.length === 0);
  say({ t: 'result', to: tab.tabId, id: cmd.id, ok: true, value: { ...c3, state: 'disposed' } });
  const s = await calling;
  assert.equal(s, announced);
  assert.equal(s.state, 'disposed');
  assert.equal(tab.callSessions.length, 0, 'no dead session left in callSessions');
  await done();
});

test('muted, held, videoMuted and screenSharing follow the view, in every tab', async () => {
  const { tab, say, done } = tabAndLeader();
  const flags = () => { const c = tab.callSessions[0]; return [c.muted, c.held, c.videoMuted, c.screenSharing]; };
  say({ t: 'state', phone: { registered: true, connectionState: 'idle' }, sessions: [{ ...view, state: 'answered', muted: true, held: true, videoMuted: true, screenSharing: true }] });
  await until(() => tab.callSessions.length === 1);
  assert.deepEqual(flags(), [true, true, true, true]);
  say({ t: 'state', phone: { registered: true, connectionState: 'idle' }, sessions: [{ ...view, state: 'answered', muted: false, held: false }] });
  await until(() => !tab.callSessions[0].muted);
  assert.deepEqual(flags(), [false, false, false, false]);
  await done();
});

test('warmTransfer() from a tab that does not lead: hold, the consultation call and complete() are commands to the leader', async () => {
  const { tab, say, next, heard, done } = tabAndLeader();
  const answered = { ...view, state: 'answered' };
  say({ t: 'state', phone: { registered: true, connectionState: 'idle' }, sessions: [answered] });
  await until(() => tab.callSessions.length === 1);
  const s = tab.callSessions[0];
  const consulting = s.warmTransfer('103');
  const hold = await next((m) => m.t === 'cmd' && m.method === 'hold');
  assert.equal(hold.callId, 'c1');
  say({ t: 'result', to: tab.tabId, id: hold.id, ok: true, view: { ...answered, held: true } });
  const call = await next((m) => m.t === 'cmd' && m.method === 'call');
  assert.equal(call.args[0], '103');
  say({ t: 'result', to: tab.tabId, id: call.id, ok: true, value: { ...view, callId: 'c2', direction: 'outbound', state: 'answered', remoteNumber: '103' } });
  const { newSession, complete, cancel } = await consulting;
  assert.equal(typeof cancel, 'function');
  assert.equal(newSession.callId, 'c2');
  assert.equal(s.held, true);
  const completing = complete();
  const refer = await next((m) => m.t === 'cmd' && m.method === 'completeWarmTransfer');
  assert.equal(refer.callId, 'c1');
  assert.deepEqual(refer.args[0], { __session: 'c2' }, 'the consultation call goes by its Call-ID');
  say({ t: 'result', to: tab.tabId, id: refer.id, ok: true });
  await completing;
  assert.equal(heard.filter((m) => m.t === 'cmd').length, 3);
  await done();
});

test('a new leader still loading its core keeps the calls it takes over: a tab saying hello meanwhile ended them in every tab', async () => {
  const grants = [];
  Object.defineProperty(globalThis, 'navigator', { configurable: true, value: { locks: {
    request: (name, opts, fn) => new Promise((resolve, reject) => {
      grants.push(() => resolve(fn()));
      opts?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
    }),
    query: async () => ({ held: [], pending: [] }),
  } } });
  const realFetch = globalThis.fetch;
  const realWebSocket = globalThis.WebSocket;
  globalThis.fetch = () => new Promise(() => {}); // the new leader's core never arrives
  globalThis.WebSocket = class { static CONNECTING = 0; static OPEN = 1; static CLOSING = 2; static CLOSED = 3; readyState = 0; send() {} close() {} };
  const name = `t${++n}`;
  const old = new BroadcastChannel(`wasm-web-phone:${name}`);
  const heard = [];
  old.onmessage = (e) => heard.push(e.data);
  const tab = new MultiTabWebPhone({ sipInfo, name, wasm: { wasmUrl: `http://core.invalid/${name}/sip-core.wasm` } });
  try {
    void tab.start().catch(() => {});
    old.postMessage({ t: 'state', from: 'L1', phone: { registered: true, connectionState: 'idle' }, sessions: [{ ...view, state: 'answered' }], core: '{"calls":[]}' });
    await until(() => tab.callSessions.length === 1);
    let disposed = false;
    tab.callSessions[0].on('disposed', () => { disposed = true; });
    await until(() => grants.length > 0);
    grants[0](); // the old leader closed: this tab leads and starts adopting
    await until(() => tab.isLeader);
    old.postMessage({ t: 'hello', from: 'T3' });
    await tick();
    await tick();
    assert.equal(disposed, false, 'the call the new leader is adopting was ended in every tab');
    assert.equal(tab.callSessions.length, 1);
    assert.ok(!heard.some((m) => m.t === 'state' && m.from === tab.tabId), 'no state listing no calls went out');
  } finally {
    old.close();
    await Promise.race([tab.dispose(), new Promise((r) => setTimeout(r, 2000))]);
    globalThis.fetch = realFetch;
    globalThis.WebSocket = realWebSocket;
    withLocks();
  }
});

test("a call's event and a command's result carry the call's state after them: a listener never sees the state before", async () => {
  const { tab, say, next, done } = tabAndLeader();
  say({ t: 'state', phone: { registered: true, connectionState: 'idle' }, sessions: [view] });
  await until(() => tab.callSessions.length > 0);
  const s = tab.callSessions[0];
  const statesSeen = [];
  s.on('answered', () => statesSeen.push(['answered', s.state]));
  // The leader's event comes before its next 'state' message.
  say({ t: 'event', callId: 'c1', name: 'answered', args: [], view: { ...view, state: 'answered' } });
  await until(() => statesSeen.length > 0);
  assert.deepEqual(statesSeen, [['answered', 'answered']]);
  // hold() from this tab: the result comes before the 'state' that says held.
  const held = s.hold();
  const cmd = await next((m) => m.t === 'cmd' && m.method === 'hold');
  say({ t: 'result', to: cmd.from, id: cmd.id, ok: true, view: { ...view, state: 'answered', held: true } });
  await held;
  assert.equal(s.held, true, 'held as soon as hold() resolves');
  await done();
});

test('a page put in the back/forward cache steps out of the phone and rejoins when shown again (it came back disposed)', async () => {
  // Node's global is no EventTarget: give the page its pagehide/pageshow.
  const page = new EventTarget();
  Object.assign(globalThis, { addEventListener: page.addEventListener.bind(page), removeEventListener: page.removeEventListener.bind(page) });
  const pageEvent = (type, persisted) => page.dispatchEvent(Object.assign(new Event(type), { persisted }));
  try {
    const { tab, say, next, heard, done } = tabAndLeader();
    const started = tab.start();
    const joined = () => heard.filter((m) => m.t === 'join' && m.from === tab.tabId).length;
    await until(() => joined() === 1);
    say({ t: 'state', phone: { registered: true, connectionState: 'connected' }, sessions: [{ ...view, state: 'answered' }] });
    await started;
    const seen = [];
    tab.on('registered', () => seen.push('registered'));

    pageEvent('pagehide', true);
    await next((m) => m.t === 'bye' && m.from === tab.tabId);
    assert.equal(tab.disposed, false);
    assert.equal(tab.registered, false);
    await assert.rejects(tab.callSessions[0].hold(), /call start\(\) first|try again/);

    pageEvent('pageshow', true);
    await until(() => joined() === 2);
    assert.equal(joined(), 2, 'it stands for leader again');
    say({ t: 'state', phone: { registered: true, connectionState: 'connected' }, sessions: [{ ...view, state: 'answered' }] });
    await until(() => tab.registered);
    assert.equal(tab.registered, true);
    assert.equal(tab.callSessions.length, 1, 'the call is listed again');
    const held = tab.callSessions[0].hold();
    const cmd = await next((m) => m.t === 'cmd' && m.method === 'hold');
    say({ t: 'result', to: tab.tabId, id: cmd.id, ok: true });
    await held;
    say({ t: 'event', name: 'registered', args: [] });
    await until(() => seen.length > 0);
    assert.deepEqual(seen, ['registered'], "the app's listeners are still there");

    pageEvent('pagehide', false); // closed for good this time
    await until(() => tab.disposed);
    assert.equal(tab.disposed, true);
    await done();
  } finally {
    delete globalThis.addEventListener;
    delete globalThis.removeEventListener;
  }
});

// Page script of the multi-tab sample: the real/dummy model of
// ringcentral-web-phone's README ("Mutiple instances and shared worker").
// worker.js (a SharedWorker) gives this tab a role:
//   real   a WebPhone on the default SIP client: registers, places and answers
//          calls, and publishes its state to the worker on every change;
//   dummy  a WebPhone on DummySipClient (never registers, sends nothing): shows
//          the real tab's state and forwards button presses to it as actions.
// When the real tab goes away the worker promotes a dummy: it disposes its
// dummy phone and starts a real one.
//
// sipInfo comes from the page's query: ?username=101&authorizationId=101001&
// password=pw-101&domain=localhost&wsUrl=ws://127.0.0.1:25080 (a sample
// only: a real app gets it from its server), or, under scripts/demo.sh, from
// the demo's /demo-config.json: ?user=101.
import WebPhone from '/dist/es/index.js';
import { DummySipClient } from '/dist/es/sip-client.js';

const $ = (id) => document.getElementById(id);

async function loadSipInfo() {
  const q = new URLSearchParams(location.search);
  if (q.get('password')) {
    const wsUrl = q.get('wsUrl') || undefined;
    const info = {
      username: q.get('username'),
      authorizationId: q.get('authorizationId') || q.get('username'),
      password: q.get('password'),
      domain: q.get('domain'),
      outboundProxy: q.get('outboundProxy') || wsUrl,
      stunServers: [],
    };
    if (wsUrl) info.wsUrl = wsUrl;
    return info;
  }
  const config = await (await fetch('/demo-config.json')).json();
  const { name: _name, ...user } = config.users.find((u) => u.username === q.get('user')) ?? config.users[0];
  return { ...user, domain: config.domain, outboundProxy: config.wsUrl, stunServers: [] };
}

let role;              // 'real' | 'dummy', as the worker said
let dummies = 0;       // real tab: how many dummies the worker has (a successor exists)
let closed = false;    // this tab is leaving
let webPhone;          // this tab's WebPhone (real or dummy)
let registered = false;
let lastError = '';
let state = { registered: false, sessions: [] };   // what this tab shows

// --- rendering (the same for both roles) --------------------------------------

function button(label, action, args) {
  const b = document.createElement('button');
  b.textContent = label;
  b.className = action;
  b.onclick = () => act(action, args);
  return b;
}

function render() {
  $('role').textContent = role ?? 'connecting';
  $('role').dataset.role = role ?? '';
  $('registered').textContent = state.registered ? 'yes' : 'no';
  $('registered').dataset.registered = String(state.registered);
  $('detail').textContent = state.error ?? '';
  $('sessions').replaceChildren(...state.sessions.map((s) => {
    const li = document.createElement('li');
    Object.assign(li.dataset, { callId: s.callId, state: s.state, direction: s.direction, remoteNumber: s.remoteNumber });
    li.append(`${s.direction === 'inbound' ? 'from' : 'to'} ${s.remoteNumber}: `);
    const st = document.createElement('strong');
    st.textContent = s.state;
    li.append(st);
    if (s.direction === 'inbound' && s.state === 'ringing') {
      li.append(button('Answer', 'answer', { callId: s.callId }), button('Decline', 'decline', { callId: s.callId }));
    }
    if (s.callId) li.append(button('Hang up', 'hangup', { callId: s.callId }));
    return li;
  }));
}

// --- the real tab: carry out actions, publish state ---------------------------

function snapshot() {
  return {
    registered,
    sessions: webPhone.callSessions
      .filter((s) => s.state !== 'disposed')
      .map((s) => ({ callId: s.callId, state: s.state, direction: s.direction, remoteNumber: s.remoteNumber })),
    ...(lastError ? { error: lastError } : {}),
  };
}

// Coalesced to one message per task. A microtask also lets a new outbound
// session get its Call-ID, which is set right after its INVITE is sent.
let publishQueued = false;
let lastPublished = '';
function publish() {
  if (publishQueued) return;
  publishQueued = true;
  queueMicrotask(() => {
    publishQueued = false;
    if (role !== 'real' || !webPhone) return;
    state = snapshot();
    render();
    const json = JSON.stringify(state);
    if (json === lastPublished) return;
    lastPublished = json;
    port.postMessage({ type: 'sync', state });
  });
}

function track(session) {
  for (const e of ['ringing', 'answered', 'failed', 'disposed']) session.on(e, publish);
  publish();
}

async function perform({ name, args = {} }) {
  try {
    if (name === 'call') {
      await webPhone.call(String(args.number));   // resolves once answered or failed
    } else {
      const session = webPhone.callSessions.find((s) => s.callId === args.callId);
      if (!session) throw new Error(`no call with Call-ID ${args.callId}`);
      if (name === 'answer') await session.answer();
      else if (name === 'decline') await session.decline();
      else if (name === 'hangup') await session.hangup();
      else throw new Error('unknown action');
    }
    lastError = '';
  } catch (e) {
    lastError = `${name}: ${e.message}`;
  }
  publish();
}

async function becomeReal() {
  await webPhone?.dispose();   // the dummy phone: nothing to unregister
  role = 'real';
  registered = false;
  webPhone = new WebPhone({ sipInfo, instanceId });
  webPhone.on('inboundCall', track);
  webPhone.on('outboundCall', track);
  webPhone.sipClient.on('inboundMessage', publish);
  webPhone.sipClient.on('outboundMessage', publish);
  webPhone.sipClient.on('registrationFailed', (e) => {
    registered = false;
    lastError = e.message;
    publish();
  });
  publish();
  try {
    await webPhone.start();
    registered = true;
    lastError = '';
  } catch (e) {
    lastError = e.message;
  }
  publish();
}

// --- a dummy tab ---------------------------------------------------------------

async function becomeDummy() {
  await webPhone?.dispose();
  role = 'dummy';
  webPhone = new WebPhone({ sipInfo, instanceId, sipClient: new DummySipClient() });
  render();
}

/** A button press: done here in the real tab, forwarded to it from a dummy. */
function act(name, args) {
  if (role === 'real') void perform({ name, args });
  else if (role === 'dummy') port.postMessage({ type: 'action', name, args });
}

$('dial').addEventListener('submit', (e) => {
  e.preventDefault();
  const number = $('callee').value.trim();
  if (number) act('call', { number });
});

// --- wiring ---------------------------------------------------------------------

let sipInfo;
try {
  sipInfo = await loadSipInfo();
} catch (e) {
  $('detail').textContent = `no sipInfo: ${e.message}`;
  throw e;
}
$('aor').textContent = `${sipInfo.username}@${sipInfo.domain}`;

// One +sip.instance for this browser, whichever tab is real (RFC 5626 §4.1):
// to the server the phone is one device that moves between tabs.
const instanceKey = `wasm-web-phone:instanceId:${sipInfo.username}@${sipInfo.domain}`;
const instanceId = localStorage.getItem(instanceKey) ?? crypto.randomUUID();
localStorage.setItem(instanceKey, instanceId);

// One worker per SIP user, so tabs of different users never share a phone.
const workerName = `wasm-web-phone:${sipInfo.username}@${sipInfo.domain}`;
let port;          // to the current worker
let watchedPort;   // the port whose worker watchWorker() waits on
let roleChange = Promise.resolve();
function onWorkerMessage({ data }) {
  if (data.type === 'role') {
    // The worker names the lock it holds for life (none: it cannot be watched).
    if (watchedPort !== port && data.workerLock && navigator.locks) {
      watchedPort = port;
      void watchWorker(data.workerLock);
    }
    roleChange = roleChange
      .then(() => {
        if (data.role === role) return role === 'real' ? publish() : undefined;   // a new worker confirmed us
        return data.role === 'real' ? becomeReal() : becomeDummy();
      })
      .catch((e) => ($('detail').textContent = e.message));
  } else if (data.type === 'dummies') {
    dummies = data.count;
  } else if (data.type === 'action') {
    void roleChange.then(() => role === 'real' && perform(data));
  } else if (data.type === 'sync' && role !== 'real') {
    state = data.state;
    render();
  }
}

// Held until this tab is gone, so the worker learns of a crash too (worker.js).
// Without Web Locks (an insecure origin), only a tab that closes normally is noticed.
const tabLock = `wasm-web-phone:tab:${crypto.randomUUID()}`;
if (navigator.locks) {
  await new Promise((held) => navigator.locks.request(tabLock, () => { held(); return new Promise(() => {}); }));
}

/** Join the worker (a new one if the last died), saying which role this tab had. */
function connect() {
  port = new SharedWorker(new URL('worker.js', import.meta.url), { name: workerName }).port;
  port.onmessage = onWorkerMessage;
  port.postMessage({ type: 'ready', tabLock, had: role });
}

/**
 * The worker holds `workerLock` while it lives (worker.js); being granted
 * that lock means it died, e.g. with the tab whose renderer it shared. Then
 * join a fresh worker (which this watches in turn once it has sent a role).
 */
async function watchWorker(workerLock) {
  await navigator.locks.request(workerLock, () => {});
  if (!closed) connect();
}
connect();

// Tell the worker before the tab goes (closing, reloading, navigating away) so
// that a dummy takes over; the real phone hangs up and unregisters as far as
// the closing page lets it. A tab that crashes sends nothing; its lock tells.
// With a successor (a dummy that the worker promotes), only close the socket:
// the successor registers the same +sip.instance, and our un-REGISTER could
// land after its REGISTER and remove its binding (RingCentral binds by instance).
function leave() {
  if (closed) return;
  closed = true;
  port.postMessage({ type: 'close' });
  if (role !== 'real') return;
  if (dummies > 0) webPhone?.sipClient.wsc?.close();
  else webPhone?.dispose().catch(() => {});
}
addEventListener('pagehide', leave);
addEventListener('beforeunload', leave);
// Back from the back/forward cache: the worker has forgotten this tab; join again.
addEventListener('pageshow', (e) => { if (e.persisted) location.reload(); });

// For the console and the e2e test.
window.multiTab = {
  get role() { return role; },
  get state() { return state; },
  get webPhone() { return webPhone; },
  get dummies() { return dummies; },
};
render();

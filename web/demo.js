// Demo phone: loads the local SIP server's test extensions (/demo-config.json),
// registers the chosen one with wasm-web-phone, and offers every action of the
// SDK: the call list and its actions are in calls.js, the SIP log in sip-log.js,
// the chat in chat.js, the buddy list in buddies.js, the call history in history.js.
import { logMessage } from './sip-log.js';
import { showCall, currentCall, sendDigit, setRingCentral, setDiagnosticsBox, clearCalls, holdAllBut } from './calls.js';
import { setChatPhone, openChat } from './chat.js';
import { setBuddyPhone } from './buddies.js';
import { setHistory } from './history.js';

const $ = (id) => document.getElementById(id);
let phone;
let config;

function setState(state, detail = '') {
  $('state').textContent = state;
  $('state').dataset.state = state;
  $('detail').textContent = detail;
}

async function loadConfig() {
  config = await (await fetch('/demo-config.json')).json();
  for (const u of config.users) $('user').append(new Option(`${u.username} (${u.name ?? u.authorizationId})`, u.username));
  $('proxy').value = config.wsUrl;
  $('server').textContent = config.server ?? 'local';
  // RingCentral's call control (voicemail, forward, reply, record, park, flip)
  // needs a RingCentral server; on a standard one those buttons are hidden.
  // Chat, presence and busy lamps need a standard one (the edge routes no
  // plain MESSAGE and has no presence server): hidden on RingCentral.
  setRingCentral(!!config.ringCentral);
}

// --- devices (README "Devices"): the choice applies to new calls and the current one
const deviceManager = {
  getInputDeviceId: async () => $('mic').value || 'default',
  getOutputDeviceId: async () => $('speaker').value || undefined,
  getVideoInputDeviceId: async () => $('camera').value || undefined,
};
async function listDevices() {
  const devices = await navigator.mediaDevices?.enumerateDevices().catch(() => []) ?? [];
  const names = { audioinput: 'Microphone', audiooutput: 'Speaker', videoinput: 'Camera' };
  for (const [select, kind] of [[$('mic'), 'audioinput'], [$('speaker'), 'audiooutput'], [$('camera'), 'videoinput']]) {
    const chosen = select.value;
    select.replaceChildren(...devices.filter((d) => d.kind === kind)
      .map((d, i) => new Option(d.label || `${names[kind]} ${i + 1}`, d.deviceId)));
    if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
  }
}
navigator.mediaDevices?.addEventListener('devicechange', listDevices);
for (const [id, method, what] of [['mic', 'changeInputDevice', 'microphone'], ['speaker', 'changeOutputDevice', 'speaker']]) {
  $(id).addEventListener('change', async () => {
    const call = currentCall();
    const name = $(id).selectedOptions[0]?.textContent ?? '';
    if (!call) { $('device-result').textContent = `${what}: ${name} for the next call`; return; }
    try {
      await call[method]($(id).value);
      $('device-result').textContent = `${what}: ${name} in this call`;
    } catch (e) {
      $('device-result').textContent = `${what}: ${e.message}`;
    }
  });
}
// The camera is asked for when video starts (call, answer or add video).
$('camera').addEventListener('change', () => {
  $('device-result').textContent = `camera: ${$('camera').selectedOptions[0]?.textContent ?? ''} for the next video`;
});

// --- chat, presence and busy lamps: on a standard server, in the tab that runs the phone
const panels = ['phone', 'calls-panel', 'history-panel', 'buddies-panel', 'chat-panel'];
/** Chat and buddies run on the real WebPhone: this tab's, or the leader's in multi-tab mode. */
function bindUsages(user, off = false) {
  const real = phone instanceof WebPhone.MultiTab ? phone.phone : phone;
  const on = !config.ringCentral && !off && real ? real : undefined;
  for (const note of document.querySelectorAll('.follower-note')) note.hidden = !!on || !!config.ringCentral;
  setChatPhone(on);
  setBuddyPhone(on, user, {
    call: (ext) => { $('callee').value = ext; $('dial').requestSubmit(); },
    chat: openChat,
  });
}

// --- registration -------------------------------------------------------------
$('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  const user = config.users.find((u) => u.username === $('user').value);
  const sipInfo = { ...user, domain: config.domain, outboundProxy: $('proxy').value, stunServers: [] };
  delete sipInfo.name;
  if (phone) { bindUsages(undefined, true); clearCalls(); await phone.dispose().catch(() => {}); }
  localStorage.setItem('demo-multi-tab', String($('multiTab').checked));
  // README "Call history": kept in IndexedDB, one database per extension (the
  // demo's tabs share an origin); in multi-tab mode the leader's phone records.
  let started = false; // the first start() resolved (a later roleChanged is a takeover)
  const callHistory = new WebPhone.CallHistory({ store: new WebPhone.IndexedDbCallHistoryStore({ dbName: `wwp-demo-${user.username}@${config.domain}` }) });
  setHistory(callHistory, (number) => { $('callee').value = number; $('dial').requestSubmit(); });
  const options = {
    sipInfo, debug: $('debug').checked, autoRecover: $('autoRecover').checked, deviceManager, callHistory,
    dtmfTransport: $('dtmfInfo').checked && !config.ringCentral ? 'info' : 'rfc4733',
    // README "Call quality": a report every 2 s for the indicator; the watchdog warns of dead media.
    callQuality: { reportInterval: 2000 },
  };
  // Multi-tab (README "Multiple tabs"): every tab with this extension is one
  // phone, one registration; the leader tab registers and carries the media.
  phone = $('multiTab').checked ? new WebPhone.MultiTab(options)
    : new WebPhone({ ...options, instanceId: `demo-${user.username}-${Math.random().toString(36).slice(2, 8)}` });
  // autoRecover (README "Self-healing"): where the connection is, and why.
  phone.on('connectionStateChanged', ({ state, server, attempt, delay, reason }) => {
    $('connection').textContent = state;
    $('connection').dataset.state = state;
    $('connection-detail').textContent = state === 'waiting' ? `attempt ${attempt} in ${Math.round(delay)} ms (${reason})`
      : state === 'connected' ? `to the ${server} server` : reason;
  });
  phone.on('recovered', () => setState('registered', 'again, after a lost connection'));
  phone.on('failed', (err) => setState('failed', err.message));
  // README "Registration errors": a refresh refused, or the socket lost without
  // autoRecover, after start() had succeeded (the multi-tab phone re-emits it).
  (phone instanceof WebPhone.MultiTab ? phone : phone.sipClient).on('registrationFailed', (err) => {
    setState('failed', err?.code ? `${err.message} (${err.code}); Register again to retry` : `${err?.message ?? err}; Register again to retry`);
    $('register').disabled = false;
  });
  const traceClient = (client) => {
    client?.on('inboundMessage', (m) => logMessage('in', m));
    client?.on('outboundMessage', (m) => logMessage('out', m));
  };
  if (phone instanceof WebPhone.MultiTab) {
    const p = phone;
    const showRole = () => {
      $('tab-role').dataset.role = p.isLeader ? 'leader' : 'follower';
      $('tab-role').textContent = p.isLeader ? '· this tab leads (it registers and carries the media)'
        : '· another tab leads (it registers for this one)';
      if (p.isLeader) traceClient(p.phone?.sipClient); // the SIP log is the leader's
    };
    // A tab that takes over runs chat and buddies once its phone is registered.
    p.on('roleChanged', () => {
      showRole();
      if (p.isLeader && started) {
        p.start().then(() => bindUsages(user.username), (err) => setState('failed', `this tab took over but could not register: ${err.message}`));
      }
    });
    showRole();
  } else {
    $('tab-role').textContent = '';
    traceClient(phone.sipClient);
  }
  phone.on('inboundCall', (s) => showCall(phone, s));
  phone.on('outboundCall', (s) => showCall(phone, s));
  if (phone instanceof WebPhone.MultiTab) {
    // A follower's history is what it loaded: read the leader's entries again after each call.
    const p = phone;
    const reload = (s) => s.on('disposed', () => { if (!p.isLeader) setTimeout(() => callHistory.reload(), 500); });
    p.on('inboundCall', reload);
    p.on('outboundCall', reload);
  }
  setState('registering');
  $('register').disabled = true;
  try {
    await phone.start();
    started = true;
    setState('registered', `as ${user.username}@${config.domain}`);
    $('unregister').disabled = false;
    for (const id of panels) $(id).hidden = false;
    bindUsages(user.username);
    await listDevices();
  } catch (err) {
    // README "Registration errors": the typed code says what to do.
    setState('failed', err.code ? `${err.message} (${err.code})` : err.message);
    $('register').disabled = false;
  }
});

$('unregister').addEventListener('click', async () => {
  $('unregister').disabled = true;
  bindUsages(undefined, true); // unsubscribes first
  clearCalls(); // in multi-tab mode the calls go on in the other tabs, not on this page
  try {
    await phone.dispose();
    setState('unregistered');
  } catch (err) {
    setState('unregistered', `not cleanly: ${err.message}`);
  } finally {
    phone = undefined;
    for (const id of panels) $(id).hidden = true;
    $('register').disabled = false;
  }
});

// --- dial pad: types the number, or sends DTMF to the current answered call
async function dial(options) {
  const callee = $('callee').value.trim();
  if (!callee || !phone) return;
  try {
    await holdAllBut(undefined); // call waiting: the call in progress goes on hold first
    await phone.call(callee, undefined, options);
  } catch (err) {
    $('last-result').textContent = `${callee}: call failed: ${err.message}`;
  }
}
$('dial').addEventListener('submit', (e) => { e.preventDefault(); dial(); });
// README "Video and screen share": audio plus our camera.
$('video-call-button').addEventListener('click', () => dial({ video: true }));
for (const key of '123456789*0#') {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = key;
  b.setAttribute('aria-label', key === '*' ? 'star' : key === '#' ? 'pound' : key);
  b.onclick = () => { if (!sendDigit(key)) $('callee').value += key; };
  $('keypad').append(b);
}

setDiagnosticsBox($('diagnostics'));
$('multiTab').checked = localStorage.getItem('demo-multi-tab') !== 'false';
loadConfig().catch((e) => setState('failed', `cannot load demo config: ${e.message}`));

// Demo phone: loads the local SIP server's test extensions (/demo-config.json),
// registers the chosen one with wasm-web-phone, and offers every action of the
// SDK: the call list and its actions are in calls.js, the SIP log in sip-log.js.
import { logMessage } from './sip-log.js';
import { showCall, currentCall, sendDigit, setRingCentral, setDiagnosticsBox } from './calls.js';

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
  setRingCentral(!!config.ringCentral);
}

// --- devices (README "Devices"): the choice applies to new calls and the current one
const deviceManager = {
  getInputDeviceId: async () => $('mic').value || 'default',
  getOutputDeviceId: async () => $('speaker').value || undefined,
};
async function listDevices() {
  const devices = await navigator.mediaDevices?.enumerateDevices().catch(() => []) ?? [];
  for (const [select, kind] of [[$('mic'), 'audioinput'], [$('speaker'), 'audiooutput']]) {
    const chosen = select.value;
    select.replaceChildren(...devices.filter((d) => d.kind === kind)
      .map((d, i) => new Option(d.label || `${kind === 'audioinput' ? 'Microphone' : 'Speaker'} ${i + 1}`, d.deviceId)));
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

// --- registration -------------------------------------------------------------
$('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  const user = config.users.find((u) => u.username === $('user').value);
  const sipInfo = { ...user, domain: config.domain, outboundProxy: $('proxy').value, stunServers: [] };
  delete sipInfo.name;
  if (phone) await phone.dispose().catch(() => {});
  localStorage.setItem('demo-multi-tab', String($('multiTab').checked));
  const options = {
    sipInfo, debug: $('debug').checked, autoRecover: $('autoRecover').checked, deviceManager,
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
    p.on('roleChanged', showRole);
    showRole();
  } else {
    $('tab-role').textContent = '';
    traceClient(phone.sipClient);
  }
  phone.on('inboundCall', (s) => showCall(phone, s));
  phone.on('outboundCall', (s) => showCall(phone, s));
  setState('registering');
  $('register').disabled = true;
  try {
    await phone.start();
    setState('registered', `as ${user.username}@${config.domain}`);
    $('unregister').disabled = false;
    $('phone').hidden = $('calls-panel').hidden = false;
    await listDevices();
  } catch (err) {
    // README "Registration errors": the typed code says what to do.
    setState('failed', err.code ? `${err.message} (${err.code})` : err.message);
    $('register').disabled = false;
  }
});

$('unregister').addEventListener('click', async () => {
  $('unregister').disabled = true;
  try {
    await phone.dispose();
    setState('unregistered');
  } catch (err) {
    setState('unregistered', `not cleanly: ${err.message}`);
  } finally {
    phone = undefined;
    $('phone').hidden = $('calls-panel').hidden = true;
    $('register').disabled = false;
  }
});

// --- dial pad: types the number, or sends DTMF to the current answered call
$('dial').addEventListener('submit', async (e) => {
  e.preventDefault();
  const callee = $('callee').value.trim();
  if (!callee || !phone) return;
  try {
    await phone.call(callee);
  } catch (err) {
    setState('registered', `call failed: ${err.message}`);
  }
});
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

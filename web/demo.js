// Demo phone: loads the test extensions from the demo server (/demo-config.json),
// registers the chosen one with wasm-web-phone and shows the state and SIP trace.
const $ = (id) => document.getElementById(id);
let phone;
let config;

function setState(state, detail = '') {
  $('state').textContent = state;
  $('state').dataset.state = state;
  $('detail').textContent = detail;
}

function trace(direction, message) {
  const pre = $('trace');
  pre.textContent += `${direction === 'in' ? '<<<' : '>>>'} ${new Date().toLocaleTimeString()}\n${message.toString()}\n`;
  pre.scrollTop = pre.scrollHeight;
}

async function loadConfig() {
  config = await (await fetch('/demo-config.json')).json();
  for (const u of config.users) {
    const o = document.createElement('option');
    o.value = u.username;
    o.textContent = `${u.username} (${u.name ?? u.authorizationId})`;
    $('user').append(o);
  }
  $('proxy').value = config.wsUrl;
  $('server').textContent = config.server ?? 'local';
}

$('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  const user = config.users.find((u) => u.username === $('user').value);
  const sipInfo = { ...user, domain: config.domain, outboundProxy: $('proxy').value, stunServers: [] };
  delete sipInfo.name;
  if (phone) await phone.dispose().catch(() => {});
  localStorage.setItem('demo-multi-tab', String($('multiTab').checked));
  const options = {
    sipInfo, debug: $('debug').checked, autoRecover: $('autoRecover').checked,
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
  phone.on('failed', (e) => setState('failed', e.message));
  const traceClient = (client) => {
    client?.on('inboundMessage', (m) => trace('in', m));
    client?.on('outboundMessage', (m) => trace('out', m));
  };
  if (phone instanceof WebPhone.MultiTab) {
    const p = phone;
    const showRole = () => {
      $('tab-role').dataset.role = p.isLeader ? 'leader' : 'follower';
      $('tab-role').textContent = p.isLeader ? '· this tab leads (it registers and carries the media)'
        : '· another tab leads (it registers for this one)';
      if (p.isLeader) traceClient(p.phone?.sipClient); // the SIP trace is the leader's
    };
    p.on('roleChanged', showRole);
    showRole();
  } else {
    $('tab-role').textContent = '';
    traceClient(phone.sipClient);
  }
  phone.on('inboundCall', showCall);
  phone.on('outboundCall', showCall);
  setState('registering');
  $('register').disabled = true;
  try {
    await phone.start();
    setState('registered', `as ${user.username}@${config.domain}`);
    $('unregister').disabled = false;
    $('phone').hidden = false;
  } catch (err) {
    setState('failed', err.message);
    $('register').disabled = false;
  }
});

$('unregister').addEventListener('click', async () => {
  $('unregister').disabled = true;
  await phone.dispose();
  phone = undefined;
  $('phone').hidden = true;
  setState('unregistered');
  $('register').disabled = false;
});

$('multiTab').checked = localStorage.getItem('demo-multi-tab') !== 'false';
loadConfig().catch((e) => setState('failed', `cannot load demo config: ${e.message}`));

// --- calls -------------------------------------------------------------------
let session;
let held = false;
let muted = false;

function showCall(s) {
  session = s;
  held = muted = false;
  $('call').hidden = false;
  $('peer').textContent = s.remoteNumber;
  const update = () => {
    $('callState').textContent = session === s ? s.state : '';
    $('answer').hidden = !(s.direction === 'inbound' && s.state === 'ringing');
    $('decline').hidden = $('answer').hidden;
    $('hold').textContent = held ? 'Unhold' : 'Hold';
    $('mute').textContent = muted ? 'Unmute' : 'Mute';
  };
  for (const e of ['ringing', 'answered', 'failed', 'disposed']) s.on(e, update);
  showQuality(s);
  s.on('failed', (line) => ($('detail').textContent = `call failed: ${line}`));
  // README "Calls": an unplugged microphone is replaced by another input.
  s.on('deviceLost', ({ label }) => ($('detail').textContent = `microphone ${label || ''} disconnected`));
  s.on('deviceSwitched', ({ label }) => ($('detail').textContent = `microphone disconnected: now using ${label || 'another input'}`));
  s.on('deviceSwitchFailed', ({ error }) => ($('detail').textContent = `microphone disconnected, no other input: ${error.message}`));
  s.on('disposed', () => { if (session === s) { session = undefined; $('call').hidden = true; } });
  update();
  showCall.update = update;
}

// README "Call quality": MOS, RTT, loss and jitter from qualityReport; the
// watchdog's verdicts as a warning.
function showQuality(s) {
  $('quality').textContent = '';
  $('quality').dataset.level = '';
  $('media-warning').textContent = '';
  const stalls = new Map();
  const warn = () => {
    $('media-warning').textContent = [...stalls.values()].join('; ');
  };
  s.on('qualityReport', (r) => {
    if (session !== s || r.mos === undefined) return;
    const parts = [`MOS ${r.mos.toFixed(1)}`];
    if (r.rttMs !== undefined) parts.push(`RTT ${Math.round(r.rttMs)} ms`);
    parts.push(`loss ${r.inbound.lossPercent} %`);
    if (r.inbound.jitterMs !== undefined) parts.push(`jitter ${Math.round(r.inbound.jitterMs)} ms`);
    $('quality').textContent = `· ${parts.join(' · ')}`;
    $('quality').dataset.level = r.mos >= 4 ? 'good' : r.mos >= 3.6 ? 'fair' : 'poor';
  });
  s.on('mediaStalled', ({ direction, reason }) => {
    stalls.set(direction, reason === 'silence' ? `the other side is silent` : `no ${direction === 'inbound' ? 'incoming' : 'outgoing'} audio`);
    warn();
  });
  s.on('mediaResumed', ({ direction }) => {
    stalls.delete(direction);
    warn();
  });
}

async function act(fn) {
  try {
    await fn();
  } catch (e) {
    $('detail').textContent = e.message;
  }
  showCall.update?.();
}

$('dial').addEventListener('submit', (e) => {
  e.preventDefault();
  const callee = $('callee').value.trim();
  if (!callee || !phone) return;
  act(() => phone.call(callee));
});
$('answer').onclick = () => act(() => session?.answer());
$('decline').onclick = () => act(() => session?.decline());
$('hangup').onclick = () => act(() => session?.hangup());
$('hold').onclick = () => act(async () => { held ? await session.unhold() : await session.hold(); held = !held; });
$('mute').onclick = () => act(() => { muted ? session.unmute() : session.mute(); muted = !muted; });
// README "Diagnostics": the call's bundle, redacted, for a support ticket.
$('copy-diagnostics').onclick = () => act(async () => {
  const text = JSON.stringify(await session.diagnostics(), null, 2);
  $('diagnostics').value = text;
  $('diagnostics').hidden = false;
  await navigator.clipboard?.writeText(text).catch(() => {}); // the text area has it if the clipboard is refused
  $('detail').textContent = `diagnostics: ${text.length} characters, also in the box below the call`;
});
for (const key of '123456789*0#') {
  const b = document.createElement('button');
  b.textContent = key;
  b.onclick = () => act(() => session?.sendDtmf(key));
  $('keypad').append(b);
}

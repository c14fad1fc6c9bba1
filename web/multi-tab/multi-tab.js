// The multi-tab sample: the shipped mode (wasm-web-phone/multi-tab, README
// "Multiple tabs") and a few lines of UI. Open this page in several tabs:
// one registration, the same calls and buttons in every tab; close or crash
// the tab that leads and another one takes over, calls included.
//
// sipInfo comes from the page's query: ?username=101&authorizationId=101001&
// password=pw-101&domain=localhost&wsUrl=ws://127.0.0.1:25080 (a sample
// only: a real app gets it from its server), or, under scripts/demo.sh, from
// the demo's /demo-config.json: ?user=101.
import { MultiTabWebPhone } from '/dist/es/multi-tab.js';

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

const webPhone = new MultiTabWebPhone({ sipInfo: await loadSipInfo(), autoRecover: true });
window.multiTab = { webPhone };
let lastError = '';

function button(label, className, run) {
  const b = document.createElement('button');
  b.textContent = label;
  b.className = className;
  b.onclick = () => run().then(() => { lastError = ''; }, (e) => { lastError = e.message; }).finally(render);
  return b;
}

function render() {
  $('role').textContent = webPhone.isLeader ? 'leader (registers, carries the media)' : 'follower';
  $('role').dataset.role = webPhone.isLeader ? 'leader' : 'follower';
  $('registered').textContent = webPhone.registered ? 'yes' : 'no';
  $('registered').dataset.registered = String(webPhone.registered);
  $('aor').textContent = `${webPhone.sipInfo.username}@${webPhone.sipInfo.domain}`;
  $('detail').textContent = lastError;
  $('sessions').replaceChildren(...webPhone.callSessions.map((s) => {
    const li = document.createElement('li');
    Object.assign(li.dataset, { callId: s.callId, state: s.state, direction: s.direction, remoteNumber: s.remoteNumber });
    li.append(`${s.direction === 'inbound' ? 'from' : 'to'} ${s.remoteNumber}: `);
    const st = document.createElement('strong');
    st.textContent = s.state;
    li.append(st);
    if (s.direction === 'inbound' && s.state === 'ringing') {
      li.append(button('Answer', 'answer', () => s.answer()), button('Decline', 'decline', () => s.decline()));
    }
    li.append(button('Hang up', 'hangup', () => s.hangup()));
    return li;
  }));
}

const track = (s) => { for (const e of ['ringing', 'answered', 'failed', 'disposed', 'mediaRecovered']) s.on(e, render); render(); };
webPhone.on('inboundCall', track);
webPhone.on('outboundCall', track);
for (const e of ['roleChanged', 'registered', 'registrationFailed', 'connectionStateChanged']) webPhone.on(e, render);
$('dial').onsubmit = (e) => {
  e.preventDefault();
  webPhone.call($('callee').value.trim()).then(track, (err) => { lastError = err.message; render(); });
};
render();
webPhone.start().then(render, (e) => { lastError = e.message; render(); });
setInterval(render, 1000); // followers learn of state changes between events too

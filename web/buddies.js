// The buddy list (README "Presence", "Busy lamps"): each buddy's presence
// (a dot, available/away/busy/offline, the note) from subscribePresence, and
// the busy lamp of its line from subscribeDialog; our own status and note go
// out with publishPresence. Buddies are kept per extension in localStorage.
const $ = (id) => document.getElementById(id);
const buddies = new Map(); // ext → { el, presence?: Subscription, dialog?: Subscription }
let phone; // the WebPhone that runs presence (the leader's in multi-tab mode)
let storageKey = '';
let actions = { call: () => {}, chat: () => {} };

const MY_STATUS = {
  available: { status: 'open' },
  away: { status: 'open', activity: 'away' },
  busy: { status: 'open', activity: 'busy' },
  offline: { status: 'closed' },
};
/** A PresenceStatus as a word: offline (closed), away or busy (their activity), else available. */
function describe(p) {
  if (p.status === 'closed') return 'offline';
  if (p.activity === 'away' || p.activity === 'busy') return p.activity;
  return p.activity ? `available (${p.activity})` : 'available';
}
const LAMP = { idle: 'line idle', ringing: 'line ringing', busy: 'line busy' };

const q = (b, selector) => b.el.querySelector(selector);

function watch(ext, b) {
  if (!phone) return;
  q(b, '.presence').textContent = 'unknown';
  q(b, '.error').textContent = '';
  q(b, '.lamp').dataset.lamp = '';
  q(b, '.lamp').textContent = 'line unknown';
  q(b, '.dot').dataset.status = 'unknown';
  b.presence = phone.subscribePresence(ext);
  b.presence.on('presence', (p) => {
    const word = describe(p);
    q(b, '.dot').dataset.status = p.status === 'closed' ? 'closed' : word.split(' ')[0];
    q(b, '.presence').textContent = word;
    q(b, '.note').textContent = p.note ? `“${p.note}”` : '';
  });
  b.dialog = phone.subscribeDialog(ext);
  const lamp = (state) => { q(b, '.lamp').dataset.lamp = state; q(b, '.lamp').textContent = LAMP[state]; };
  b.dialog.on('dialogInfo', (d) => lamp(d.lamp));
  // A server may say nothing while the line has no call (Kamailio's first NOTIFY has no body).
  b.dialog.on('state', (s) => { if (s.state === 'active' && !q(b, '.lamp').dataset.lamp) lamp('idle'); });
  for (const [sub, what] of [[b.presence, 'presence'], [b.dialog, 'line']]) {
    sub.on('terminated', (s) => {
      if (b.presence !== sub && b.dialog !== sub) return; // removed, or the phone went away
      q(b, '.error').textContent = `${what} not watched: ${s.status ? `${s.status} ` : ''}${s.reason}`;
    });
  }
}

function unwatch(b) {
  for (const sub of [b.presence, b.dialog]) sub?.unsubscribe().catch(() => {});
  b.presence = b.dialog = undefined;
}

function save() { if (storageKey) localStorage.setItem(storageKey, JSON.stringify([...buddies.keys()])); }

function add(ext) {
  if (buddies.has(ext)) return;
  const el = document.createElement('li');
  el.className = 'buddy';
  el.dataset.ext = ext;
  el.innerHTML = `<span class="dot" data-status="unknown" aria-hidden="true"></span> <strong class="name"></strong>
    <span class="presence">unknown</span> <span class="note"></span>
    <span class="lamp" data-lamp="">line unknown</span> <span class="error"></span>
    <span class="buttons"><button type="button" data-action="call">Call</button><button type="button" data-action="chat">Chat</button><button type="button" data-action="remove">Remove</button></span>`;
  el.querySelector('.name').textContent = ext;
  for (const button of el.querySelectorAll('button')) button.setAttribute('aria-label', `${button.textContent} ${ext}`);
  const b = { el };
  buddies.set(ext, b);
  el.querySelector('[data-action="call"]').onclick = () => actions.call(ext);
  el.querySelector('[data-action="chat"]').onclick = () => actions.chat(ext);
  el.querySelector('[data-action="remove"]').onclick = () => {
    unwatch(b);
    buddies.delete(ext);
    el.remove();
    save();
    $('no-buddies').hidden = buddies.size > 0;
  };
  $('buddies').append(el);
  $('no-buddies').hidden = true;
  watch(ext, b);
  save();
}

/**
 * Run the list on `p` (a WebPhone), or stop (undefined: unregistered, or a
 * follower tab). `user` names the localStorage list; `on` has call(ext) and chat(ext).
 */
export function setBuddyPhone(p, user, on) {
  if (on) actions = on;
  for (const b of buddies.values()) { if (phone && !phone.disposed) unwatch(b); b.presence = b.dialog = undefined; }
  phone = p;
  $('publish').disabled = !phone;
  if (!phone) return;
  if (user && `demo-buddies-${user}` !== storageKey) {
    storageKey = `demo-buddies-${user}`;
    for (const b of buddies.values()) b.el.remove();
    buddies.clear();
    for (const ext of JSON.parse(localStorage.getItem(storageKey) ?? '[]')) add(ext);
  } else {
    for (const [ext, b] of buddies) watch(ext, b);
  }
  $('no-buddies').hidden = buddies.size > 0;
}

$('add-buddy').addEventListener('submit', (e) => {
  e.preventDefault();
  const ext = $('buddy-ext').value.trim();
  if (!ext || !phone) return;
  add(ext);
  $('buddy-ext').value = '';
});

$('my-presence').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!phone) return;
  const status = $('my-status').value;
  const note = $('my-note').value.trim();
  $('presence-result').textContent = 'publishing…';
  try {
    await phone.publishPresence({ ...MY_STATUS[status], note });
    $('presence-result').textContent = `published: ${status}${note ? `, “${note}”` : ''}`;
  } catch (err) {
    $('presence-result').textContent = `not published: ${err.status ? `${err.status} ${err.reason}` : err.message}`;
  }
});

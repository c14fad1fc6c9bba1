// The call history pane (README "Call history"): the phone's CallHistory,
// newest first, each call with its direction, party, time, duration and
// result; a click calls the party again, Clear empties it (and its store).
const $ = (id) => document.getElementById(id);
let history; // the CallHistory shown
let redial = () => {};

const ARROW = { inbound: ['↙', 'incoming'], outbound: ['↗', 'outgoing'] };
const duration = (ms) => { const s = Math.round(ms / 1000); return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`; };

function row(e) {
  const li = document.createElement('li');
  li.className = 'history-entry';
  li.dataset.result = e.result;
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'redial';
  const number = e.remoteParty.number;
  const [arrow, direction] = ARROW[e.direction];
  const status = e.statusCode && e.result !== 'cancelled' ? ` (${e.statusCode})` : ''; // a refusal's status; 487 says nothing more
  b.innerHTML = '<span class="arrow" aria-hidden="true"></span> <span class="sr-only direction"></span> <strong class="party"></strong> '
    + '<span class="time"></span> <span class="duration"></span> <span class="result"></span>';
  b.querySelector('.arrow').textContent = arrow;
  b.querySelector('.direction').textContent = direction;
  b.querySelector('.party').textContent = number || 'unknown';
  b.querySelector('.time').textContent = new Date(e.startTime).toLocaleTimeString();
  b.querySelector('.duration').textContent = e.durationMs ? duration(e.durationMs) : '';
  b.querySelector('.result').textContent = e.result + status;
  b.title = number ? `call ${number} again` : '';
  b.disabled = !number;
  b.onclick = () => redial(number);
  li.append(b);
  return li;
}

async function render() {
  const shown = history;
  const entries = shown ? await shown.list({ limit: 50 }) : [];
  if (shown !== history) return; // replaced meanwhile
  $('history').replaceChildren(...entries.map(row));
  $('no-history').hidden = entries.length > 0;
}

/** Show `h` (a CallHistory); `call(number)` redials. */
export function setHistory(h, call) {
  history?.off('change', render);
  history = h;
  if (call) redial = call;
  history?.on('change', render);
  history?.on('error', (err, op) => { $('history-result').textContent = `history ${op}: ${err.message}`; });
  void render();
}

$('history-clear').addEventListener('click', async () => {
  try {
    await history?.clear();
    $('history-result').textContent = 'cleared';
  } catch (err) {
    $('history-result').textContent = `not cleared: ${err.message}`;
  }
});

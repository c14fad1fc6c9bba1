// The SIP log pane: every message the phone sent or received, as the SDK's
// sipClient events hand them over (digest responses already masked by the SDK),
// filterable by method and Call-ID, copyable.
const $ = (id) => document.getElementById(id);
const entries = [];
// A long session keeps the last ones: the pane stays quick, the copy bounded.
const MAX_ENTRIES = 2000;

/** The request method of a message, or of the request a response answers (its CSeq), from the SDK's message object. */
function methodOf(message) {
  const subject = message.subject ?? '';
  if (!subject.startsWith('SIP/2.0 ')) return subject.split(' ')[0] || '?';
  return (message.getHeader('CSeq') ?? '').trim().split(/\s+/)[1] || '?';
}
const line = (e) => `${e.direction === 'in' ? '<<<' : '>>>'} ${e.time}\n${e.text}\n`;

function visible() {
  return entries.filter(matches);
}

const matches = (e) => {
  const method = $('log-method').value;
  const callId = $('log-call-id').value.trim();
  return (!method || e.method === method) && (!callId || e.callId.includes(callId));
};

function render() {
  const shown = visible();
  $('trace').textContent = shown.map(line).join('');
  $('trace').scrollTop = $('trace').scrollHeight;
  $('log-count').textContent = `${shown.length} of ${entries.length} messages`;
}

export function logMessage(direction, message) {
  const method = methodOf(message);
  const entry = { direction, text: String(message), method, callId: message.getHeader('Call-ID') ?? '', time: new Date().toLocaleTimeString() };
  entries.push(entry);
  if (![...$('log-method').options].some((o) => o.value === method)) $('log-method').append(new Option(method, method));
  // Dropping the oldest (200 at a time) rebuilds the pane; otherwise a new entry is appended.
  if (entries.length > MAX_ENTRIES + 200) {
    entries.splice(0, entries.length - MAX_ENTRIES);
    return render();
  }
  if (matches(entry)) {
    $('trace').append(line(entry));
    $('trace').scrollTop = $('trace').scrollHeight;
  }
  $('log-count').textContent = `${visible().length} of ${entries.length} messages`;
}

$('log-method').addEventListener('change', render);
$('log-call-id').addEventListener('input', render);
$('log-clear').addEventListener('click', () => { entries.length = 0; render(); });
$('log-copy').addEventListener('click', async () => {
  const text = $('trace').textContent;
  try {
    await navigator.clipboard.writeText(text);
    $('log-count').textContent = `copied ${visible().length} messages`;
  } catch (e) {
    $('log-count').textContent = `cannot copy: ${e.message} (select the text instead)`;
  }
});
render();

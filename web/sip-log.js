// The SIP log pane: every message the phone sent or received, as the SDK's
// sipClient events hand them over (digest responses already masked by the SDK),
// filterable by method and Call-ID, copyable.
const $ = (id) => document.getElementById(id);
const entries = [];
const METHOD = /^(?:([A-Z]+) \S+ SIP\/2\.0|SIP\/2\.0 \d{3} [^\r\n]*)/;

/** The request method of a message, or of the request a response answers (its CSeq). */
function methodOf(text) {
  const start = METHOD.exec(text);
  if (start?.[1]) return start[1];
  return /^CSeq:\s*\d+\s+([A-Z]+)/mi.exec(text)?.[1] ?? '?';
}
const callIdOf = (text) => /^(?:Call-ID|i):\s*(\S+)/mi.exec(text)?.[1] ?? '';

function visible() {
  const method = $('log-method').value;
  const callId = $('log-call-id').value.trim();
  return entries.filter((e) => (!method || e.method === method) && (!callId || e.callId.includes(callId)));
}

function render() {
  const shown = visible();
  $('trace').textContent = shown.map((e) => `${e.direction === 'in' ? '<<<' : '>>>'} ${e.time}\n${e.text}\n`).join('');
  $('trace').scrollTop = $('trace').scrollHeight;
  $('log-count').textContent = `${shown.length} of ${entries.length} messages`;
}

export function logMessage(direction, message) {
  const text = String(message);
  const method = methodOf(text);
  entries.push({ direction, text, method, callId: callIdOf(text), time: new Date().toLocaleTimeString() });
  if (![...$('log-method').options].some((o) => o.value === method)) $('log-method').append(new Option(method, method));
  render();
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

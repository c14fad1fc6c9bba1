// The whole app: what a user writes after `npm install wasm-web-phone`.
// sipInfo comes from the page URL (?sipInfo=<JSON>) so the harness can point it
// at the SIP server it started; the result is shown in #status (data-state).
import WebPhone from 'wasm-web-phone';

const status = document.getElementById('status');
function show(state, detail) {
  status.textContent = detail ? `${state}: ${detail}` : state;
  status.dataset.state = state;
}

let sipInfo = null;
try { sipInfo = JSON.parse(new URLSearchParams(location.search).get('sipInfo')); } catch { /* shown below */ }
if (!sipInfo) {
  show('failed', 'no ?sipInfo=<JSON> in the page URL');
} else {
  show('starting');
  const webPhone = new WebPhone({ sipInfo });
  window.webPhone = webPhone;
  webPhone.start().then(
    () => show('registered', sipInfo.username),
    (e) => show('failed', e instanceof Error ? e.message : String(e)),
  );
}

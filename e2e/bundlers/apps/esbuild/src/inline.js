// The same app, with the core inlined because the user asked for it: the
// wasm-web-phone/sip-core-inline subpath (sip-core.wasm inside a JS module)
// passed as wasm.wasmBinary, so nothing is fetched besides the bundle.
import WebPhone from 'wasm-web-phone';
import sipCoreWasm from 'wasm-web-phone/sip-core-inline';

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
  sipCoreWasm()
    .then((wasmBinary) => {
      const webPhone = new WebPhone({ sipInfo, wasm: { wasmBinary } });
      window.webPhone = webPhone;
      return webPhone.start();
    })
    .then(
      () => show('registered', sipInfo.username),
      (e) => show('failed', e instanceof Error ? e.message : String(e)),
    );
}

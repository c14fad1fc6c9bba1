// The example app: one phone, one call at a time, the WebPhone 2.x API only.
const sdk = new URLSearchParams(location.search).get('sdk') || 'ours';
const src = { ours: '/sdk/ours/iife/wasm-web-phone.js', rc: '/sdk/rc/index.iife.js' }[sdk];
const $ = (id) => document.getElementById(id);
const status = (text) => { $('status').value = text; };
const ready = new Promise((resolve, reject) => {
  const s = document.createElement('script');
  s.src = src;
  s.onload = resolve;
  s.onerror = () => reject(new Error(`cannot load ${src}`));
  document.head.appendChild(s);
});
let phone;
let call;

function follow(session) {
  call = session;
  $('peer').value = session.remoteNumber || '';
  session.on('answered', () => status('in call'));
  session.on('failed', (reason) => { $('error').textContent = `call failed: ${reason}`; });
  session.on('disposed', () => { if (call === session) { call = undefined; status('registered'); } });
}
async function act(fn) {
  try { $('error').textContent = ''; await fn(); } catch (e) { $('error').textContent = String(e && e.message || e); }
}

window.app = {
  /** The app's backend would fetch sipInfo from RingCentral; the tests hand it over. */
  async start(sipInfo) {
    await ready;
    // One stable instance per device (browser profile): RingCentral allows five per
    // extension, and the same instanceId on two devices means only the newest rings.
    const instanceId = localStorage.softphoneDevice || (localStorage.softphoneDevice = crypto.randomUUID());
    phone = new WebPhone({ sipInfo, instanceId });
    phone.on('inboundCall', (s) => { follow(s); status('ringing'); });
    phone.on('outboundCall', (s) => { follow(s); status('calling'); });
    try {
      await phone.start();
      status('registered');
    } catch (e) {
      status('not registered');
      $('error').textContent = String(e && e.message || e);
    }
  },
};
$('call').onclick = () => act(() => phone.call($('dial').value));
$('answer').onclick = () => act(() => call.answer());
$('hangup').onclick = () => act(() => (call.state === 'ringing' && call.direction === 'inbound' ? call.decline() : call.hangup()));
$('hold').onclick = () => act(async () => { await call.hold(); status('on hold'); });
$('unhold').onclick = () => act(async () => { await call.unhold(); status('in call'); });
$('transfer').onclick = () => act(() => call.transfer($('transfer-to').value));

// Loads the SDK under test. ?sdk=rc (default) → the published ringcentral-web-phone
// IIFE served at /rc/index.iife.js; ?sdk=ours → our build at /dist/iife/wasm-web-phone.js.
// window.sdkReady resolves once globalThis.WebPhone exists.
(() => {
  const sdk = new URLSearchParams(location.search).get('sdk') || 'rc';
  const src = { rc: '/rc/index.iife.js', ours: '/dist/iife/wasm-web-phone.js' }[sdk];
  window.sdkName = sdk;
  document.getElementById('sdk').textContent = `SDK under test: ${sdk} (${src})`;
  window.sdkReady = new Promise((resolve, reject) => {
    if (!src) return reject(new Error(`unknown sdk ${sdk}`));
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => (globalThis.WebPhone ? resolve(sdk) : reject(new Error(`${src} did not define WebPhone`)));
    s.onerror = () => reject(new Error(`failed to load ${src}`));
    document.head.appendChild(s);
  });
})();

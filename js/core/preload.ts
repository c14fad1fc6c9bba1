// The script-tag build's early start on sip-core.wasm. This module imports
// nothing, and js/iife.ts imports it before anything else, so the bundle runs
// it first: the wasm request goes out (and compiles while it downloads) before
// the rest of the SDK's ~85 KB of script has been evaluated, rather than half
// way through it. The wasm is what `start()` waits for, so every millisecond
// it starts earlier comes off the time to the first REGISTER
// (bench/cold-start.mjs; README "Performance").
//
// Only our own IIFE does this (build flag __WWP_IIFE__): inside someone's
// bundle the <script> is theirs, and a guess from it would be a request for a
// 404. js/core/loader.ts takes the promise (`takePreloaded`) or, without one,
// fetches the wasm itself.

declare const __WWP_IIFE__: boolean | undefined; // true only in dist/iife/*.js (scripts/build.sh --define)

// document.currentScript is only set while the script first runs: read it now.
const script: HTMLScriptElement | undefined =
  typeof __WWP_IIFE__ !== 'undefined' && __WWP_IIFE__ &&
  typeof document !== 'undefined' && document.currentScript instanceof HTMLScriptElement
    ? document.currentScript
    : undefined;

/** Our IIFE's sip-core.wasm: next to dist/iife/, or where the script tag's data-wasm-url says. */
export function scriptWasmUrl(): string | undefined {
  if (!script?.src) return undefined; // our ESM/CJS builds, an IIFE someone else bundled or inlined
  // <script src=".../wasm-web-phone.js" data-wasm-url="…"> moves it (relative to the script).
  const chosen = script.dataset.wasmUrl;
  return new URL(chosen || '../sip-core.wasm', script.src).href; // dist/iife/ → dist/
}

// A page that includes the SDK is about to use it, and apps usually fetch
// their sipInfo before they construct a WebPhone, so by then the core is
// compiled. Only the default location is preloaded (also when moved by
// data-wasm-url); data-wasm-preload="false" turns it off. A failure here is
// not reported: loadCore() then fetches the URL itself and reports that.
let preloaded: { url: string; module: Promise<WebAssembly.Module | undefined> } | undefined;
if (script && script.dataset.wasmPreload !== 'false' && typeof fetch === 'function' &&
    typeof WebAssembly !== 'undefined' && typeof WebAssembly.compileStreaming === 'function') {
  const url = scriptWasmUrl();
  if (url && !url.startsWith('file:')) {
    preloaded = {
      url,
      module: WebAssembly.compileStreaming(fetch(url, { credentials: 'same-origin' })).catch(() => undefined),
    };
  }
}

/**
 * The compile started above, if it was for `url`; once (a later load after a
 * failure starts afresh).
 */
export function takePreloaded(url: string): Promise<WebAssembly.Module | undefined> | undefined {
  if (!preloaded || preloaded.url !== url) return undefined;
  const { module } = preloaded;
  preloaded = undefined;
  return module;
}

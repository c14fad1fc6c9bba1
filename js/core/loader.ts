// Loads the wasm SIP core once per page/worker (house style §16) and turns
// core status objects into JS errors in exactly one place (`check`).
import createSipCore from '../sip-core.mjs';
import type { CoreStatus, SipCoreModule, SipCoreModuleOptions } from './sip-core.js';

/** Where to find `sip-core.wasm` and/or its bytes; see README "Loading". */
export interface CoreLoadOptions {
  /** URL of sip-core.wasm. Default: next to the SDK script. */
  wasmUrl?: string;
  /** The wasm bytes themselves (Node, tests, bundlers that inline assets). */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

// Captured at script evaluation: in the IIFE build there is no import.meta,
// and document.currentScript is only set while the script first runs.
const scriptUrl: string | undefined =
  typeof document !== 'undefined' && document.currentScript instanceof HTMLScriptElement
    ? document.currentScript.src
    : undefined;

function defaultWasmUrl(): string | undefined {
  // This file is dist/es/core/loader.js in the ESM build and part of
  // dist/iife/wasm-web-phone.js in the IIFE build; the wasm is dist/sip-core.wasm.
  try {
    const meta = (import.meta as { url?: string }).url;
    if (meta) return new URL('../../sip-core.wasm', meta).href;
  } catch {
    /* not an ES module context */
  }
  if (scriptUrl) return new URL('../sip-core.wasm', scriptUrl).href;
  return undefined;
}

let cached: Promise<SipCoreModule> | undefined;
let cachedKey: string | undefined;
let loaded: SipCoreModule | undefined;

/** The core once any `loadCore()` has finished (e.g. after `webPhone.start()`), else undefined. */
export function loadedCore(): SipCoreModule | undefined {
  return loaded;
}

export function loadCore(options: CoreLoadOptions = {}): Promise<SipCoreModule> {
  const key = options.wasmBinary ? 'binary' : (options.wasmUrl ?? 'default');
  if (cached && cachedKey === key) return cached;
  const moduleOptions: SipCoreModuleOptions = {};
  if (options.wasmBinary) moduleOptions.wasmBinary = options.wasmBinary;
  const url = options.wasmUrl ?? defaultWasmUrl();
  if (url) moduleOptions.locateFile = (path) => (path.endsWith('.wasm') ? url : path);
  cachedKey = key;
  cached = (createSipCore as (o: SipCoreModuleOptions) => Promise<SipCoreModule>)(moduleOptions).then(
    (m) => (loaded = m),
    (e: unknown) => {
      cached = undefined;
      throw new Error(`Failed to load the SIP core (sip-core.wasm from ${url ?? 'wasmBinary'}): ${String(e)}`);
    },
  );
  return cached;
}

/** The one place where a core status becomes a JS error. */
export function check(status: CoreStatus, action: string): void {
  if (status.ok) return;
  const reason = status.message ?? status.code ?? 'failed';
  // An empty action keeps the core's message as is (e.g. "Invalid reply options",
  // which apps of the original SDK match on).
  throw new Error(action ? `${action}: ${reason}` : reason);
}

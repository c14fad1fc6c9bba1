// Loads the wasm SIP core once per page/worker (house style §16) and turns
// core status objects into JS errors in exactly one place (`check`).
//
// There is no Emscripten JS glue: sip-core.wasm is a standalone module with
// two imports, compiled while it downloads (`instantiateStreaming`) and
// started as soon as a WebPhone is constructed, so by the time the socket is
// open the core is usually ready.
import { CoreAbi, type CoreExports, SipCore } from './abi.js';
import type { CoreStatus } from './sip-core.js';
import { setHeaderIds } from './wire-message.js';

/** Where to find `sip-core.wasm` and/or its bytes; see README "Loading the wasm". */
export interface CoreLoadOptions {
  /** URL of sip-core.wasm. Default: found by your bundler, or next to the SDK script. */
  wasmUrl?: string | URL;
  /** The wasm bytes themselves (Node, tests, inlined builds), or a compiled module. */
  wasmBinary?: ArrayBuffer | Uint8Array | WebAssembly.Module;
}

// Captured at script evaluation: in the IIFE build there is no import.meta,
// and document.currentScript is only set while the script first runs.
const scriptUrl: string | undefined =
  typeof document !== 'undefined' && document.currentScript instanceof HTMLScriptElement
    ? document.currentScript.src
    : undefined;

/** The default location of sip-core.wasm (dist/sip-core.wasm). */
function defaultWasmUrl(): string | undefined {
  try {
    // Written literally so that Vite, webpack 5 and Rollup see the asset and
    // emit it with the app (this file is dist/es/core/loader.js).
    return new URL('../../sip-core.wasm', import.meta.url).href;
  } catch {
    /* no import.meta.url: the IIFE or CommonJS build */
  }
  // dist/iife/wasm-web-phone.js → dist/sip-core.wasm
  if (scriptUrl) return new URL('../sip-core.wasm', scriptUrl).href;
  return undefined;
}

let cached: Promise<SipCore> | undefined;
let cachedKey: unknown;
let loaded: SipCore | undefined;

/** The core once any `loadCore()` has finished (e.g. after `webPhone.start()`), else undefined. */
export function loadedCore(): SipCore | undefined {
  return loaded;
}

function imports(memory: () => WebAssembly.Memory | undefined): WebAssembly.Imports {
  return {
    // Memory growth needs no action: the shim re-reads `memory.buffer`
    // whenever it changes (js/core/abi.ts).
    env: { emscripten_notify_memory_growth: () => undefined },
    // Only reached by abort() in the core (a broken invariant, house style §11c).
    wasi_snapshot_preview1: {
      proc_exit: (code: number) => {
        throw new Error(`sip-core: the core aborted (exit ${code}); memory ${memory()?.buffer.byteLength ?? 0} B`);
      },
    },
  };
}

async function instantiate(options: CoreLoadOptions, url: string | undefined): Promise<WebAssembly.Instance> {
  let instanceMemory: WebAssembly.Memory | undefined;
  const imp = imports(() => instanceMemory);
  let instance: WebAssembly.Instance;
  const bin = options.wasmBinary;
  if (bin instanceof WebAssembly.Module) {
    instance = await WebAssembly.instantiate(bin, imp);
  } else if (bin) {
    instance = (await WebAssembly.instantiate(bin as BufferSource, imp)).instance;
  } else {
    if (!url) throw new Error('no URL for sip-core.wasm: pass wasm.wasmUrl or wasm.wasmBinary');
    if (typeof fetch !== 'function' || url.startsWith('file:'))
      throw new Error(`cannot fetch ${url} here: in Node pass wasm.wasmBinary (the bytes of sip-core.wasm)`);
    const response = fetch(url, { credentials: 'same-origin' });
    try {
      // Compiles while the bytes arrive; needs the server to send application/wasm.
      instance = (await WebAssembly.instantiateStreaming(response, imp)).instance;
    } catch (e) {
      const r = await response;
      if (!r.ok) throw new Error(`HTTP ${r.status} ${r.statusText}`.trim());
      // A server without the wasm MIME type: compile from the bytes instead.
      if ((r.headers.get('content-type') ?? '').includes('application/wasm')) throw e;
      // (The failed attempt may have read the body; ask again.)
      const bytes = await (await fetch(url, { credentials: 'same-origin' })).arrayBuffer();
      instance = (await WebAssembly.instantiate(bytes, imp)).instance;
    }
  }
  instanceMemory = instance.exports.memory as WebAssembly.Memory;
  return instance;
}

/**
 * Fetch, compile and start the core (once per page or worker; later calls
 * with the same options share the promise). `WebPhone` calls it from its
 * constructor so the download overlaps everything else.
 */
export function loadCore(options: CoreLoadOptions = {}): Promise<SipCore> {
  const key = options.wasmBinary ?? String(options.wasmUrl ?? 'default');
  if (cached && cachedKey === key) return cached;
  const url = options.wasmUrl !== undefined ? String(options.wasmUrl) : defaultWasmUrl();
  cachedKey = key;
  cached = instantiate(options, url).then(
    (instance) => {
      const abi = new CoreAbi(instance.exports as unknown as CoreExports);
      setHeaderIds(abi.headerIdNames);
      return (loaded = new SipCore(abi));
    },
    (e: unknown) => {
      cached = undefined;
      const why = e instanceof Error ? e.message : String(e);
      throw new Error(`Failed to load the SIP core (sip-core.wasm from ${url ?? 'wasmBinary'}): ${why}`);
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

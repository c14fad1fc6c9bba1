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
import { scriptWasmUrl, takePreloaded } from './preload.js';

/** Where to find `sip-core.wasm` and/or its bytes; see README "Loading the wasm". */
export interface CoreLoadOptions {
  /** URL of sip-core.wasm. Default: found by your bundler, or next to the SDK script. */
  wasmUrl?: string | URL;
  /** The wasm bytes themselves (Node, tests, inlined builds), or a compiled module. */
  wasmBinary?: ArrayBuffer | Uint8Array | WebAssembly.Module;
}

// Build flag (scripts/build.sh --define); undefined when the sources run as they are.
declare const __WWP_INLINE_FALLBACK__: boolean | undefined; // false only in the IIFE (it must stay small)

const WASM_PATH = '../../sip-core.wasm';

/**
 * The default location of sip-core.wasm, or undefined when no request for it
 * can succeed (the loader then takes the inline copy at once).
 */
function defaultWasmUrl(): string | undefined {
  // import.meta is {} in our IIFE (and esbuild's iife/cjs output): take the
  // script's URL without trying the line below, whose TypeError (a fresh
  // page's first exception) cost 1.5-7 ms before the wasm request went out.
  if (typeof import.meta.url !== 'string') return scriptWasmUrl();
  let asset: string;
  try {
    // Vite and webpack 5 find exactly this expression, emit dist/sip-core.wasm
    // with the app and put the emitted file's URL here (this file is
    // dist/es/core/loader.js). Keep it literal: one string literal and
    // `import.meta.url` as written; a variable or a ${} hides it from them.
    asset = new URL('../../sip-core.wasm', import.meta.url).href;
  } catch {
    return scriptWasmUrl(); // import.meta.url is not a URL
  }
  // Did a bundler rewrite the expression? Resolve the same path without the
  // pattern (webpack turns this import.meta.url into the build-time file: URL).
  const here = import.meta.url;
  if (asset !== new URL(WASM_PATH, here).href) return asset;
  // Not rewritten. The path is right only while this file is still
  // dist/es/core/loader.js (unbundled ESM, a CDN); inside someone's bundle
  // (esbuild, Rollup without a plugin, Vite's dev pre-bundling) it names a
  // file that is not there, and asking for it would only log a 404.
  return /\/core\/loader\.js$/.test(here.replace(/[?#].*$/, '')) ? asset : undefined;
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
      // libc's environment, which the core never reads (a link-time-optimised
      // build still imports it): empty.
      environ_sizes_get: (count: number, size: number) => {
        const m = new Uint32Array(memory()!.buffer);
        m[count >> 2] = 0;
        m[size >> 2] = 0;
        return 0;
      },
      environ_get: () => 0,
    },
  };
}

async function instantiateBytes(bytes: ArrayBuffer | Uint8Array, imp: WebAssembly.Imports): Promise<WebAssembly.Instance> {
  return (await WebAssembly.instantiate(bytes as BufferSource, imp)).instance;
}

type NodeFs = { readFile(path: URL): Promise<Uint8Array> };

// Node: fetch() has no file: URLs. process.getBuiltinModule (Node 20.16, 22.3)
// reads the file without an import of node:fs, which would break browser bundlers.
function nodeFs(): NodeFs | undefined {
  const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return node?.getBuiltinModule?.('fs/promises') as NodeFs | undefined;
}

async function instantiateUrl(url: string, imp: WebAssembly.Imports): Promise<WebAssembly.Instance> {
  if (url.startsWith('file:')) {
    const fs = nodeFs();
    if (!fs) throw new Error(`cannot read ${url} here: pass wasm.wasmBinary (the bytes of sip-core.wasm)`);
    return instantiateBytes(await fs.readFile(new URL(url)), imp);
  }
  if (typeof fetch !== 'function') throw new Error(`cannot fetch ${url} here: pass wasm.wasmBinary`);
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  if (typeof WebAssembly.instantiateStreaming === 'function' &&
      /^application\/wasm\b/i.test(response.headers.get('content-type') ?? '')) {
    // Compiles while the bytes arrive.
    return (await WebAssembly.instantiateStreaming(response, imp)).instance;
  }
  // A server without the wasm MIME type: compile from the bytes. Not wasm at
  // all (a dev server's index.html for a missing file) fails here: CompileError.
  return instantiateBytes(await response.arrayBuffer(), imp);
}

/** sip-core.wasm from wasm-web-phone/sip-core-inline, imported only when needed. */
async function inlineBytes(): Promise<ArrayBuffer> {
  // Keep this a plain flag test around the import(): with the flag false
  // (the IIFE) esbuild drops the import() and the IIFE stays small.
  if (typeof __WWP_INLINE_FALLBACK__ === 'undefined' || __WWP_INLINE_FALLBACK__) {
    const { default: sipCoreWasm } = await import('../sip-core-inline.js');
    return sipCoreWasm();
  }
  throw new Error('this build has no inline copy: pass wasm.wasmUrl or wasm.wasmBinary');
}

async function instantiateFrom(options: CoreLoadOptions, url: string | undefined, imp: WebAssembly.Imports): Promise<WebAssembly.Instance> {
  const bin = options.wasmBinary;
  if (bin instanceof WebAssembly.Module) return WebAssembly.instantiate(bin, imp);
  if (bin) return instantiateBytes(bin, imp);
  // A URL the app chose: its failure is the answer, nothing is substituted.
  if (options.wasmUrl !== undefined) return instantiateUrl(String(options.wasmUrl), imp);
  let urlError: unknown;
  const early = url ? takePreloaded(url) : undefined; // the IIFE's, js/core/preload.ts
  if (early) {
    const module = await early;
    if (module) return WebAssembly.instantiate(module, imp);
  }
  if (url) {
    try {
      return await instantiateUrl(url, imp);
    } catch (e) {
      urlError = e;
    }
  }
  let bytes: ArrayBuffer;
  try {
    bytes = await inlineBytes();
  } catch (e) {
    throw urlError ?? e;
  }
  // A URL that should have worked did not (a deployment without the asset, a
  // stale cached file): say so, and carry on with the copy that matches this JS.
  // (A file: URL in a Node without getBuiltinModule was never going to work.)
  if (url && !(url.startsWith('file:') && !nodeFs())) {
    const why = urlError instanceof Error ? urlError.message : String(urlError);
    console.warn(`wasm-web-phone: ${url} failed (${why}); using the inline copy of sip-core.wasm`);
  }
  return instantiateBytes(bytes, imp);
}

async function instantiate(options: CoreLoadOptions, url: string | undefined): Promise<WebAssembly.Instance> {
  let instanceMemory: WebAssembly.Memory | undefined;
  const imp = imports(() => instanceMemory);
  const instance = await instantiateFrom(options, url, imp);
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
  const load: Promise<SipCore> = instantiate(options, url).then(
    (instance) => {
      const abi = new CoreAbi(instance.exports as unknown as CoreExports);
      setHeaderIds(abi.headerIdNames);
      return (loaded = new SipCore(abi));
    },
    (e: unknown) => {
      // A failed load is tried again by the next call, unless a load with
      // other options has replaced it meanwhile (that one stays shared).
      if (cached === load) cached = undefined;
      const why = e instanceof Error ? e.message : String(e);
      const from = options.wasmBinary ? 'wasmBinary' : (url ?? 'the inline copy');
      throw new Error(`Failed to load the SIP core (sip-core.wasm from ${from}): ${why}`);
    },
  );
  cached = load;
  return load;
}

/** The one place where a core status becomes a JS error. */
export function check(status: CoreStatus, action: string): void {
  if (status.ok) return;
  const reason = status.message ?? status.code ?? 'failed';
  // An empty action keeps the core's message as is (e.g. "Invalid reply options",
  // which apps of the original SDK match on).
  throw new Error(action ? `${action}: ${reason}` : reason);
}

// Adapter for this project's SIP core: the Emscripten module in dist/
// (dist/es/sip-core.mjs + dist/sip-core.wasm), called through the flat C ABI
// in wasm/parse_abi.cpp:
//
//   int wwp_parse_fields(const char* buf, int len, int32_t out[11])
//   out = kind (0 req, 1 resp), status, method off/len, Call-ID off/len,
//         CSeq number, CSeq method off/len, body off/len   (byte offsets)
//
// Path of one parse: the JS string (a WebSocket text frame) is copied into
// linear memory with TextEncoder.encodeInto, the core's zero-copy view parser
// (core/msg/parser.hpp parse_view_into) runs over it, and the fields come
// back as offsets. If the frame was pure ASCII (UTF-8 bytes written ==
// UTF-16 units read) byte offsets are string indices, so the fields are cut
// from the original string with substring() (V8 sliced strings, no decode).
// Otherwise they are decoded from linear memory with TextDecoder.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const distDir = fileURLToPath(new URL('../../dist/', import.meta.url));

export async function loadCore(dir = distDir) {
  // Builds up to 593715b: Emscripten glue (dist/es/sip-core.mjs) around the wasm.
  if (existsSync(`${dir}/es/sip-core.mjs`)) {
    const factory = (await import(pathToFileURL(`${dir}/es/sip-core.mjs`).href)).default;
    return factory({ wasmBinary: readFileSync(`${dir}/sip-core.wasm`) });
  }
  // Later builds: sip-core.wasm is a standalone module (no glue) that still
  // exports wwp_parse_fields, malloc and its memory. Give it the Emscripten
  // module shape this adapter reads (_wwp_parse_fields, _malloc, _free,
  // HEAPU8/HEAP32 views that follow memory growth).
  const { instance } = await WebAssembly.instantiate(readFileSync(`${dir}/sip-core.wasm`), {
    env: { emscripten_notify_memory_growth: () => {} },
    // environ_*: the LTO build imports libc's environment, which the core never reads.
    wasi_snapshot_preview1: { proc_exit: (code) => { throw new Error(`sip-core exited (${code})`); }, environ_sizes_get: () => 0, environ_get: () => 0 },
  });
  const x = instance.exports;
  x._initialize?.();
  let buf, u8, i32;
  const views = () => { if (buf !== x.memory.buffer) { buf = x.memory.buffer; u8 = new Uint8Array(buf); i32 = new Int32Array(buf); } };
  // The module exports no malloc (the shim never needs one): the adapter's
  // buffers are carved from one scratch area the module hands out
  // (wwp_scratch), bump-allocated and never freed; 16 MiB is far more than
  // the corpus and any frame it copies in. A bench-only arrangement.
  const arenaSize = 16 * 1024 * 1024;
  const arena = x.wwp_scratch(arenaSize);
  let used = 0;
  const malloc = (n) => {
    const p = arena + used;
    used += (n + 7) & ~7;
    if (used > arenaSize) throw new Error('wasm-core adapter: scratch arena exhausted');
    return p;
  };
  return {
    _wwp_parse_fields: x.wwp_parse_fields,
    _malloc: malloc,
    _free: () => {},
    get HEAPU8() { views(); return u8; },
    get HEAP32() { views(); return i32; },
  };
}

export default async function createWasmAdapter({ dir = distDir } = {}) {
  const M = await loadCore(dir);
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const parseFields = M._wwp_parse_fields;

  let cap = 64 * 1024;
  let inPtr = M._malloc(cap);
  const outPtr = M._malloc(11 * 4);
  const o0 = outPtr >> 2;
  // Views over linear memory, refreshed when memory grows (growth detaches
  // the old ArrayBuffer, which makes old views zero-length).
  let heap8, heap32, inView;
  const refresh = () => {
    heap8 = M.HEAPU8;
    heap32 = M.HEAP32;
    inView = heap8.subarray(inPtr, inPtr + cap);
  };
  refresh();

  /// Copy `s` into linear memory. Returns UTF-8 byte length, and sets `ascii`.
  let ascii = true;
  function copyIn(s) {
    if (s.length * 3 > cap) {
      M._free(inPtr);
      cap = s.length * 3;
      inPtr = M._malloc(cap);
      refresh();
    } else if (heap8.length === 0) refresh();
    const r = enc.encodeInto(s, inView);
    ascii = r.written === s.length;
    return r.written;
  }

  // Byte range → JS string, for non-ASCII frames.
  const decodeAt = (off, len) => dec.decode(heap8.subarray(inPtr + off, inPtr + off + len));

  function parse(s) {
    const len = copyIn(s);
    if (parseFields(inPtr, len, outPtr) !== 0) return undefined;
    if (heap8.length === 0) refresh();
    const o = heap32;
    if (ascii) {
      const m = o[o0 + 2], c = o[o0 + 4], q = o[o0 + 7], b = o[o0 + 9];
      return o[o0] === 1
        ? { status: o[o0 + 1], callId: s.substring(c, c + o[o0 + 5]), cseq: o[o0 + 6] >>> 0,
          cseqMethod: s.substring(q, q + o[o0 + 8]), body: s.substring(b, b + o[o0 + 10]) }
        : { method: s.substring(m, m + o[o0 + 3]), callId: s.substring(c, c + o[o0 + 5]), cseq: o[o0 + 6] >>> 0,
          cseqMethod: s.substring(q, q + o[o0 + 8]), body: s.substring(b, b + o[o0 + 10]) };
    }
    const r = {
      callId: decodeAt(o[o0 + 4], o[o0 + 5]), cseq: o[o0 + 6] >>> 0,
      cseqMethod: decodeAt(o[o0 + 7], o[o0 + 8]), body: decodeAt(o[o0 + 9], o[o0 + 10]),
    };
    if (o[o0] === 1) r.status = o[o0 + 1]; else r.method = decodeAt(o[o0 + 2], o[o0 + 3]);
    return r;
  }

  return {
    name: 'wasm-web-phone core (wasm)',
    version: JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version,
    input: 'string',
    parse,
    // Profiling stages (cumulative), used by parse-bench's breakdown table.
    stages: {
      // 1. the string -> linear memory copy alone
      copyIn: (s) => copyIn(s),
      // 2. copy + the wasm call (parse, fields as offsets; no JS strings)
      copyAndParse: (s) => parseFields(inPtr, copyIn(s), outPtr),
      // 3. the wasm call alone, over bytes placed in memory beforehand
      //    (`place` copies a Uint8Array in once and returns {p, n})
      place: (u8) => { const p = M._malloc(u8.length); M.HEAPU8.set(u8, p); refresh(); return { p, n: u8.length }; },
      parseAt: (x) => parseFields(x.p, x.n, outPtr),
    },
    module: M,
    wasmMemoryBytes: () => M.HEAPU8.length,
  };
}

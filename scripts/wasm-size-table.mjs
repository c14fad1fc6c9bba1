#!/usr/bin/env node
// Where the bytes of sip-core.wasm go: a markdown table of code size per
// component (core/msg, core/txn, …, nlohmann/json, pugixml, libc++, libc,
// compiler-rt), so that a size change can be traced to the code behind it.
//
// Usage: node scripts/wasm-size-table.mjs <file.wasm> [--top N]
//   The module must carry function names: build it with -DWWP_WASM_NAMES=ON
//   (emcc --profiling-funcs). The names go into the "name" custom section; the
//   code is the same as without them (the module differs by a few bytes of
//   type order), so the figures hold for the module that ships, which is
//   linked without names. wasm-ld's demangled names and mangled ones
//   (-Wl,--no-demangle) both work. --top N also lists the N largest functions.
//   Prints markdown; scripts/bench.sh keeps it in bench/results/wasm-size.md.
//
// A function's component comes from its name:
//   - C++: the outermost namespace. wwp::msg → core/msg and so on for txn,
//     dialog, call, reg, auth, sdp, rc, ua; wwp::wasm (wasm/out_writer.hpp),
//     the top-level anonymous namespace and extern "C" wwp_* (only wasm/*.cpp
//     has those) → wasm ABI, except wwp_json_* (core/rc/json_libc.cpp) →
//     core/rc; the rest of wwp:: (Rng, Result, TimerTable) → core/util;
//     nlohmann:: → nlohmann/json; pugi:: → pugixml; std::, __cxxabiv1::,
//     operator new/delete → libc++; emscripten:: → embind.
//   - C: lists of musl, compiler-rt and Emscripten runtime names (below),
//     libc split by family since printf and strtod are the costly, avoidable
//     ones.
//   - Anything else → other (see --top for what it is).
// A std:: template instantiated for a project type counts under libc++; the
// column "std:: for it" says how much of libc++ each component's types
// instantiated (the first wwp/nlohmann/pugi type named in the arguments).
// Inlined code counts where it was inlined: with LTO or -finline-functions,
// pugixml's parser mostly shows up under core/rc, which calls it.
// Sizes are function bodies as stored in the code section; the section also
// holds a length prefix per function, counted in its total. The gzip figure
// is zlib at level 9 over the module without custom sections: zlib's deflate,
// not gzip's, so about 1% off what `gzip -9` (scripts/check-size.sh) gives.
// Only Node's standard library is used.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const usage = 'usage: node scripts/wasm-size-table.mjs <file.wasm> [--top N]\n';
const args = process.argv.slice(2);
let top = 0;
let path;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--top' && /^\d+$/.test(args[i + 1] ?? '')) top = Number(args[++i]);
  else if (path === undefined && !args[i].startsWith('-')) path = args[i];
  else {
    process.stderr.write(usage);
    process.exit(2);
  }
}
if (path === undefined) {
  process.stderr.write(usage);
  process.exit(2);
}

function fail(msg) {
  process.stderr.write(`wasm-size-table: ${path}: ${msg}\n`);
  process.exit(1);
}

// ---------------------------------------------------------------------------
// The binary (https://webassembly.github.io/spec/core/binary/)

const buf = readFileSync(path);
if (buf.length < 8 || buf.readUInt32LE(0) !== 0x6d736100) fail('not a wasm module');

class Reader {
  constructor(start, end) { this.p = start; this.end = end; }
  u8() {
    if (this.p >= this.end) fail('truncated');
    return buf[this.p++];
  }
  u32() { // unsigned LEB128
    let r = 0, shift = 0, b;
    do { b = this.u8(); r += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return r;
  }
  str() {
    const n = this.u32();
    const s = buf.toString('utf8', this.p, this.p + n);
    this.p += n;
    return s;
  }
  limits() { if (this.u8() & 1) this.u32(); this.u32(); }
}

const sections = [];     // {id, start, end} (start: the id byte; end: past the contents)
let importedFuncs = 0;   // function indices count imports first
const bodies = [];       // code section: each function body's size
let dataPayload = 0;     // data section: bytes of initialised memory
const names = new Map(); // function index → name, from the "name" section

for (const r = new Reader(8, buf.length); r.p < buf.length;) {
  const start = r.p, id = r.u8(), size = r.u32(), end = r.p + size;
  if (end > buf.length) fail('truncated section');
  const s = new Reader(r.p, end);
  const custom = id === 0 ? s.str() : undefined;
  sections.push({ id, start, end });
  if (id === 2) {
    for (let n = s.u32(); n > 0; n--) {
      s.str(); s.str();
      const kind = s.u8();
      if (kind === 0) { s.u32(); importedFuncs++; }
      else if (kind === 1) { s.u8(); s.limits(); }
      else if (kind === 2) s.limits();
      else if (kind === 3) { s.u8(); s.u8(); }
      else fail(`unknown import kind ${kind}`);
    }
  } else if (id === 10) {
    for (let n = s.u32(); n > 0; n--) { const len = s.u32(); bodies.push(len); s.p += len; }
  } else if (id === 11) {
    for (let n = s.u32(); n > 0; n--) {
      const flags = s.u32();
      if (flags === 2) s.u32();                          // memory index
      if (flags !== 1) while (s.u8() !== 0x0b) {}        // offset expression, up to `end`
      const len = s.u32(); dataPayload += len; s.p += len;
    }
  } else if (custom === 'name') {
    while (s.p < end) {
      const sub = s.u8(), len = s.u32(), subEnd = s.p + len;
      if (sub === 1) for (let n = s.u32(); n > 0; n--) { const idx = s.u32(); names.set(idx, s.str()); }
      s.p = subEnd;
    }
  }
  r.p = end;
}
if (!sections.some((s) => s.id === 10)) fail('no code section');
if (names.size === 0) fail('no function names: build with -DWWP_WASM_NAMES=ON (emcc --profiling-funcs)');

// ---------------------------------------------------------------------------
// Components

const CORE = ['msg', 'txn', 'dialog', 'call', 'reg', 'auth', 'sdp', 'rc', 'ua'];

// musl and Emscripten's libc by family, static helpers included (the name
// section keeps their names too).
const LIBC = {
  'libc: printf': `printf fprintf sprintf snprintf vsnprintf vsprintf vfprintf vprintf vsniprintf vfiprintf
    fiprintf siprintf sniprintf printf_core fmt_fp fmt_x fmt_o fmt_u pad out getint pop_arg pop_arg_long_double
    sn_write __towrite __fwritex fwrite fputs puts fputc putc putchar __overflow __stdio_write __stdio_seek
    __stdio_close __stdout_write __emscripten_stdout_close __emscripten_stdout_seek __lockfile __unlockfile
    __ofl_lock __ofl_unlock __stdio_exit close_file wctomb wcrtomb frexp frexpl __signbitl __fpclassifyl
    long_double_not_supported fflush strerror __strerror_l __lctrans __lctrans_cur emscripten_log`,
  'libc: strtod/scanf': `strtod strtof strtold strtox __floatscan decfloat hexfloat scanexp __shlim __shgetc
    __uflow __toread __intscan strtoull strtoll strtol strtoul strtoimax strtoumax strtod_l strtold_l strtof_l
    strtoull_l strtoll_l atof sscanf vsscanf vfscanf __isoc99_sscanf string_read scalbn scalbnl fmodl copysignl
    fabsl __fpclassify`,
  'libc: malloc': `malloc free calloc realloc dlmalloc dlfree dlcalloc dlrealloc dlmemalign dlposix_memalign
    dlmallinfo mallinfo internal_mallinfo internal_memalign aligned_alloc posix_memalign memalign sbrk
    prepend_alloc add_segment init_top init_bins sys_alloc sys_trim tmalloc_small tmalloc_large dispose_chunk
    try_realloc_chunk mmap_resize release_unused_segments emscripten_builtin_malloc emscripten_builtin_free
    emscripten_builtin_memalign emmalloc_malloc emmalloc_free emmalloc_memalign emmalloc_realloc emmalloc_calloc
    emmalloc_mallinfo emmalloc_aligned_realloc compute_free_list_bucket claim_more_memory attempt_allocate
    allocate_memory link_to_free_list unlink_from_free_list create_memory_region prepend_to_free_list
    validate_memory_regions emscripten_resize_heap emscripten_get_heap_size`,
  'libc: string/ctype': `memcpy __memcpy memmove memset memcmp memchr memrchr strlen strnlen strcmp strncmp strchr
    strrchr __strchrnul strstr twoway_strstr twobyte_strstr threebyte_strstr fourbyte_strstr strcpy strncpy
    __stpcpy __stpncpy strcat strdup strndup strspn strcspn strcasecmp strncasecmp tolower toupper isalpha
    isdigit isspace isxdigit isalnum isupper islower isprint iscntrl ispunct wmemcpy wmemmove wmemset wcslen
    localeconv`,
};
const RUNTIME = new Set(`abort _abort __errno_location getenv __cxa_atexit __cxa_thread_atexit atexit exit _Exit
  __funcs_on_exit __libc_exit_fini __wasm_call_ctors emscripten_get_sbrk_ptr stackSave stackRestore stackAlloc
  emscripten_stack_init emscripten_stack_get_free emscripten_stack_get_base emscripten_stack_get_end
  emscripten_stack_get_current emscripten_stack_set_limits __set_stack_limits dynCall_jiji
  __wasm_apply_data_relocs _start _initialize __original_main main __main_void __main_argc_argv
  __stack_chk_fail __assert_fail __cxa_pure_virtual __emscripten_environ_constructor
  emscripten_notify_memory_growth __wasi_proc_exit`.split(/\s+/));
const LIBC_OF = new Map();
for (const [family, list] of Object.entries(LIBC)) for (const n of list.split(/\s+/)) if (n) LIBC_OF.set(n, family);
// compiler-rt: the 128-bit integer and long double (f128) helpers: __addtf3,
// __multi3, __floatsitf, __extenddftf2, __lshrti3 …
const COMPILER_RT = /^__(?:[a-z]+(?:ti|tf|di|sf|df|si)\d?|fe_getround|fe_raise_inexact)$/;
// libc++'s <cmath> overloads in the global namespace.
const LIBCXX_GLOBAL = new Set(['isfinite', 'isnan', 'isinf', 'signbit', 'fpclassify', 'isnormal']);

/** Outermost namespaces of a mangled name: ['wwp', 'msg', …], ['std'], … */
function mangledPath(m) {
  let i = 2; // after _Z
  const num = () => { const s = i; while (m[i] >= '0' && m[i] <= '9') i++; return Number(m.slice(s, i)); };
  const callOffset = (v) => { // Itanium <call-offset>: h <nv-offset> _ | v <offset> _ <offset> _
    for (let k = v === 'h' ? 1 : 2; k > 0; k--) { if (m[i] === 'n') i++; num(); i++; }
  };
  for (;;) {
    if (m.startsWith('Th', i) || m.startsWith('Tv', i)) { const v = m[i + 1]; i += 2; callOffset(v); }
    else if (m.startsWith('Tc', i)) { i += 2; callOffset(m[i++]); callOffset(m[i++]); }
    else if (m[i] === 'T' || m.startsWith('GV', i)) i += 2; // vtable, typeinfo, guard: a name follows
    else if (m[i] === 'Z' || m[i] === 'L') i++;              // local entity (its function first), internal
    else break;
  }
  if (m[i] === 'N') for (i++; 'rVKRO'.includes(m[i]); i++);
  const path = [];
  while (i < m.length && path.length < 3) {
    if (m.startsWith('St', i)) { path.push('std'); i += 2; continue; }
    if (m[i] === 'S') { if ('absiod'.includes(m[i + 1])) path.push('std'); break; } // Sa Ss …; others unknown
    if (m[i] >= '0' && m[i] <= '9') {
      const n = num();
      const id = m.slice(i, i + n);
      path.push(id === '_GLOBAL__N_1' ? '(anonymous namespace)' : id);
      i += n;
      continue;
    }
    if (path.length === 0 && /^(nw|na|dl|da)/.test(m.slice(i))) path.push('operator new/delete');
    break;
  }
  return path;
}

/** Outermost namespaces of a demangled name (wasm-ld's default). */
function demangledPath(d) {
  // Operator spellings would upset the bracket counting: `operator<<char, …>`
  // is operator< with template arguments.
  const s = d.replace(/operator<(?=<[A-Za-z_])/g, 'operator@')
    .replace(/operator(?:<<=|>>=|<<|>>|<=>|<=|>=|->\*|->|\(\)|\[\]|<|>)/g, 'operator@')
    .replace(/\) const(?=::)/g, ')').replace(/\) (?:const )?&{1,2}(?=::)/g, ')');
  // The qualified name is the last depth-0 word before the last depth-0 '('
  // (the parameter list); words before it are the return type.
  let depth = 0, paren = -1;
  const wordStarts = [0];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '<' || c === '(' || c === '[') {
      if (depth === 0 && c === '(' && !s.startsWith('(anonymous namespace)', i)) paren = i;
      depth++;
    } else if (c === '>' || c === ')' || c === ']') depth--;
    else if (c === ' ' && depth === 0) wordStarts.push(i + 1);
  }
  const end = paren >= 0 ? paren : s.length;
  const name = s.slice(Math.max(...wordStarts.filter((w) => w < end)), end);
  const parts = [];
  let cur = '';
  depth = 0;
  for (let i = 0; i < name.length && parts.length < 3; i++) {
    const c = name[i];
    if (c === '<' || c === '(') depth++;
    else if (c === '>' || c === ')') depth--;
    if (depth === 0 && name.startsWith('::', i)) { parts.push(cur.replace(/<.*$/, '')); cur = ''; i++; }
    else cur += c;
  }
  if (parts.length < 3) parts.push(cur.replace(/<.*$/, ''));
  return /^operator (new|delete)/.test(parts[0]) ? ['operator new/delete'] : parts;
}

function componentOfCore(sub) {
  if (CORE.includes(sub)) return `core/${sub}`;
  return sub === 'wasm' ? 'wasm ABI' : 'core/util';
}

/** Component of the first project type in a name's template arguments, if any. */
function instantiatedFor(name) {
  const m = /3wwp(\d+)([a-z]+)|wwp::([a-z]+)::|3wwp|wwp::|8nlohmann|nlohmann::|4pugi|pugi::/.exec(name);
  if (!m) return null;
  if (m[2]) return componentOfCore(m[2].slice(0, Number(m[1])));
  if (m[3]) return componentOfCore(m[3]);
  if (m[0].includes('wwp')) return 'core/util';
  return m[0].includes('nlohmann') ? 'nlohmann/json' : 'pugixml';
}

function classify(name) {
  if (name === undefined) return 'other';
  // Binaryen's merged functions and wasm-ld's suffixes for same-named statics.
  const bare = name.replace(/^(?:legalstub|legalfunc|byn\$mgfn-shared)\$/, '').replace(/\.\d+$/, '');
  if (LIBC_OF.has(bare)) return LIBC_OF.get(bare);
  if (RUNTIME.has(bare)) return 'libc: runtime/other';
  if (COMPILER_RT.test(bare)) return 'compiler-rt';
  if (bare.startsWith('wwp_json_')) return 'core/rc';
  if (bare.startsWith('wwp_')) return 'wasm ABI';
  if (/^(__cxa_|__cxxabi|__dynamic_cast|__gxx_personality|_Unwind_)/.test(bare)) return 'libc++';
  if (/embind|^__getTypeName/.test(bare)) return 'embind';
  if (/^operator (new|delete)\b/.test(bare)) return 'libc++';
  let path;
  if (bare.startsWith('_Z')) path = mangledPath(bare);
  else if (/[:(<]/.test(bare)) path = demangledPath(bare);
  else return LIBCXX_GLOBAL.has(bare) ? 'libc++' : 'other';
  const comp = componentOfPath(path);
  if (comp !== 'other' || bare.startsWith('_Z')) return comp;
  // Demangled names the parse above gets wrong (conversion operators …) mostly
  // still start with their namespace.
  const lead = /^([A-Za-z_]\w*)::(\w*)/.exec(bare);
  return lead ? componentOfPath([lead[1], lead[2]]) : comp;
}

function componentOfPath([a = '', b]) {
  if (a === 'wwp') return componentOfCore(b);
  if (a === 'std' || a === '__cxxabiv1' || a === 'operator new/delete' || LIBCXX_GLOBAL.has(a)) return 'libc++';
  if (a === 'nlohmann') return 'nlohmann/json';
  if (a === 'pugi') return 'pugixml';
  if (a === 'emscripten') return 'embind';
  if (a.startsWith('wwp_json_')) return 'core/rc';   // a local entity of an extern "C" function
  if (a === '(anonymous namespace)' || a.startsWith('wwp_')) return 'wasm ABI';
  return 'other';
}

// ---------------------------------------------------------------------------
// The tables

const ORDER = [...CORE.map((c) => `core/${c}`), 'core/util', 'wasm ABI', 'embind', 'nlohmann/json', 'pugixml',
  'libc++', ...Object.keys(LIBC), 'libc: runtime/other', 'compiler-rt', 'other'];
const rows = new Map(ORDER.map((c) => [c, { funcs: 0, bytes: 0, stdFor: 0 }]));
const funcs = [];
let codeBytes = 0;
bodies.forEach((size, i) => {
  const name = names.get(importedFuncs + i);
  const comp = classify(name);
  const row = rows.get(comp);
  row.funcs++;
  row.bytes += size;
  codeBytes += size;
  const owner = comp === 'libc++' && name ? instantiatedFor(name) : null;
  if (owner) rows.get(owner).stdFor += size;
  funcs.push({ name: name ?? `(function ${importedFuncs + i})`, comp, size });
});

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const sectionBytes = (pred) => sections.filter(pred).reduce((a, s) => a + s.end - s.start, 0);
const code = sectionBytes((s) => s.id === 10), data = sectionBytes((s) => s.id === 11);
const custom = sectionBytes((s) => s.id === 0);
const shipped = Buffer.concat([buf.subarray(0, 8), ...sections.filter((s) => s.id !== 0)
  .map((s) => buf.subarray(s.start, s.end))]);
const gz = gzipSync(shipped, { level: 9 }).length;

const out = [`# Code size of ${path.split('/').pop()} by component`, '',
  '| component | functions | code bytes | % of code | std:: for it |', '|---|---:|---:|---:|---:|'];
for (const [comp, r] of rows) {
  if (r.funcs === 0 && r.stdFor === 0) continue;
  out.push(`| ${comp} | ${r.funcs} | ${r.bytes} | ${(100 * r.bytes / codeBytes).toFixed(1)} | ${r.stdFor || ''} |`);
}
out.push(`| **all functions** | **${bodies.length}** | **${codeBytes}** | **100.0** | |`, '');
out.push(`- code section: ${code} B (${kb(code)})`);
out.push(`- data section: ${data} B, of which ${dataPayload} B initialised memory (string literals, tables, vtables)`);
out.push(`- other sections (types, imports, exports, table, globals): ${shipped.length - 8 - code - data} B`);
out.push(`- custom sections (names; not shipped): ${custom} B`);
out.push(`- module without custom sections: ${shipped.length} B (${kb(shipped.length)}), zlib -9 ${gz} B ` +
  `(${kb(gz)}); file as read: ${buf.length} B`);
out.push('- std:: for it: bytes of the libc++ row that are std:: templates instantiated for that component\'s types');

if (top > 0) {
  out.push('', `## The ${top} largest functions`, '', '| bytes | component | function |', '|---:|---|---|');
  const shorten = (n) => n
    .replace(/std::__2::basic_string<char, std::__2::char_traits<char>, std::__2::allocator<char> >/g, 'std::string')
    .replace(/std::__2::basic_string_view<char, std::__2::char_traits<char> >/g, 'std::string_view')
    .replace(/nlohmann::json_abi_v[\d_]+::basic_json<nlohmann::json_abi_v[\d_]+::ordered_map,[^()]*?std::__2::vector<unsigned char, std::__2::allocator<unsigned char> > >/g, 'ordered_json')
    .replace(/std::__2::/g, 'std::');
  for (const f of [...funcs].sort((a, b) => b.size - a.size).slice(0, top)) {
    let n = shorten(f.name);
    if (n.length > 160) n = `${n.slice(0, 157)}…`;
    out.push(`| ${f.size} | ${f.comp} | \`${n.replace(/\|/g, '\\|').replace(/`/g, "'")}\` |`);
  }
}
process.stdout.write(`${out.join('\n')}\n`);

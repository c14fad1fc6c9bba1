// The four C library routines nlohmann/json calls, written for exactly what it
// hands them, so that sip-core.wasm links neither musl's strtod (which works
// in long double: software 128-bit float arithmetic in wasm) nor the printf
// family (the same long double formatting, for every format it knows). Both
// came in for nlohmann alone and were about 16 KB of the module's code.
//
// core/rc/json.hpp routes nlohmann's calls here (see the defines there);
// nothing else in the core should call these. Each one matches the
// C library bit for bit on its documented input (tests/unit/rc/json_libc_test
// compares them with the host's libc, and, in the wasm test stage, musl).
//
// extern "C" because nlohmann calls them as std::strtod etc.: the defines
// rename the call, and json.hpp makes the renamed function visible
// in namespace std with a using-declaration, as <cstdlib> does for ::strtod.
#pragma once
#include <cstddef>

extern "C" {

/// strtod for a JSON number (RFC 8259 §6: `-? int frac? exp?`), which is all
/// nlohmann's lexer passes (a token it has already checked). Correctly
/// rounded (round half to even) for any number of digits, like the C library;
/// no leading whitespace, '+', hex, "inf" or "nan". A result that overflows
/// is ±HUGE_VAL and one that underflows to zero is ±0, both with
/// errno = ERANGE. `*end` (if `end`) is set past the last character used, or
/// to `s` when there is no number.
double wwp_json_strtod(const char* s, char** end);

/// strtoull / strtoll in base 10 (the only base nlohmann uses; `base` must be
/// 10) for an optionally '-'-signed string of digits: no leading whitespace,
/// no '+'. Out of range: ULLONG_MAX, or LLONG_MAX / LLONG_MIN, with
/// errno = ERANGE. As in C, strtoull negates a '-'-signed value.
unsigned long long wwp_json_strtoull(const char* s, char** end, int base);
long long wwp_json_strtoll(const char* s, char** end, int base);

/// snprintf for the formats nlohmann writes hex codes with: text plus
/// conversions `%[0][width][.precision][hh|h](x|X)` of an unsigned value
/// ("\\u%04x", "<U+%.4X>", "%.2hhX"). Returns what snprintf returns (the
/// length of the whole text, even when `n` cut it short), or -1 for any
/// other conversion.
int wwp_json_snprintf(char* buf, std::size_t n, const char* format, ...);

}  // extern "C"

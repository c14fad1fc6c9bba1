// The C++ parser without JS: the same entry point the wasm benchmark calls
// (wwp_parse_fields from wasm/parse_abi.cpp, i.e. parse_view_into + Call-ID /
// CSeq lookup) run in a plain loop over the corpus. Built twice by
// bench/native/run.sh: natively (g++) and to wasm (em++, run under node), so
// the gap between "C++ parser in wasm" and "wasm called from JS" is visible.
//
//   parse-loop <corpus dir> [ms per sample = 200] [samples = 7]
// Prints one line per stage: ns/msg median and best over the samples.
//   parse-loop <corpus dir> count <passes>
// Runs wwp_parse_fields exactly <passes> times over the corpus, untimed: for
// instruction counts under valgrind --tool=callgrind (load-independent).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <string>
#include <vector>

#include "core/msg/parser.hpp"

extern "C" int wwp_parse_fields(const char* buf, int len, std::int32_t* out);

namespace {

std::vector<std::string> load(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string n = e->d_name;
      if (n.size() > 4 && n.compare(n.size() - 4, 4, ".sip") == 0) names.push_back(n);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  std::vector<std::string> msgs;
  for (const auto& n : names) {
    FILE* f = std::fopen((dir + "/" + n).c_str(), "rb");
    if (!f) continue;
    std::string s;
    char buf[4096];
    for (std::size_t k; (k = std::fread(buf, 1, sizeof buf, f)) > 0;) s.append(buf, k);
    std::fclose(f);
    msgs.push_back(std::move(s));
  }
  return msgs;
}

double now_ns() {
  return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

template <class F>
void measure(const char* name, const std::vector<std::string>& msgs, double ms, int samples, F f) {
  volatile int sink = 0;
  // Calibrate: passes so that one sample takes about `ms`.
  long passes = 1;
  for (;;) {
    const double t0 = now_ns();
    for (long p = 0; p < passes; ++p)
      for (const auto& m : msgs) sink = sink + f(m);
    const double dt = now_ns() - t0;
    if (dt > ms * 1e6 / 4) { passes = std::max(1L, static_cast<long>(passes * ms * 1e6 / dt)); break; }
    passes *= 4;
  }
  std::vector<double> per;
  for (int s = 0; s < samples; ++s) {
    const double t0 = now_ns();
    for (long p = 0; p < passes; ++p)
      for (const auto& m : msgs) sink = sink + f(m);
    per.push_back((now_ns() - t0) / static_cast<double>(passes * msgs.size()));
  }
  std::sort(per.begin(), per.end());
  std::printf("%-52s %8.1f ns/msg median  %8.1f best\n", name, per[per.size() / 2], per.front());
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "bench/corpus";
  if (argc > 3 && std::string(argv[2]) == "count") {
    const auto msgs = load(dir);
    const long passes = std::atol(argv[3]);
    std::int32_t out[11];
    int sink = 0;
    for (long p = 0; p < passes; ++p)
      for (const auto& m : msgs) sink += wwp_parse_fields(m.data(), static_cast<int>(m.size()), out);
    std::printf("%ld passes x %zu msgs, sink %d\n", passes, msgs.size(), sink);
    return 0;
  }
  const double ms = argc > 2 ? std::atof(argv[2]) : 200;
  const int samples = argc > 3 ? std::atoi(argv[3]) : 7;
  const auto msgs = load(dir);
  if (msgs.empty()) { std::fprintf(stderr, "no .sip files in %s\n", dir.c_str()); return 1; }
  std::size_t bytes = 0;
  std::int32_t out[11];
  int ok = 0;
  for (const auto& m : msgs) {
    bytes += m.size();
    ok += wwp_parse_fields(m.data(), static_cast<int>(m.size()), out) == 0;
  }
  std::printf("corpus: %zu msgs, %zu B, wwp_parse_fields ok on %d\n", msgs.size(), bytes, ok);

  static wwp::msg::MessageView view;
  measure("parse_view_into (framing + header views)", msgs, ms, samples, [](const std::string& m) {
    return parse_view_into(m, view) ? 1 : 0;
  });
  measure("wwp_parse_fields (+ Call-ID/CSeq lookup, parse_cseq)", msgs, ms, samples, [&](const std::string& m) {
    return wwp_parse_fields(m.data(), static_cast<int>(m.size()), out);
  });
  return ok == static_cast<int>(msgs.size()) ? 0 : 1;
}

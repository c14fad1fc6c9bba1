// Replays every committed fuzz corpus in the unit stage (house style §23):
// each libFuzzer target's entry point is compiled into this binary under its
// own name (tests/CMakeLists.txt renames `LLVMFuzzerTestOneInput` per file to
// `wwp_fuzz_<target>`), and every file in tests/fuzz/corpus/<target>/ is fed
// to it once. A seed that once crashed, or that breaks a target's invariant
// (the targets `std::abort()`), fails ctest in every build, native and wasm,
// without clang, libFuzzer or sanitizers (scripts/test.sh stage "asan" adds
// those). A target's corpus directory is named after the target, as
// scripts/fuzz.sh expects; the second test keeps the two in step.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern "C" {
int wwp_fuzz_digest_challenge(const std::uint8_t* data, std::size_t size);
int wwp_fuzz_fields(const std::uint8_t* data, std::size_t size);
int wwp_fuzz_message(const std::uint8_t* data, std::size_t size);
int wwp_fuzz_pres_xml(const std::uint8_t* data, std::size_t size);
int wwp_fuzz_rc_json(const std::uint8_t* data, std::size_t size);
int wwp_fuzz_rc_xml(const std::uint8_t* data, std::size_t size);
int wwp_fuzz_sdp(const std::uint8_t* data, std::size_t size);
int wwp_fuzz_ua(const std::uint8_t* data, std::size_t size);
int wwp_fuzz_uri(const std::uint8_t* data, std::size_t size);
}

namespace {

namespace fs = std::filesystem;

struct Target {
  const char* name;  ///< tests/fuzz/fuzz_<name>.cpp, tests/fuzz/corpus/<name>/
  int (*entry)(const std::uint8_t*, std::size_t);
};

const Target kTargets[] = {
    {"digest_challenge", wwp_fuzz_digest_challenge},
    {"fields", wwp_fuzz_fields},
    {"message", wwp_fuzz_message},
    {"pres_xml", wwp_fuzz_pres_xml},
    {"rc_json", wwp_fuzz_rc_json},
    {"rc_xml", wwp_fuzz_rc_xml},
    {"sdp", wwp_fuzz_sdp},
    {"ua", wwp_fuzz_ua},
    {"uri", wwp_fuzz_uri},
};

std::string read_bytes(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

class FuzzCorpus : public ::testing::TestWithParam<Target> {};

TEST_P(FuzzCorpus, every_committed_seed_replays_without_abort) {
  const Target t = GetParam();
  const auto seeds = files_in(fs::path(WWP_FUZZ_DIR) / "corpus" / t.name);
  ASSERT_FALSE(seeds.empty()) << "no seeds in tests/fuzz/corpus/" << t.name;
  for (const auto& path : seeds) {
    SCOPED_TRACE(path.filename().string());
    const std::string bytes = read_bytes(path);
    // libFuzzer hands over a buffer of exactly `size` bytes; so does this
    // copy (ASan builds see reads past the end).
    std::vector<std::uint8_t> buf(bytes.begin(), bytes.end());
    EXPECT_EQ(t.entry(buf.data(), buf.size()), 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzCorpus, ::testing::ValuesIn(kTargets),
                         [](const ::testing::TestParamInfo<Target>& i) { return std::string(i.param.name); });

TEST(FuzzCorpusLayout, every_target_is_replayed_and_has_a_corpus_named_after_it) {
  std::vector<std::string> sources, listed, dirs;
  for (const auto& p : files_in(WWP_FUZZ_DIR)) {
    const std::string f = p.filename().string();
    if (f.rfind("fuzz_", 0) == 0 && p.extension() == ".cpp") sources.push_back(f.substr(5, f.size() - 9));
  }
  for (const Target& t : kTargets) listed.push_back(t.name);
  for (const auto& e : fs::directory_iterator(fs::path(WWP_FUZZ_DIR) / "corpus"))
    if (e.is_directory()) dirs.push_back(e.path().filename().string());
  std::sort(listed.begin(), listed.end());
  std::sort(dirs.begin(), dirs.end());
  EXPECT_EQ(sources, listed) << "a fuzz target is missing from kTargets (or kTargets names a removed one)";
  EXPECT_EQ(dirs, listed) << "scripts/fuzz.sh seeds fuzz_<name> from tests/fuzz/corpus/<name>/";
}

}  // namespace

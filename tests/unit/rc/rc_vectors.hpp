// Test helper: exact-byte access to tests/vectors/rc (WWP_VECTORS_DIR).
#pragma once
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace wwp::rc::testing {

inline std::string rc_dir() { return std::string(WWP_VECTORS_DIR) + "/rc"; }

inline std::string read_bytes(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline std::string read_vector(const std::string& rel) { return read_bytes(rc_dir() + "/" + rel); }

/// Paths of the files in a vectors sub-directory with one of the extensions, sorted.
inline std::vector<std::filesystem::path> list(const std::string& sub, std::vector<std::string> exts) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(rc_dir() + "/" + sub)) {
    if (std::find(exts.begin(), exts.end(), e.path().extension().string()) != exts.end()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// "what.Code.ext" -> "Code".
inline std::string expected_code(const std::filesystem::path& p) {
  return std::filesystem::path(p.stem()).extension().string().substr(1);
}

}  // namespace wwp::rc::testing

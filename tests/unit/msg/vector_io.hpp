// Test helper: read vector files from tests/vectors (WWP_VECTORS_DIR) as
// exact bytes, and the `key=value` .expect files beside the RFC 4475 vectors.
#pragma once
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace wwp::msg::testing {

inline std::string vectors_dir() { return WWP_VECTORS_DIR; }

inline std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

/// `key=value` lines; `#` starts a comment line.
inline std::map<std::string, std::string> read_expect(const std::string& path) {
  std::map<std::string, std::string> out;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

/// Stems of every `*.ext` file in a vectors sub-directory, sorted.
inline std::vector<std::string> list_vectors(const std::string& sub, const std::string& ext) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(vectors_dir() + "/" + sub))
    if (e.path().extension() == ext) names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace wwp::msg::testing

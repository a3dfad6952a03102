// Replays every file of corpus/<target>/ and regressions/<target>/ through
// the fuzz target's entry function in the ordinary build: a crash found by
// the fuzzer, saved under regressions/<target>/, is a regression test from
// then on (README.md). Prints the number of inputs replayed per target.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_targets.h"

namespace autoriza::fuzz {
namespace {

namespace fs = std::filesystem;

using Entry = int (*)(const uint8_t*, size_t);

struct Target {
  const char* name;
  Entry entry;
};

void PrintTo(const Target& t, std::ostream* os) { *os << t.name; }

// Every fuzz target. Add a line here with each new <name>_fuzz.cc.
const Target kTargets[] = {
    {"json_command", fuzz_json_command},
    {"csv_reference", fuzz_csv_reference},
    {"scenario", fuzz_scenario},
    {"tcp_frame", fuzz_tcp_frame},
};

// Inputs are small (libFuzzer's -max_len); a bigger file is a mistake.
constexpr uintmax_t kInputBytesMax = 1 << 20;

std::vector<fs::path> inputs_of(const std::string& folder) {
  std::vector<fs::path> files;
  const fs::path dir = fs::path(AUTORIZA_FUZZ_DIR) / folder;
  if (!fs::is_directory(dir)) return files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().filename().string()[0] != '.') files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class Corpus : public ::testing::TestWithParam<Target> {};

TEST_P(Corpus, EveryInputRunsCleanly) {
  const Target& t = GetParam();
  const std::vector<fs::path> corpus = inputs_of("corpus/" + std::string(t.name));
  const std::vector<fs::path> regressions = inputs_of("regressions/" + std::string(t.name));
  EXPECT_FALSE(corpus.empty()) << "no seed inputs in corpus/" << t.name;
  size_t replayed = 0;
  for (const auto* list : {&corpus, &regressions}) {
    for (const fs::path& file : *list) {
      ASSERT_LE(fs::file_size(file), kInputBytesMax) << file;
      std::ifstream in(file, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      SCOPED_TRACE(file.string());
      EXPECT_EQ(t.entry(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), 0);
      ++replayed;
    }
  }
  std::cout << "fuzz corpus " << t.name << ": " << corpus.size() << " seeds, " << regressions.size()
            << " regressions replayed (" << replayed << " inputs)\n";
}

INSTANTIATE_TEST_SUITE_P(Targets, Corpus, ::testing::ValuesIn(kTargets),
                         [](const ::testing::TestParamInfo<Target>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace autoriza::fuzz

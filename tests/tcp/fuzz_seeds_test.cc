// The frame decoder's fuzz target (tests/fuzz/tcp_frame_fuzz.cc) over its
// seed corpus and over every prefix of each seed, so the target and its
// seeds are exercised by every build, not only under libFuzzer.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../fuzz/tcp_frame_fuzz.cc"

namespace {

const std::filesystem::path kCorpus = std::filesystem::path(AUTORIZA_TEST_FIXTURES).parent_path() / "fuzz" / "corpus" /
                                      "tcp_frame";

TEST(TcpFrameFuzzSeeds, EverySeedAndPrefixRunsClean) {
  size_t seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kCorpus)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    const std::string bytes = s.str();
    for (size_t n = 0; n <= bytes.size(); ++n) {
      EXPECT_EQ(fuzz_tcp_frame(reinterpret_cast<const uint8_t*>(bytes.data()), n), 0);
    }
    ++seeds;
  }
  EXPECT_GE(seeds, 8u);
}

}  // namespace

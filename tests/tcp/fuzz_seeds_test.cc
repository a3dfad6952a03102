// The frame decoder's fuzz target (tests/fuzz/tcp_frame_fuzz.cc) over its
// seed corpus and over every prefix of each seed, so the target and its
// seeds are exercised by every build, not only under libFuzzer.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

#include "tests/fuzz/tcp_frame_fuzz.cc"

using autoriza::fuzz::fuzz_tcp_frame;

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

// A fixed-seed mutation run over the seeds (flipped bytes, cut and spliced
// streams): no input may break the target's properties. Not a substitute
// for libFuzzer, but it runs with every test build.
TEST(TcpFrameFuzzSeeds, MutatedSeedsRunClean) {
  std::vector<std::string> seeds;
  for (const auto& entry : std::filesystem::directory_iterator(kCorpus)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    seeds.push_back(s.str());
  }
  ASSERT_FALSE(seeds.empty());
  std::mt19937_64 random(1);
  for (int i = 0; i < 20'000; ++i) {
    std::string bytes = seeds[random() % seeds.size()];
    if (random() % 4 == 0) bytes += seeds[random() % seeds.size()];
    const int flips = int(random() % 4);
    for (int f = 0; f < flips && !bytes.empty(); ++f) bytes[random() % bytes.size()] = char(random());
    if (!bytes.empty() && random() % 3 == 0) bytes.resize(random() % bytes.size());
    ASSERT_EQ(fuzz_tcp_frame(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), 0);
  }
}

}  // namespace

// `autoriza kafka-bench` as a user runs it: a short open loop through the dev
// broker, gateway and validators. Every command is answered 200 (errors 0,
// exit status 0), the JSON figures are what was asked, and the timeline CSV
// accounts for every measured command in 100 ms slices.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/crash_process.h"
#include "tests/support/harness.h"

namespace autoriza::testing {
namespace {

TEST(KafkaBench, AnswersEveryCommandAndWritesItsFigures) {
  crash::TempDir tmp("kafka-bench");
  const auto json = tmp.path() / "kb.json";
  const auto timeline = tmp.path() / "kb.csv";
  std::string output;
  const auto rc = crash::run_command({AUTORIZA_BINARY, "kafka-bench", "--data", AUTORIZA_TEST_FIXTURES, "--commands", "3000",
                                      "--rate", "3000", "--warmup", "500", "--partitions", "1", "--validators", "1",
                                      "--no-mirror", "--json", json.string(), "--timeline", timeline.string()},
                                     tmp.path() / "kb.log", std::chrono::minutes(5), &output);
  ASSERT_TRUE(rc.has_value()) << output;
  EXPECT_EQ(*rc, 0) << crash::read_file_text(tmp.path() / "kb.log");

  const nlohmann::json figures = nlohmann::json::parse(crash::read_file_text(json));
  EXPECT_EQ(figures["commands"], 3000);
  EXPECT_EQ(figures["rate_per_s"], 3000);
  EXPECT_EQ(figures["partitions"], 1);
  EXPECT_EQ(figures["mirror"], false);
  EXPECT_EQ(figures["errors"], 0);
  EXPECT_GT(figures["tx_per_s"].get<double>(), 0.0);
  EXPECT_LE(figures["p50_ms"].get<double>(), figures["p99_ms"].get<double>());

  std::ifstream in(timeline);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "t_ms,commands,p50_ms,p99_ms,max_ms");
  size_t commands = 0, rows = 0;
  int64_t last_t = -1;
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string t, n, p50, p99, max;
    ASSERT_TRUE(std::getline(row, t, ',') && std::getline(row, n, ',') && std::getline(row, p50, ',') &&
                std::getline(row, p99, ',') && std::getline(row, max, ','))
        << line;
    EXPECT_GT(std::stoll(t), last_t) << "slices in time order";
    EXPECT_EQ(std::stoll(t) % 100, 0) << line;
    last_t = std::stoll(t);
    EXPECT_LE(std::stod(p50), std::stod(p99)) << line;
    EXPECT_LE(std::stod(p99), std::stod(max)) << line;
    commands += std::stoul(n);
    ++rows;
  }
  EXPECT_EQ(commands, 3000u);
  EXPECT_GE(rows, 9u);  // one second of sends at 3,000/s: ten slices of 100 ms
}

}  // namespace
}  // namespace autoriza::testing

// A second validator (a child process) joins the group under load, then is
// killed -9: the remaining worker takes its partitions back, catching up
// from autoriza.events; answers and state equal the embedded engine's.
#include <gtest/gtest.h>

#include "tests/support/crash_process.h"
#include "tests/kafka/kafka_rig.h"

namespace autoriza::testing {
namespace {

TEST(KafkaRebalance, SecondValidatorJoinsUnderLoadThenIsKilled9) {
  kafka::DevClusterOptions options;
  options.group = true;
  options.validators = 1;
  options.timeout_ms = 2'000;
  KafkaRig rig(options, /*partitions=*/2);
  for (int i = 0; i < 30; ++i) rig.run(i, 40);

  crash::TempDir dir("kafka-rebalance");
  const std::string log = (dir.path() / "validator.log").string();
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  std::string error;
  const pid_t child = crash::spawn_process(
      {AUTORIZA_BINARY, "serve", "--kafka", rig.cluster().broker().bootstrap(), "--role", "validator", "--partitions", "2",
       "--data", AUTORIZA_TEST_FIXTURES, "--store", (dir.path() / "store").string(), "--session-timeout-ms", "3000"},
      fd, fd, &error);
  ::close(fd);
  ASSERT_GT(child, 0) << error;
  // Load until the child owns a partition (it logs its catch-up), bounded.
  int i = 30;
  const auto deadline = crash::Clock::now() + std::chrono::seconds(40);
  while (crash::read_file_text(log).find("commands from offset") == std::string::npos && crash::Clock::now() < deadline) {
    rig.run(i++, 40);
  }
  ASSERT_NE(crash::read_file_text(log).find("commands from offset"), std::string::npos) << crash::read_file_text(log);
  for (const int end = i + 40; i < end; ++i) rig.run(i, 40);  // both own partitions now
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  for (const int end = i + 60; i < end; ++i) rig.run(i, 40);  // its partitions come back after the session timeout
  EXPECT_EQ(rig.cluster().worker(0).owned().size(), 2u) << crash::read_file_text(log);
  rig.expect_same_state(0);
}

}  // namespace
}  // namespace autoriza::testing

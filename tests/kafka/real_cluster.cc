// AUTORIZA_TEST_KAFKA=host:port runs the kafka label against that cluster
// (adapters/dev/devbroker.h). The topics of a test process, and of every
// autoriza process it starts (they inherit the environment), are its own:
// the prefix is chosen here, before any test runs.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "adapters/dev/devbroker.h"

namespace autoriza::kafka {
namespace {

const bool kOwnTopics = [] {
  const char* real = std::getenv(kRealClusterEnv);
  if (!real || !*real) return false;
  if (std::getenv(kTopicPrefixEnv)) return topic_prefix_from_env().is_ok();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string prefix = "autoriza-test-" + std::to_string(::getpid()) + "-" + std::to_string(ms) + ".";
  ::setenv(kTopicPrefixEnv, prefix.c_str(), 1);
  return set_topic_prefix(prefix).is_ok();
}();

}  // namespace
}  // namespace autoriza::kafka

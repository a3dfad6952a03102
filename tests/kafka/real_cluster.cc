// AUTORIZA_TEST_KAFKA=host:port runs the kafka label against that cluster
// (adapters/dev/devbroker.h). The topics of a test process, and of every
// autoriza process it starts (they inherit the environment), are its own:
// the prefix is chosen here, before any test runs.
#include <cstdlib>

#include "adapters/dev/devbroker.h"

namespace autoriza::kafka {
namespace {

const bool kOwnTopics = [] {
  const char* real = std::getenv(kRealClusterEnv);
  if (!real || !*real) return false;
  if (std::getenv(kTopicPrefixEnv)) return topic_prefix_from_env().is_ok();
  return use_own_test_topics().is_ok();
}();

}  // namespace
}  // namespace autoriza::kafka

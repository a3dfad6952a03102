#pragma once
// Replies released together (one round of delivery reports frees the replies
// of every event it acknowledged) are rendered and produced together: one
// Kafka message per reply partition and round instead of one per reply
// (batch format in messages.h). Kafka's per-message cost, paid in the
// validator, the broker and the gateway, is the largest single cost of the
// reply path; and rendering on the poll thread keeps JSON off the engine's
// committer threads, which are each partition's serial stage.
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "engine/engine.h"

namespace autoriza::kafka {

// An answer on its way back to a gateway.
struct PendingReply {
  uint16_t reply_partition = 0;
  uint64_t correlation = 0;
  fb::Command type = fb::Command::NONE;  // how the result renders as JSON
  Outcome outcome;
};

class ReplyBatcher {
 public:
  // Thread-safe. Bounded by the caller: at most its commands in flight wait here.
  void add(PendingReply reply);
  // Renders and frames every reply added so far, as (reply partition, batch
  // value); each batch within kRepliesPerMessageMax and kReplyBatchBytesMax.
  std::vector<std::pair<uint16_t, std::string>> take();

 private:
  std::mutex mutex_;
  std::vector<PendingReply> pending_;
};

}  // namespace autoriza::kafka

#include "adapters/kafka/reply_batcher.h"

#include "adapters/kafka/messages.h"

namespace autoriza::kafka {

void ReplyBatcher::add(PendingReply reply) {
  std::lock_guard lock(mutex_);
  pending_.push_back(std::move(reply));
}

std::vector<std::pair<uint16_t, std::string>> ReplyBatcher::take() {
  std::vector<PendingReply> replies;
  {
    std::lock_guard lock(mutex_);
    replies.swap(pending_);
  }
  std::vector<std::pair<uint16_t, std::string>> closed;
  std::vector<std::pair<uint16_t, std::string>> open;  // at most one per reply partition (a handful of gateways)
  for (const PendingReply& r : replies) {
    const std::string bytes = encode_reply(r.correlation, r.type, r.outcome);
    auto it = open.begin();
    while (it != open.end() && it->first != r.reply_partition) ++it;
    if (it != open.end() && (replies_in(it->second) >= kRepliesPerMessageMax ||
                             it->second.size() + bytes.size() + 4 > kReplyBatchBytesMax)) {
      closed.push_back(std::move(*it));
      open.erase(it);
      it = open.end();
    }
    if (it == open.end()) {
      open.emplace_back(r.reply_partition, std::string());
      it = open.end() - 1;
    }
    append_reply(&it->second, bytes);
  }
  for (auto& b : open) closed.push_back(std::move(b));
  return closed;
}

}  // namespace autoriza::kafka

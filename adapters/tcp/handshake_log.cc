#include "adapters/tcp/handshake_log.h"

#include <spdlog/spdlog.h>

namespace autoriza::tcp {

bool HandshakeFailureLog::should_log(std::string_view address, Clock::time_point now, uint64_t* unlogged) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(std::string(address));
  if (it == entries_.end()) {
    if (entries_.size() >= kAddressesMax) entries_.clear();
    entries_.emplace(std::string(address), Entry{now, 0});
    *unlogged = 0;
    return true;
  }
  Entry& e = it->second;
  if (now - e.logged < kInterval) {
    ++e.unlogged;
    return false;
  }
  *unlogged = e.unlogged;
  e = Entry{now, 0};
  return true;
}

void HandshakeFailureLog::failed(std::string_view address, std::string_view why) {
  uint64_t unlogged = 0;
  if (!should_log(address, Clock::now(), &unlogged)) return;
  if (unlogged == 0) {
    spdlog::info("tcp server: TLS handshake from {} failed: {}", address, why);
  } else {
    spdlog::info("tcp server: TLS handshake from {} failed: {} ({} more failed since the last line of {})", address,
                 why, unlogged, address);
  }
}

}  // namespace autoriza::tcp

#pragma once
// What the TCP adapter logs of failed TLS handshakes (issue 17: a client
// retrying with a rejected certificate wrote one line per attempt). Per
// client address: the first failure is logged, later ones are counted and
// summed up in at most one line per kInterval ("... and 37 more since").
// Every failure is still counted in autoriza_tcp_tls_handshake_failures_total.
// Thread-safe; at most kAddressesMax addresses remembered (then forgotten all
// at once: a few lines more, never unbounded memory).
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace autoriza::tcp {

class HandshakeFailureLog {
 public:
  static constexpr size_t kAddressesMax = 4096;
  static constexpr std::chrono::seconds kInterval{60};
  using Clock = std::chrono::steady_clock;

  // Whether the failure of address at now gets a line; then *unlogged is the
  // count of its failures since its last line that got none.
  bool should_log(std::string_view address, Clock::time_point now, uint64_t* unlogged);
  // should_log, and the line itself (spdlog, level info).
  void failed(std::string_view address, std::string_view why);

 private:
  struct Entry {
    Clock::time_point logged;  // its last line
    uint64_t unlogged = 0;     // failures since then without a line
  };
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // at most kAddressesMax
};

}  // namespace autoriza::tcp

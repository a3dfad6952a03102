#pragma once
// The access log: one line per command, whichever adapter it came through,
// written when it is answered (log_setup.h says where and in which format).
// Fields, in this order:
//   request_id   the command's request_id (empty when it did not decode)
//   command      eligibility | authorize | consume | annul | audit_verdict | token_issue | other
//   channel      http | tcp | scenario
//   principal    who sent it (a key's principal name; empty when unauthenticated)
//   provider     the provider id of provider commands
//   http_status  200, or the refusal's status (the TCP adapter's equivalent)
//   outcome      business status (ELIGIBLE, AUTHORIZED, REJECTED...) or error code
//   replayed     an idempotent retry answered from the log
//   latency_us   arrival to answer
// Never the body, and so never a credential number, DNI/CUIL, name, token,
// API key or message (messages quote what the client sent).
#include <chrono>
#include <memory>

#include "adapters/codec/error_codes.h"
#include "adapters/service/command_trace.h"
#include "adapters/service/log_setup.h"

namespace autoriza {

class AccessLog {
 public:
  AccessLog(std::shared_ptr<spdlog::logger> logger, LogFormat format);
  // Thread-safe; formats the line on the calling thread and queues it.
  void write(const CommandTrace& trace, const CommandAnswer& answer, std::chrono::nanoseconds latency) const;

 private:
  std::shared_ptr<spdlog::logger> logger_;
  LogFormat format_;
};

}  // namespace autoriza

#pragma once
// What the service keeps of one command from its arrival to its answer, for
// GET /metrics (metrics.h) and the access log (access_log.h), whichever
// adapter it came through. It holds names and ids only, never the body: no
// credential number, DNI/CUIL, name, token or API key.
#include <chrono>
#include <string>
#include <string_view>

#include "adapters/codec/error_codes.h"
#include "schemas/commands_generated.h"
#include "engine/partition.h"
#include "schemas/results_generated.h"

namespace autoriza {

// The commands of docs/rules.md §5, and "other" for any name that is not one:
// a bounded set, so a client sending made-up names cannot grow a label set.
inline constexpr std::string_view kTracedCommands[] = {"eligibility",   "authorize",   "consume", "annul",
                                                       "audit_verdict", "audit_answer", "token_issue", "other"};
// The channels a command may arrive through (recorded in its event too).
inline constexpr std::string_view kTracedChannels[] = {"http", "tcp", "scenario", "other"};

// name itself (with static storage) when it is a command of docs/rules.md §5, else "other".
std::string_view traced_command(std::string_view name);
// The command's name as in POST /v1/<name> ("audit_verdict"); "other" for
// commands of the affiliate API and NONE.
std::string_view traced_command(fb::Command type);
// The provider id of eligibility, authorize, consume and annul; empty for others.
std::string_view command_provider(const fb::CommandUnion& command);

inline constexpr size_t kTracedIdMax = 64;  // bytes of request_id and provider kept (the decoders' kIdMax)

struct CommandTrace {
  std::string_view channel;   // "http", "tcp", "scenario": static or the service's, which outlives the trace
  std::string_view command;   // a kTracedCommands entry
  std::string request_id;     // the command's; empty when it did not decode
  std::string provider;       // of provider commands; empty otherwise
  std::string principal;      // who sent it (auth::Principal::name); empty when unauthenticated
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  // Fills request_id and provider (each cut at kTracedIdMax) from a command,
  // decoded or refused for its shape.
  void set_command(const fb::CommandUnion& decoded);
};

// How it was answered.
struct CommandAnswer {
  int http_status = 200;      // or the TCP adapter's equivalent
  std::string_view outcome;   // business status (ELIGIBLE, AUTHORIZED, REJECTED...) or error code; static storage
  bool replayed = false;      // an idempotent retry answered from the log
};

// The answer of an engine result (status 200, the result's business status).
CommandAnswer answered(const fb::ResultT& result, bool replayed);
// Of an ok outcome: from its result, or (Kafka gateway) from forwarded_status.
CommandAnswer answered(const Outcome& outcome);
// The answer of an error reply: its code ("INVALID_REQUEST"...) from the HTTP status.
CommandAnswer refused(int http_status);

}  // namespace autoriza

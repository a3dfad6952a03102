#pragma once
// What COMMAND, RESULT and GOAWAY frames carry (schemas/tcp.fbs), to and from
// the engine's types, and the shape checks a binary command gets before it
// reaches the engine (the same bounds as the JSON decoder: ids up to kIdMax,
// texts up to kTextMax, items 1..kItemsMax, qty 1..kQtyMax, known enums).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/clock.h"
#include "schemas/commands_generated.h"
#include "schemas/results_generated.h"
#include "engine/core/status.h"

namespace autoriza::tcp {

// An error on the wire: an HTTP-equivalent status and the adapters' codes.
struct WireError {
  int status = 0;        // 400, 401, 403, 408, 429, 503...
  std::string code;      // INVALID_REQUEST, UNAUTHENTICATED, FORBIDDEN, TIMEOUT...
  std::string message;
  std::string field;
  int64_t retry_after_s = 0;
};

// The error of a failed Status (status and code from engine/core/status.h).
WireError wire_error(const Status& status, int64_t retry_after_s = 0);

// The answer to one COMMAND: a result, or an error.
struct Answer {
  std::shared_ptr<const fb::ResultT> result;  // null when error is set
  bool replayed = false;
  WireError error;
  bool ok() const { return result != nullptr; }
};

// COMMAND payload; now: the command's clock (honoured only by servers that
// allow client time).
std::string command_payload(const fb::CommandUnion& command, std::optional<Millis> now = std::nullopt);
// Unpacks a COMMAND payload (verified again: callers may pass any bytes)
// and checks its shape (check_command).
Status read_command(std::string_view payload, fb::CommandUnion* command, std::optional<Millis>* now);

// RESULT payloads.
std::string result_payload(const fb::ResultT& result, bool replayed);
std::string error_payload(const WireError& error);  // RESULT or GOAWAY
// Unpacks a RESULT or GOAWAY payload (verified).
Status read_reply(std::string_view payload, Answer* out);

// kInvalidRequest naming the field unless command is one of the commands of
// docs/rules.md §5 (eligibility, authorize, consume, annul, audit_verdict,
// token_issue) within the JSON decoder's bounds. Token commands must not
// carry sealed material: the server draws it.
Status check_command(const fb::CommandUnion& command);

// The command's name as in POST /v1/<name> ("authorize"); "" for others.
const char* command_name_of(fb::Command type);

}  // namespace autoriza::tcp

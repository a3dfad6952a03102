#pragma once
// The validator: decision = f(reference, state, command, command time).
// It never reads a clock, never draws random numbers and never changes
// state: it returns the event that, once applied, makes the decision true.
#include "clock.h"
#include "events_generated.h"
#include "reference.h"
#include "state.h"
#include "status.h"

namespace autoriza {

struct DecideContext {
  const Reference& reference;
  const PartitionState& state;
  Millis now;
  PartitionId partition;
  Sequence sequence;  // the sequence the event will get if recorded
};

struct Decision {
  Status status;        // not ok: the command is refused (400), nothing recorded
  fb::EventT event;     // type, command_time, result (+ annulled); envelope is the caller's
  bool record = true;   // false: answer without an event (authorize mode "validate")
};

// Decides one command. The command must have passed the adapter's syntactic
// checks (codec) and the idempotency look-up.
Decision decide(const DecideContext& ctx, const fb::CommandUnion& command);

// The idempotency scope of a command: "provider:<id>", "auditor:<id>" or
// "credential:<id>"; empty for commands that keep no key (validate mode).
std::string idempotency_scope(const fb::CommandUnion& command);
const std::string& request_id_of(const fb::CommandUnion& command);

}  // namespace autoriza

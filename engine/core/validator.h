#pragma once
// The validator: decision = f(reference, state, command, command time).
// It never reads a clock, never draws random numbers and never changes
// state: it returns the event that, once applied, makes the decision true.
#include "engine/core/clock.h"
#include "engine/core/command_fields.h"
#include "schemas/events_generated.h"
#include "engine/core/reference.h"
#include "engine/core/state.h"
#include "engine/core/status.h"

namespace autoriza {

class KeyRing;

struct DecideContext {
  const Reference& reference;
  const PartitionState& state;
  Millis now;
  PartitionId partition;
  Sequence sequence;           // the sequence the event will get if recorded
  PartitionId partitions = 1;  // of the engine: which credentials live here
  const KeyRing* keys = nullptr;  // token secrets; null: no token can be valid
};

struct Decision {
  Status status;        // not ok: the command is refused (400), nothing recorded
  fb::EventT event;     // type, command_time, result (+ annulled); envelope is the caller's
  bool record = true;   // false: answer without an event (authorize mode "validate")
  // When set, the answer to give instead of event.result: the recorded result
  // then holds no secret (tokens, security codes), see rehydrate_answer().
  std::unique_ptr<fb::ResultT> answer;
};

// Puts back into a recorded result what was redacted from it (tokens,
// security code), recomputing it from the event and state: for retries.
Status rehydrate_answer(const fb::EventT& event, const PartitionState& state, const KeyRing* keys,
                        fb::ResultT* result);

// Decides one command. The command must have passed the adapter's syntactic
// checks (codec) and the idempotency look-up.
Decision decide(const DecideContext& ctx, const fb::CommandUnion& command);

// Blanks what a command may carry in clear that the log must not keep: the
// affiliate's token (its effect is recorded as a step or keyed hash in
// Event.token_use). A token that was given stays visible as "*".
void redact_command(fb::CommandUnion& command);

}  // namespace autoriza

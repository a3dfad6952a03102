#pragma once
// An event read back from a log (a store's events table, autoriza.events)
// at a known position: it must verify and name that position.
#include <string>
#include <string_view>
#include <vector>

#include "schemas/events_generated.h"
#include "engine/core/ids.h"
#include "engine/records.h"
#include "engine/core/status.h"

namespace autoriza {

// *out: the verified root (it may point into *storage, which must outlive
// it); kCorruption when the bytes do not verify or name another position.
inline Status open_event(std::string_view bytes, PartitionId stream, Sequence sequence, std::vector<uint64_t>* storage,
                         const fb::Event** out) {
  *out = verified_root<fb::Event>(bytes, storage);
  const char* wrong = !*out ? " does not verify"
                    : ((*out)->partition() != stream || (*out)->sequence() != sequence) ? " names another position"
                                                                                        : nullptr;
  if (!wrong) return Status::ok();
  *out = nullptr;
  return Status::corruption("event " + std::to_string(stream) + "/" + std::to_string(sequence) + wrong);
}

}  // namespace autoriza

#pragma once
// The state the micro-benchmarks run against, built once per process: the
// sample nomenclator, a generated padrón of kAffiliates affiliates and a
// partition state that has already decided and applied kWarmCommands
// commands of the mix (so frequency look-ups and order look-ups hit real
// maps). Commands are kept in rings of kRing so each iteration sees a
// different one.
#include <memory>
#include <string>
#include <vector>

#include "engine/core/idempotency.h"
#include "bench/loadgen/mix.h"
#include "bench/loadgen/padron.h"
#include "engine/core/reference.h"
#include "engine/core/state.h"

namespace autoriza::bench {

struct World {
  static constexpr size_t kAffiliates = 50'000;
  static constexpr size_t kProviders = 600;
  static constexpr size_t kWarmCommands = 50'000;
  static constexpr size_t kRing = 1024;

  Padron padron;
  std::shared_ptr<Reference> reference;
  IdempotencyIndex idempotency;
  std::unique_ptr<PartitionState> state;
  Millis now;
  std::vector<fb::CommandUnion> authorizes;   // mode authorize, never submitted
  std::vector<fb::CommandUnion> eligibilities;
  std::vector<fb::EventT> authorize_events;   // decided from `authorizes`, envelope filled
  std::vector<std::string> authorize_bodies;  // JSON bodies of `authorizes`

  // Built on first use; aborts when the sample data cannot be read.
  static const World& get();
};

}  // namespace autoriza::bench

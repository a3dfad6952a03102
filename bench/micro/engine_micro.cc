// Micro-benchmarks of the writer thread's work per command: the decision,
// the idempotency digest and the packing of the event.
#include <benchmark/benchmark.h>

#include "engine/partition.h"
#include "engine/state_store.h"
#include "engine/core/validator.h"
#include "bench/micro/world.h"

namespace autoriza::bench {
namespace {

void BM_DecideAuthorize(benchmark::State& st) {
  const World& w = World::get();
  size_t i = 0;
  for (auto _ : st) {
    const fb::CommandUnion& c = w.authorizes[i++ % w.authorizes.size()];
    Decision d = decide(DecideContext{*w.reference, *w.state, w.now, 0, w.state->last_sequence() + 1}, c);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_DecideAuthorize);

void BM_DecideEligibility(benchmark::State& st) {
  const World& w = World::get();
  size_t i = 0;
  for (auto _ : st) {
    const fb::CommandUnion& c = w.eligibilities[i++ % w.eligibilities.size()];
    Decision d = decide(DecideContext{*w.reference, *w.state, w.now, 0, w.state->last_sequence() + 1}, c);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_DecideEligibility);

void BM_CommandDigest(benchmark::State& st) {
  const World& w = World::get();
  size_t i = 0;
  for (auto _ : st) {
    Digest d = command_digest(w.authorizes[i++ % w.authorizes.size()]);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_CommandDigest);

void BM_PackEvent(benchmark::State& st) {
  const World& w = World::get();
  size_t i = 0, bytes = 0;
  for (auto _ : st) {
    std::string packed = pack_event(w.authorize_events[i++ % w.authorize_events.size()]);
    bytes += packed.size();
    benchmark::DoNotOptimize(packed);
  }
  st.SetBytesProcessed(int64_t(bytes));
}
BENCHMARK(BM_PackEvent);

void BM_UnpackEvent(benchmark::State& st) {
  const World& w = World::get();
  std::vector<std::string> packed;
  for (const auto& e : w.authorize_events) packed.push_back(pack_event(e));
  size_t i = 0;
  for (auto _ : st) {
    fb::EventT event;
    Status s = unpack_event(packed[i++ % packed.size()], &event);
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(event);
  }
}
BENCHMARK(BM_UnpackEvent);

}  // namespace
}  // namespace autoriza::bench

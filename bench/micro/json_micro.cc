// Micro-benchmarks of the JSON face: decoding an authorize body (what an
// HTTP server thread does per request), encoding its answer (DOM, and the
// direct rendering HTTP answers use, see README) and money
// formatting; plus the load generator's own answer scanner.
#include <benchmark/benchmark.h>

#include "bench/loadgen/answer.h"
#include "adapters/codec/codec.h"
#include "engine/core/money.h"
#include "bench/micro/world.h"

namespace autoriza::bench {
namespace {

void BM_DecodeAuthorizeJson(benchmark::State& st) {
  const World& w = World::get();
  size_t i = 0, bytes = 0;
  for (auto _ : st) {
    const std::string& body = w.authorize_bodies[i++ % w.authorize_bodies.size()];
    Json json;
    fb::CommandUnion command;
    Status s = parse_json(body, &json);
    if (s) s = decode_command("authorize", json, &command);
    if (!s) st.SkipWithError(s.to_string().c_str());
    bytes += body.size();
    benchmark::DoNotOptimize(command);
  }
  st.SetBytesProcessed(int64_t(bytes));
}
BENCHMARK(BM_DecodeAuthorizeJson);

void BM_EncodeAuthorizeResult(benchmark::State& st) {
  const World& w = World::get();
  size_t i = 0;
  for (auto _ : st) {
    const fb::EventT& e = w.authorize_events[i++ % w.authorize_events.size()];
    std::string text = encode_result(fb::Command::AuthorizeCmd, *e.result).dump();
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_EncodeAuthorizeResult);

// The same text written directly (what HTTP answers and Kafka replies use):
// read against BM_EncodeAuthorizeResult of the same run.
void BM_RenderAuthorizeResult(benchmark::State& st) {
  const World& w = World::get();
  size_t i = 0;
  for (auto _ : st) {
    const fb::EventT& e = w.authorize_events[i++ % w.authorize_events.size()];
    std::string text = render_result(fb::Command::AuthorizeCmd, *e.result);
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_RenderAuthorizeResult);

bool same_answer(const Answer& a, const Answer& b) {
  if (a.status != b.status || a.transaction != b.transaction || a.order != b.order || a.sap != b.sap ||
      a.item_count != b.item_count) {
    return false;
  }
  for (size_t i = 0; i < a.item_count; ++i) {
    if (a.item_index[i] != b.item_index[i] || a.item_status[i] != b.item_status[i]) return false;
  }
  return true;
}

void BM_ScanAuthorizeAnswer(benchmark::State& st) {
  const World& w = World::get();
  std::vector<std::string> texts;
  for (const auto& e : w.authorize_events) {
    texts.push_back(encode_result(fb::Command::AuthorizeCmd, *e.result).dump());
    // The scanner must read what the engine answered, or the HTTP run learns nonsense.
    Answer from_json, from_result;
    answer_from_result(*e.result, &from_result);
    if (!answer_from_json(texts.back(), &from_json) || !same_answer(from_json, from_result)) {
      st.SkipWithError(("scanner disagrees with the result on " + texts.back()).c_str());
      return;
    }
  }
  size_t i = 0;
  for (auto _ : st) {
    Answer a;
    const bool ok = answer_from_json(texts[i++ % texts.size()], &a);
    if (!ok) st.SkipWithError("answer not readable");
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_ScanAuthorizeAnswer);

void BM_FormatCents(benchmark::State& st) {
  int64_t v = 1'234'567;
  for (auto _ : st) {
    std::string s = format_cents(Cents{v});
    benchmark::DoNotOptimize(s);
    v = (v * 7 + 13) % 100'000'000;
  }
}
BENCHMARK(BM_FormatCents);

}  // namespace
}  // namespace autoriza::bench

BENCHMARK_MAIN();

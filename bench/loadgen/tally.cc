// Counting answers by kind and outcome, shared by both drivers.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <ostream>

#include "bench/loadgen/driver.h"

namespace autoriza::bench {

const char* failure_name(Failure failure) {
  switch (failure) {
    case Failure::kInvalidRequest: return "INVALID_REQUEST";
    case Failure::kNotFound: return "NOT_FOUND";
    case Failure::kConflict: return "REQUEST_ID_REUSED";
    case Failure::kUnavailable: return "UNAVAILABLE";
    case Failure::kUnauthorized: return "UNAUTHORIZED";
    case Failure::kRateLimited: return "RATE_LIMITED";
    case Failure::kInternal: return "INTERNAL";
    case Failure::kTransport: return "TRANSPORT";
    case Failure::kBadAnswer: return "BAD_ANSWER";
  }
  return "?";
}

Failure failure_of(StatusKind kind) {
  switch (kind) {
    case StatusKind::kInvalidRequest: return Failure::kInvalidRequest;
    case StatusKind::kNotFound: return Failure::kNotFound;
    case StatusKind::kConflict: return Failure::kConflict;
    case StatusKind::kUnavailable:
    case StatusKind::kStoreFull: return Failure::kUnavailable;
    case StatusKind::kUnauthenticated:
    case StatusKind::kForbidden: return Failure::kUnauthorized;
    case StatusKind::kRateLimited: return Failure::kRateLimited;
    case StatusKind::kOk:
    case StatusKind::kIoError:
    case StatusKind::kCorruption: break;
    case StatusKind::kTimeout: break;
  }
  return Failure::kInternal;
}

Failure failure_of_http(int status) {
  switch (status) {
    case 400: return Failure::kInvalidRequest;
    case 404: return Failure::kNotFound;
    case 401:
    case 403: return Failure::kUnauthorized;
    case 409: return Failure::kConflict;
    case 429: return Failure::kRateLimited;
    case 503: return Failure::kUnavailable;
    default: return Failure::kInternal;
  }
}

std::string outcome_slot_name(size_t slot) {
  AUTORIZA_CHECK(slot < kOutcomeSlots);
  if (slot < kStatusSlots) return fb::EnumNameStatus(static_cast<fb::Status>(slot));
  return std::string("error:") + failure_name(static_cast<Failure>(slot - kStatusSlots));
}

void Tally::add(CommandKind kind, fb::Status status, uint64_t latency_ns) {
  AUTORIZA_CHECK(size_t(status) < kStatusSlots);
  ++outcomes[size_t(kind)][size_t(status)];
  latency.record(latency_ns);
}

void Tally::add_failure(CommandKind kind, Failure failure, uint64_t latency_ns) {
  ++outcomes[size_t(kind)][kStatusSlots + size_t(failure)];
  latency.record(latency_ns);
}

void Tally::merge(const Tally& other) {
  latency.merge(other.latency);
  for (size_t k = 0; k < kCommandKinds; ++k) {
    for (size_t s = 0; s < kOutcomeSlots; ++s) outcomes[k][s] += other.outcomes[k][s];
  }
}

uint64_t Tally::answered(CommandKind kind) const {
  uint64_t n = 0;
  for (uint64_t c : outcomes[size_t(kind)]) n += c;
  return n;
}

uint64_t Tally::failures() const {
  uint64_t n = 0;
  for (const auto& by_slot : outcomes) {
    for (size_t s = kStatusSlots; s < kOutcomeSlots; ++s) n += by_slot[s];
  }
  return n;
}

uint64_t Tally::refusals() const {
  uint64_t n = 0;
  for (const auto& by_slot : outcomes) {
    for (fb::Status s : {fb::Status::REJECTED, fb::Status::NOT_ELIGIBLE, fb::Status::REFUSED}) n += by_slot[size_t(s)];
  }
  return n;
}

PartitionStats engine_totals(const Engine& engine) {
  PartitionStats t;
  for (const PartitionStats& s : engine.stats()) {
    t.commands += s.commands;
    t.batches += s.batches;
    t.events += s.events;
    t.retries += s.retries;
  }
  return t;
}

PartitionStats engine_delta(const PartitionStats& before, const PartitionStats& after) {
  AUTORIZA_CHECK(after.commands >= before.commands && after.batches >= before.batches);
  return {after.commands - before.commands, after.batches - before.batches, after.events - before.events,
          after.retries - before.retries};
}

double load_average_1m() {
  std::ifstream in("/proc/loadavg");
  double load = -1;
  if (!(in >> load)) return -1;
  return load;
}

double RunReport::authorizations_per_s() const {
  if (seconds <= 0) return 0;
  const uint64_t n = tally.answered(CommandKind::kAuthorize) + tally.answered(CommandKind::kAuditOpen);
  return double(n) / seconds;
}

std::string pregenerate(Mix& mix, size_t count, std::ostream& progress) {
  const auto start = std::chrono::steady_clock::now();
  const size_t before = mix.pregenerated_left();
  mix.pregenerate(count);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const size_t built = mix.pregenerated_left() - before;
  char line[200];
  std::snprintf(line, sizeof line,
                "pre-generated %zu independent commands in %.2f s (%.2f us each); consume, annul and verdicts "
                "built live from answers",
                built, seconds, built ? seconds * 1e6 / double(built) : 0.0);
  progress << "mix: " << line << "\n" << std::flush;
  return line;
}

}  // namespace autoriza::bench

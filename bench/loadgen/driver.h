#pragma once
// The drivers of `autoriza bench`: they take commands from a Mix, send them
// to the engine (in-process) or to an HTTP server, feed answers back to the
// mix and measure.
//
//   in-process, closed loop: at most `window` commands in flight; a new one
//     is submitted as soon as one is answered (maximum throughput).
//     Latency: submit -> callback (the event is durable).
//   in-process, open loop: command i is due at t0 + i / rate; latency is
//     measured from when it was due, so a stalled engine shows up as latency
//     instead of silently slowing the sender (no coordinated omission).
//   HTTP: `connections` threads, each with one keep-alive HttpClient,
//     closed loop, `pipeline` requests per write. Latency: write -> answer
//     read (for a pipeline, of its last answer).
// Throughput is answers / elapsed seconds of the measured phase.
#include <array>
#include <cstdint>
#include <iosfwd>
#include <string>

#include "engine/engine.h"
#include "bench/loadgen/histogram.h"
#include "bench/loadgen/mix.h"

namespace autoriza::bench {

// Why a command got no result.
enum class Failure : uint8_t {
  kInvalidRequest,  // 400
  kNotFound,        // 404
  kConflict,        // 409 REQUEST_ID_REUSED
  kUnavailable,     // 503: queue full, stopping
  kUnauthorized,    // 401, 403: no valid key, or one that may not do this
  kRateLimited,     // 429
  kInternal,        // 500 or other
  kTransport,       // connection failed or closed (HTTP)
  kBadAnswer,       // an answer the scanner could not read (HTTP)
};
inline constexpr size_t kFailures = 9;
inline constexpr size_t kStatusSlots = size_t(fb::Status::MAX) + 1;
inline constexpr size_t kOutcomeSlots = kStatusSlots + kFailures;
const char* failure_name(Failure failure);
Failure failure_of(StatusKind kind);
Failure failure_of_http(int status);
// "AUTHORIZED", ..., "error:UNAVAILABLE"
std::string outcome_slot_name(size_t slot);

// Counts and latencies of one thread or one whole run.
struct Tally {
  Histogram latency;
  std::array<std::array<uint64_t, kOutcomeSlots>, kCommandKinds> outcomes{};

  void add(CommandKind kind, fb::Status status, uint64_t latency_ns);
  void add_failure(CommandKind kind, Failure failure, uint64_t latency_ns);
  void merge(const Tally& other);
  uint64_t answered(CommandKind kind) const;
  uint64_t failures() const;
  // Results that refuse: REJECTED, NOT_ELIGIBLE, REFUSED (business answers, not failures).
  uint64_t refusals() const;
};

struct RunReport {
  std::string mode;         // "inprocess", "inprocess-open", "http"
  std::string loop;         // "closed, window 8192", "open at 160000/s", "64 connections x pipeline 1"
  std::string generation;   // how commands were produced
  uint64_t commands = 0;    // answered (results and failures)
  double seconds = 0;
  double target_rate = 0;   // open loop only
  Tally tally;
  PartitionStats engine;    // engine counters during the run (in-process engine only)
  double load_average = -1; // the machine's 1-minute load average at the end (-1: unknown)

  double throughput() const { return seconds > 0 ? double(commands) / seconds : 0; }
  // authorize commands (mode authorize and audit) answered per second.
  double authorizations_per_s() const;
};

struct InprocessOptions {
  size_t commands = 1'000'000;
  size_t window = 8192;   // commands in flight at most
  double rate = 0;        // commands/s; 0: closed loop
};

// Needs window <= the engine's queue_max. Blocks until every command is
// answered. Progress lines go to progress about once a second.
RunReport run_inprocess(Engine& engine, Mix& mix, const InprocessOptions& options, std::ostream& progress);

inline constexpr size_t kHttpConnectionsMax = 1024;  // the server's own bound

struct HttpOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  size_t commands = 1'000'000;
  size_t connections = 64;
  size_t pipeline = 1;  // requests per write, 1..kClientPipelineMax
  std::string api_key;  // sent as Authorization: Bearer (empty: none)
};

// Connects `connections` clients; a client whose connection fails retries
// once, then stops (its commands are counted as transport failures).
RunReport run_http(Mix& mix, const HttpOptions& options, std::ostream& progress);

// Counters of every partition added up, and the difference of two such.
PartitionStats engine_totals(const Engine& engine);
PartitionStats engine_delta(const PartitionStats& before, const PartitionStats& after);

// The 1-minute load average of the machine (/proc/loadavg); -1 when unknown.
double load_average_1m();

// Builds `count` independent commands ahead and says how long it took.
std::string pregenerate(Mix& mix, size_t count, std::ostream& progress);

}  // namespace autoriza::bench

#pragma once
// Mix: the command stream of the benchmark, the share of each kind as a
// provider network sends them:
//   40% eligibility, 35% authorize (1-6 items valid for the provider's kind),
//   15% consume of an authorized order, 5% annul of an order or a
//   consumption by its provider, 5% audit (half open a SAP in mode "audit",
//   half give a verdict on an open SAP).
// Dependent commands (consume, annul, verdict) use what earlier answers
// said: the driver feeds every answer back through observe(). A dependent
// kind drawn while nothing qualifies yet is replaced by an authorize
// (counted in substitutions()).
//
// Time is simulated: command i carries start + i x step, whatever the wall
// clock says, so a run is reproducible and prescriptions stay in their
// 30-day window.
//
// Independent commands (eligibility, authorize, audit open) come from their
// own seeded streams, so they can be built ahead (pregenerate) and still be
// identical to those built live. Not thread-safe.
#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "bench/loadgen/answer.h"
#include "engine/core/clock.h"
#include "schemas/commands_generated.h"
#include "bench/loadgen/padron.h"

namespace autoriza::bench {

enum class CommandKind : uint8_t { kEligibility, kAuthorize, kConsume, kAnnul, kAuditOpen, kAuditVerdict };
inline constexpr size_t kCommandKinds = 6;
const char* command_kind_name(CommandKind kind);

struct MixOptions {
  uint64_t seed = 1;
  std::string request_prefix = "b";   // request ids are "<prefix>-<kind letter><n>"
  Millis start;                       // time of the first command
  int64_t step_ms = 1;                // simulated time between commands
  size_t pool_max = 100'000;          // bound of each pool of orders, consumptions, SAPs
  // Shares in percent; must add up to 100.
  int eligibility_pct = 40, authorize_pct = 35, consume_pct = 15, annul_pct = 5, audit_pct = 5;
};

// What observe() needs to learn from a command's answer.
struct Ticket {
  CommandKind kind = CommandKind::kEligibility;
  uint32_t provider = 0;   // index into Padron::providers
  uint32_t affiliate = 0;  // index of the generated affiliate
  uint64_t pending = 0;    // verdict: the SAP's items still pending audit (bit per index)
  std::string sap;         // verdict: the SAP it decides
};

struct Planned {
  Ticket ticket;
  fb::CommandUnion command;
  Millis at;
};

class Mix {
 public:
  // padron must outlive the mix.
  Mix(const Padron& padron, MixOptions options);

  // The next command of the stream.
  void next(Planned* out);
  // Builds up to count independent commands ahead (in their stream order);
  // next() takes them before building any live.
  void pregenerate(size_t count);
  size_t pregenerated_left() const;
  // Learns from one answer (error answers teach nothing).
  void observe(const Ticket& ticket, const Answer& answer);

  uint64_t dispatched() const { return dispatched_; }
  uint64_t substitutions() const { return substitutions_; }
  size_t open_orders() const { return orders_.size(); }
  Millis now() const { return Millis{options_.start.value + int64_t(dispatched_) * options_.step_ms}; }

 private:
  struct OpenOrder {
    std::string id;
    uint32_t provider, affiliate;
    uint64_t items;  // authorized and not consumed yet (bit per index)
  };
  struct Done {  // an order or consumption that may be annulled
    std::string id;
    uint32_t provider;
  };
  struct OpenSap {
    std::string id;
    uint32_t provider, affiliate;
    uint64_t pending;
  };
  // One independent stream: its rng, request counter and built-ahead queue.
  struct Stream {
    std::mt19937_64 rng;
    uint64_t count = 0;
    std::vector<Planned> ahead;
    size_t ahead_next = 0;
  };

  CommandKind draw_kind();
  void take_independent(CommandKind kind, Planned* out);
  void build_independent(CommandKind kind, Stream& stream, Planned* out);
  void build_eligibility(Stream& stream, Planned* out);
  void build_authorize(Stream& stream, bool audit, Planned* out);
  void build_consume(Planned* out);
  void build_annul(Planned* out);
  void build_verdict(Planned* out);
  std::string request_id(char letter, uint64_t n) const;
  template <typename T>
  void remember(std::vector<T>& pool, T entry);
  template <typename T>
  T take_random(std::vector<T>& pool);

  const Padron& padron_;
  MixOptions options_;
  std::mt19937_64 kind_rng_, dependent_rng_;
  Stream eligibility_, authorize_, audit_;
  uint64_t dependent_count_ = 0;
  uint64_t dispatched_ = 0, substitutions_ = 0;
  std::vector<OpenOrder> orders_;   // consumable
  std::vector<Done> annullable_;    // orders and consumptions
  std::vector<OpenSap> saps_;       // pending or docs requested
  // Practice indexes by kind (BIOCHEM, DENTAL, MEDICAL).
  std::array<std::vector<size_t>, 3> practices_by_kind_;
};

}  // namespace autoriza::bench

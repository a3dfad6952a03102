#pragma once
// The validator's state of one partition: orders, consumptions, audit
// requests (SAPs) and the frequency index, all in memory (hot state) and
// mirrored to the store's state column families by the journal. It changes
// only through apply(event); the validator reads it through const methods.
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/clock.h"
#include "engine/core/command_fields.h"
#include "schemas/events_generated.h"
#include "engine/core/idempotency.h"
#include "engine/core/ids.h"
#include "engine/core/reference.h"
#include "schemas/state_generated.h"

namespace autoriza {

// What apply() touched, so that a commit writes each touched record once.
struct DirtySet {
  std::set<std::string> orders, consumptions, saps, tokens, accounts, shares;
  std::vector<std::pair<std::string, IdempotencyEntry>> idempotency;
  void clear() {
    orders.clear();
    consumptions.clear();
    saps.clear();
    tokens.clear();
    accounts.clear();
    shares.clear();
    idempotency.clear();
  }
};

class PartitionState {
 public:
  PartitionState(PartitionId partition, IdempotencyIndex& idempotency);

  PartitionId partition() const { return partition_; }
  Sequence last_sequence() const { return last_sequence_; }
  const IdempotencyIndex& idempotency() const { return idempotency_; }

  const fb::OrderStateT* order(std::string_view transaction) const;
  const fb::ConsumptionStateT* consumption(std::string_view transaction) const;
  const fb::SapStateT* sap(std::string_view number) const;
  // The SAP opened by an audit-mode authorize transaction.
  const fb::SapStateT* sap_of_transaction(std::string_view transaction) const;
  // Token secret, pre-printed tokens, used steps and failed tries of an affiliate.
  const fb::TokenStateT* tokens(std::string_view credential) const;
  const fb::AccountStateT* account(std::string_view credential) const;
  const fb::ShareStateT* share(std::string_view link_key) const;

  // Whether an authorized or consumed item of a live order of this affiliate,
  // same code and same tooth (or both none), is less than frequency_days old.
  bool frequency_blocks(std::string_view credential, std::string_view code, std::optional<int32_t> tooth,
                        LocalDay today, int32_t frequency_days) const;

  // Folds one event of this partition into state. Needs event.sequence ==
  // last_sequence() + 1. Records every record it changed in dirty.
  void apply(const fb::EventT& event, DirtySet& dirty);

  // Start-up: records read back from the store (no dirty tracking).
  void restore(fb::OrderStateT order);
  void restore(fb::ConsumptionStateT consumption);
  void restore(fb::SapStateT sap);
  void restore(fb::TokenStateT tokens);
  void restore(fb::AccountStateT account);
  void restore(std::string link_key, fb::ShareStateT share);
  void restore_last_sequence(Sequence sequence) { last_sequence_ = sequence; }

 private:
  struct FrequencyEntry {
    std::string code;
    std::optional<int32_t> tooth;
    LocalDay day;
    std::string order;
  };

  void apply_authorization(const fb::EventT& event, DirtySet& dirty);
  void apply_audit_opened(const fb::EventT& event, DirtySet& dirty);
  void apply_audit_decided(const fb::EventT& event, DirtySet& dirty);
  void apply_audit_answered(const fb::EventT& event, DirtySet& dirty);
  // Appends message (its transaction and time: the event's) to the SAP and
  // gives the SAP the event's result status.
  fb::SapStateT& add_sap_message(const fb::EventT& event, const std::string& sap_id,
                                 std::unique_ptr<fb::SapMessageT> message, DirtySet& dirty);
  void apply_login(const fb::EventT& event, DirtySet& dirty);
  void apply_consumption(const fb::EventT& event, DirtySet& dirty);
  void apply_annulment(const fb::EventT& event, DirtySet& dirty);
  void apply_token_material(const fb::EventT& event, const std::string& credential, DirtySet& dirty);
  void apply_token_use(const fb::EventT& event, const std::string& credential, DirtySet& dirty);
  void apply_account(const fb::EventT& event, DirtySet& dirty);
  void apply_share(const fb::EventT& event, DirtySet& dirty);
  void create_order(fb::OrderStateT order, DirtySet& dirty);
  void mark_consumed(fb::OrderStateT& order, const std::vector<int32_t>& items, const std::string& by);
  void index_frequency(const fb::OrderStateT& order);
  void unindex_frequency(const fb::OrderStateT& order);
  void update_emitted(fb::OrderStateT& order, DirtySet& dirty);

  PartitionId partition_;
  IdempotencyIndex& idempotency_;
  Sequence last_sequence_ = 0;
  StringMap<fb::OrderStateT> orders_;
  StringMap<fb::ConsumptionStateT> consumptions_;
  StringMap<fb::SapStateT> saps_;
  StringMap<std::string> sap_by_transaction_;
  StringMap<std::vector<FrequencyEntry>> frequency_;  // by credential
  StringMap<fb::TokenStateT> tokens_;                  // by credential
  StringMap<fb::AccountStateT> accounts_;              // by titular credential
  StringMap<fb::ShareStateT> shares_;                  // by link key
};

// Hex of bytes, for table keys.
std::string hex_of(const std::vector<uint8_t>& bytes);

// Windows of token state: used DYNAMIC steps are kept 24 h, failed tries 15 min.
inline constexpr int64_t kTokenStepSeconds = 60;
inline constexpr int64_t kUsedStepsKept = 24 * 60;
inline constexpr int kLoginFailuresMax = 5;                      // failed sign-ins within the window lock
inline constexpr int64_t kLoginWindowMs = 15 * 60 * 1000;
inline constexpr int64_t kLoginLockMs = 15 * 60 * 1000;
inline constexpr int64_t kDynamicValidMs = 2 * 60 * 1000;       // a dynamic token's validity
inline constexpr int64_t kDynamicKeptMs = 24 * 3600 * 1000;     // given tokens remembered (TOKEN_EXPIRED)
inline constexpr size_t kDynamicIssuesKept = 256;                // and at most this many
inline constexpr int64_t kFailureWindowMs = 15 * 60 * 1000;

// Order item statuses that count as "authorized" for frequency and billing.
inline bool item_is_live(fb::Status s) { return s == fb::Status::AUTHORIZED || s == fb::Status::CONSUMED; }

}  // namespace autoriza

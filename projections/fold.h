#pragma once
// The fold: one event in, the rows it changes out (into a FoldBatch).
// It reads only the event and the projections' own rows (never validator
// state) and derives the same lifecycle the validator does (engine/core/state.cc):
//   order items   AUTHORIZED -> CONSUMED (consumption) -> AUTHORIZED (consumption annulled);
//                 every item -> ANNULLED when its order is annulled
//   orders        AUTHORIZED | EMITTED (all live items consumed) | ANNULLED
//   SAPs          PENDING -> DOCS_REQUESTED | AUTHORIZED | PARTIALLY_AUTHORIZED | REJECTED
//                 -> EMITTED (its order fully consumed, and back) ; any -> ANNULLED
// Events of one order, its consumptions, annulments and SAP all live in one
// stream (the engine routes them by the id), so streams fold independently.
// Nothing here depends on how streams interleave: affiliate names are
// resolved when a query answers, closed periods are applied by time then too.
//
// The fold reads the event in place (a verified FlatBuffers table, no
// object API) and edits records as drafts (models.h); keys are built in
// reused buffers. Per event it allocates only for records new to the batch.
#include <string>
#include <string_view>

#include "projections/models.h"
#include "projections/store.h"

namespace autoriza::projections {

// A record read for editing: its bytes, kept while a draft views them.
struct RecordBuffer {
  std::string bytes;
  std::vector<uint64_t> aligned;  // open_record's copy when bytes are misaligned
};

// What the fold works with: the batch it writes into and the drafts,
// buffers and builder it reuses from event to event. One per fold thread.
struct Fold {
  explicit Fold(FoldBatch& b) : batch(b) {}
  FoldBatch& batch;
  ModelWriter writer;
  OrderDraft order;
  ConsumptionDraft consumption;
  BillingDraft billing;
  SapDraft sap;
  RecordBuffer order_bytes, consumption_bytes, billing_bytes, sap_bytes, other_bytes;
  std::vector<ItemDraft> items;  // history entries' items
  std::string key, other_key;
  std::string text;  // a composed string a draft views ("LAST, FIRST", "auditor:<id>")
};

// Folds one event (verified by the caller). Needs the stream's earlier
// events folded (into the store or the batch). kCorruption when the event
// names a record the fold never saw.
Status fold_event(const fb::Event& event, Fold& f);

// Reads and verifies the record under (cf, key) for editing. kNotFound when absent.
template <typename T>
Status read_record(const FoldBatch& batch, Cf cf, std::string_view key, RecordBuffer* buffer, const char* what,
                   const T** out) {
  if (Status s = batch.get(cf, key, &buffer->bytes); !s) return s;
  return open_record(buffer->bytes, &buffer->aligned, what, out);
}

// ---- keys (layout in store.h) ----------------------------------------------
// The forms with `out` assign *out (the fold reuses one buffer) and return it.
const std::string& order_key(std::string* out, std::string_view transaction);
const std::string& consumption_key(std::string* out, std::string_view transaction);
const std::string& refusal_key(std::string* out, std::string_view transaction);
const std::string& sap_key(std::string* out, std::string_view sap);
const std::string& sap_row_key(std::string* out, std::string_view transaction);
const std::string& affiliate_key(std::string* out, std::string_view credential);
const std::string& family_key(std::string* out, std::string_view titular, std::string_view credential);
const std::string& register_key(std::string* out, std::string_view provider, int64_t time_ms,
                                std::string_view transaction);
const std::string& billing_key(std::string* out, std::string_view provider, int64_t performed_ms,
                               std::string_view consumption);
const std::string& history_key(std::string* out, std::string_view credential, int64_t time_ms, uint16_t stream,
                               uint64_t sequence);
std::string sap_key(std::string_view sap);
std::string affiliate_key(std::string_view credential);
std::string provider_key(std::string_view provider);
std::string family_prefix(std::string_view titular);
std::string register_prefix(std::string_view provider);
std::string billing_prefix(std::string_view provider, std::string_view month);
std::string closed_key(std::string_view provider, std::string_view month);
std::string audit_time_prefix();
std::string audit_provider_prefix(std::string_view provider);
std::string history_prefix(std::string_view credential);
inline constexpr size_t kHistorySuffixBytes = 8 + 2 + 8;
// The name of one row of a register key (one order) in cursors and sort
// keys: the key, \0, u32(item index). Rows of an order follow its key.
std::string register_row_key(std::string_view register_key, int32_t index);

// ---- shared helpers --------------------------------------------------------
// Local month "YYYY-MM" of an instant (billing month, like PERIOD_CLOSED).
void append_month(std::string* out, int64_t ms);
std::string month_of(int64_t ms);

// ---- fold parts (fold_orders.cc, fold_audits.cc, fold_history.cc) ----------
Status fold_authorization(const fb::Event& event, Fold& f);
Status fold_consumption(const fb::Event& event, Fold& f);
Status fold_annulment(const fb::Event& event, Fold& f);
Status fold_audit_opened(const fb::Event& event, Fold& f);
Status fold_audit_decided(const fb::Event& event, Fold& f);
// AUDIT_ANSWERED: the provider's answer joins the messages; the SAP is PENDING again.
Status fold_audit_answered(const fb::Event& event, Fold& f);
Status fold_history(const fb::Event& event, Fold& f);

// f.order := a new order of the event's items (fold_orders.cc).
void new_order(std::string_view transaction, std::string_view provider, std::string_view credential, int64_t time_ms,
               std::string_view channel, std::string_view authorized_by,
               const flatbuffers::Vector<flatbuffers::Offset<fb::ItemResult>>* items, OrderDraft* order);
// Writes f.order under order_key (refusals: refusal_key); index_order adds
// its register keys (once, when the order is created: they never change).
void write_order(Fold& f);
void index_order(Fold& f);
// ANNULLED, EMITTED (items consumed, none left to consume) or AUTHORIZED.
fb::Status order_status(const OrderDraft& order);
// After f.order's items changed: its SAP EMITTED, or back to its verdict.
Status update_sap_emitted(Fold& f);
// f.sap, named by an annulment, falls.
// f.sap falls (and its register row, unless an order superseded it).
Status annul_sap(const AnnulmentDraft& annulment, Fold& f);

}  // namespace autoriza::projections

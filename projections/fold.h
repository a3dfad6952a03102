#pragma once
// The fold: one event in, the rows it changes out (into a FoldBatch).
// It reads only the event and the projections' own rows (never validator
// state) and derives the same lifecycle the validator does (engine/state.cc):
//   order items   AUTHORIZED -> CONSUMED (consumption) -> AUTHORIZED (consumption annulled);
//                 every item -> ANNULLED when its order is annulled
//   orders        AUTHORIZED | EMITTED (all live items consumed) | ANNULLED
//   SAPs          PENDING -> DOCS_REQUESTED | AUTHORIZED | PARTIALLY_AUTHORIZED | REJECTED
//                 -> EMITTED (its order fully consumed, and back) ; any -> ANNULLED
// Events of one order, its consumptions, annulments and SAP all live in one
// stream (the engine routes them by the id), so streams fold independently.
// Nothing here depends on how streams interleave: affiliate names are
// resolved when a query answers, closed periods are applied by time then too.
#include <string>
#include <string_view>

#include "events_generated.h"
#include "store.h"

namespace autoriza::projections {

// Folds one event. Needs the stream's earlier events folded (into the store
// or batch). kCorruption when the event names a record the fold never saw.
Status fold_event(const fb::EventT& event, FoldBatch& batch);

// ---- keys (layout in store.h) ----------------------------------------------
std::string order_key(std::string_view transaction);
std::string consumption_key(std::string_view transaction);
std::string refusal_key(std::string_view transaction);
std::string sap_key(std::string_view sap);
std::string affiliate_key(std::string_view credential);
std::string provider_key(std::string_view provider);
std::string family_prefix(std::string_view titular);
std::string family_key(std::string_view titular, std::string_view credential);
std::string register_prefix(std::string_view provider);
std::string register_key(std::string_view provider, int64_t time_ms, std::string_view transaction, int32_t index);
std::string billing_prefix(std::string_view provider, std::string_view month);
std::string billing_key(std::string_view provider, int64_t performed_ms, std::string_view consumption, int32_t index);
std::string closed_key(std::string_view provider, std::string_view month);
std::string audit_time_prefix();
std::string audit_provider_prefix(std::string_view provider);
std::string history_prefix(std::string_view credential);
std::string history_key(std::string_view credential, int64_t time_ms, uint16_t stream, uint64_t sequence);
inline constexpr size_t kHistorySuffixBytes = 8 + 2 + 8;

// ---- shared helpers --------------------------------------------------------
// Local month "YYYY-MM" of an instant (billing month, like PERIOD_CLOSED).
std::string month_of(int64_t ms);
std::string money(int64_t cents);
std::string status_name(fb::Status status);
// [{code, message}] of reason codes.
Json reasons_json(const std::vector<fb::ReasonCode>& reasons);
// An item of a result as the models keep it (cents as integers).
Json item_model(const fb::ItemResultT& item);
// Professional, expenses, total, copay, covered of an item model, formatted.
void put_amounts(const Json& item, Json& out);

// ---- fold parts (fold_orders.cc, fold_audits.cc, fold_history.cc) ----------
Status fold_authorization(const fb::EventT& event, FoldBatch& batch);
Status fold_consumption(const fb::EventT& event, FoldBatch& batch);
Status fold_annulment(const fb::EventT& event, FoldBatch& batch);
Status fold_audit_opened(const fb::EventT& event, FoldBatch& batch);
Status fold_audit_decided(const fb::EventT& event, FoldBatch& batch);
Status fold_history(const fb::EventT& event, FoldBatch& batch);

// A new order model (fold_orders.cc), its register rows, and the SAP side.
Json new_order(const std::string& transaction, const std::string& provider, const std::string& credential,
               int64_t time_ms, const std::string& channel, const Json& authorized_by,
               const std::vector<std::unique_ptr<fb::ItemResultT>>& items);
// The model under order_key (refusals: refusal_key); index_order adds its
// register keys (once, when the order is created: they never change).
void write_order(const Json& order, FoldBatch& batch);
void index_order(const Json& order, FoldBatch& batch);
// The register row of one item, built from the order model when a query
// answers (query_register.cc), so a consumption rewrites one model, not rows.
Json register_row(const Json& order, const Json& item);
// ANNULLED, EMITTED (items consumed, none left to consume) or AUTHORIZED.
std::string order_status(const Json& order);
// After an order's items changed: SAP EMITTED, or back to its verdict.
Status update_sap_emitted(const Json& order, FoldBatch& batch);
// A SAP named by an annulment.
void annul_sap(Json& sap, const Json& annulment, FoldBatch& batch);

}  // namespace autoriza::projections

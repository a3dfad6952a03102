#pragma once
// The projections' records (schemas/projections.fbs) as the fold edits them.
// A draft holds views into the bytes it was read from and into the event
// being folded; the fold changes it in place and a ModelWriter writes it
// back whole. The bytes written depend on the draft's content only, so the
// same events give the same bytes however they were batched (rebuild ==
// live). Drafts and writers are reused from event to event: once their
// vectors and the builder have grown, folding allocates nothing for them.
//
// Strings: an empty view is written as an absent field and read back empty.
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schemas/events_generated.h"
#include "schemas/projections_generated.h"
#include "engine/records.h"  // verified_root
#include "engine/core/status.h"

namespace autoriza::projections {

namespace fbp = fb::proj;

inline std::string_view as_view(const flatbuffers::String* s) {
  return s ? std::string_view(s->data(), s->size()) : std::string_view();
}

// The verified root of a record, or kCorruption naming what it was.
// storage: where misaligned bytes are copied (RocksDB's need not be aligned).
template <typename T>
Status open_record(std::string_view bytes, std::vector<uint64_t>* storage, const char* what, const T** out) {
  *out = verified_root<T>(bytes, storage);
  if (!*out) return Status::corruption(std::string(what) + ": a record does not verify");
  return Status::ok();
}

struct ItemDraft {
  int32_t index = 0;
  std::string_view code, description, faces;  // faces empty: none
  int32_t qty = 0;
  std::optional<int32_t> tooth;
  fb::Status status = fb::Status::NONE;
  const flatbuffers::Vector<fb::ReasonCode>* reasons = nullptr;  // null: none
  int64_t professional_cents = 0, expenses_cents = 0, total_cents = 0, copay_cents = 0;
  bool authorized = false, pre_authorized = false;
  std::string_view consumption, emitted_by;  // empty: none
  std::optional<int64_t> performed_at_ms;
};
// An item of a result (the event's decision), nothing consumed.
void draft_item(const fb::ItemResult& item, ItemDraft* out);
void draft_item(const fbp::ModelItem& item, ItemDraft* out);

struct AnnulmentDraft {
  std::string_view transaction, provider, reason;
  int64_t time_ms = 0;
};

struct OrderDraft {
  std::string_view transaction, provider, credential, channel;
  std::string_view authorized_by, sap;  // empty: none
  int64_t time_ms = 0;
  std::optional<AnnulmentDraft> annulment;
  std::vector<std::string_view> consumptions;
  std::vector<ItemDraft> items;
  fb::Status status = fb::Status::AUTHORIZED;
  bool audit_request = false;      // an audit request's row (saprow/), not an order
  std::string_view issued_order;   // audit_request: the order its verdict issued
  ItemDraft* find_item(int32_t index);
};
void draft_order(const fbp::OrderModel& order, OrderDraft* out);

struct ConsumptionDraft {
  std::string_view transaction, order, provider, credential;
  int64_t time_ms = 0, performed_at_ms = 0;
  std::vector<int32_t> items;
  bool annulled = false;
  fb::ConsumedPart part = fb::ConsumedPart::ALL;
};
void draft_consumption(const fbp::ConsumptionModel& consumption, ConsumptionDraft* out);

struct BillingDraft {
  std::string_view order, consumption, credential, annulment;
  int64_t performed_at_ms = 0, recorded_ms = 0;
  std::optional<int64_t> annulled_ms;
  std::vector<ItemDraft> items;  // by index
};
void draft_billing(const fbp::BillingRecord& billing, BillingDraft* out);

struct MessageDraft {
  std::string_view transaction, auditor, message;
  int64_t time_ms = 0;
  fb::Verdict verdict = fb::Verdict::AUTHORIZE;
  std::string_view provider;               // set: the provider's answer, not a verdict
  std::vector<std::string_view> documents;
};

struct SapDraft {
  std::string_view sap, transaction, provider, credential, diagnosis, note, channel;
  std::string_view order;  // empty: none
  int64_t time_ms = 0;
  fb::Status status = fb::Status::PENDING;
  std::optional<int32_t> prescribed_on_day;
  std::optional<fb::PrescriberKind> prescriber_kind;  // none: no prescriber
  std::string_view prescriber_license;
  std::vector<ItemDraft> items;
  std::vector<MessageDraft> messages;
  std::optional<AnnulmentDraft> annulment;
  fb::DiagnosisType diagnosis_type = fb::DiagnosisType::NONE;
  std::string_view diagnosis_text;
  std::vector<std::string_view> documents;
};
void draft_sap(const fbp::SapRecord& sap, SapDraft* out);

// Writes records into one reused builder. A returned view is the record's
// bytes, valid until the writer's next call.
class ModelWriter {
 public:
  std::string_view order(const OrderDraft& order);
  std::string_view consumption(const ConsumptionDraft& consumption);
  std::string_view billing(const BillingDraft& billing);
  std::string_view sap(const SapDraft& sap);
  std::string_view affiliate_name(std::string_view name, std::string_view titular);
  std::string_view provider_name(std::string_view name, fb::ProviderKind kind);
  std::string_view closed_month(int64_t closed_at_ms, uint64_t reference_sequence);

  // For records built elsewhere (history): a cleared builder, its pieces,
  // then finished().
  flatbuffers::FlatBufferBuilder& start();
  flatbuffers::Offset<flatbuffers::String> string(std::string_view s);  // 0 (absent) when empty
  // 0 (absent) when empty.
  flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>> strings(
      const std::vector<std::string_view>& list);
  // A copy of a vector of strings (an event's); 0 (absent) when null.
  flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>> strings(
      const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* from);
  // The items, in order, as one vector.
  flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<fbp::ModelItem>>> items(
      const std::vector<ItemDraft>& items);
  template <typename T>
  std::string_view finished(flatbuffers::Offset<T> root) {
    b_.Finish(root);
    return std::string_view(reinterpret_cast<const char*>(b_.GetBufferPointer()), b_.GetSize());
  }

 private:
  flatbuffers::Offset<fbp::ModelItem> item(const ItemDraft& item);
  flatbuffers::Offset<fbp::Annulment> annulment(const std::optional<AnnulmentDraft>& a);

  flatbuffers::FlatBufferBuilder b_{1024};
  std::vector<flatbuffers::Offset<fbp::ModelItem>> item_offsets_;
  std::vector<flatbuffers::Offset<flatbuffers::String>> string_offsets_;
  std::vector<flatbuffers::Offset<fbp::AuditMessage>> message_offsets_;
};

}  // namespace autoriza::projections

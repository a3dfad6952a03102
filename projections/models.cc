#include "projections/models.h"

namespace autoriza::projections {

namespace {

const flatbuffers::Vector<fb::ReasonCode>* nonempty(const flatbuffers::Vector<fb::ReasonCode>* v) {
  return v && v->size() > 0 ? v : nullptr;
}

std::optional<int32_t> optional_int(flatbuffers::Optional<int32_t> v) {
  return v ? std::optional<int32_t>(*v) : std::nullopt;
}

std::optional<int64_t> optional_long(flatbuffers::Optional<int64_t> v) {
  return v ? std::optional<int64_t>(*v) : std::nullopt;
}

flatbuffers::Optional<int32_t> fb_optional(const std::optional<int32_t>& v) {
  return v ? flatbuffers::Optional<int32_t>(*v) : flatbuffers::nullopt;
}

flatbuffers::Optional<int64_t> fb_optional(const std::optional<int64_t>& v) {
  return v ? flatbuffers::Optional<int64_t>(*v) : flatbuffers::nullopt;
}

std::optional<AnnulmentDraft> draft_annulment(const fbp::Annulment* a) {
  if (!a) return std::nullopt;
  return AnnulmentDraft{as_view(a->transaction()), as_view(a->provider()), as_view(a->reason()), a->time_ms()};
}

template <typename Table>
void draft_items(const flatbuffers::Vector<flatbuffers::Offset<Table>>* items, std::vector<ItemDraft>* out) {
  out->clear();
  if (!items) return;
  out->resize(items->size());
  for (flatbuffers::uoffset_t i = 0; i < items->size(); ++i) draft_item(*items->Get(i), &(*out)[i]);
}

// The fields an answer's item (fb::ItemResult) and a stored model item
// (fbp::ModelItem) share.
template <class Item>
void draft_item_fields(const Item& item, ItemDraft* out) {
  out->index = item.index();
  out->code = as_view(item.code());
  out->description = as_view(item.description());
  out->faces = as_view(item.faces());
  out->qty = item.qty();
  out->tooth = optional_int(item.tooth());
  out->status = item.status();
  out->reasons = nonempty(item.reasons());
  out->professional_cents = item.professional_cents();
  out->expenses_cents = item.expenses_cents();
  out->total_cents = item.total_cents();
  out->copay_cents = item.copay_cents();
}

}  // namespace

void draft_item(const fb::ItemResult& item, ItemDraft* out) {
  *out = ItemDraft{};
  draft_item_fields(item, out);
}

void draft_item(const fbp::ModelItem& item, ItemDraft* out) {
  draft_item_fields(item, out);
  out->authorized = item.authorized();
  out->pre_authorized = item.pre_authorized();
  out->consumption = as_view(item.consumption());
  out->emitted_by = as_view(item.emitted_by());
  out->performed_at_ms = optional_long(item.performed_at_ms());
}

ItemDraft* OrderDraft::find_item(int32_t index) {
  for (ItemDraft& item : items) {
    if (item.index == index) return &item;
  }
  return nullptr;
}

void draft_order(const fbp::OrderModel& o, OrderDraft* out) {
  out->transaction = as_view(o.transaction());
  out->provider = as_view(o.provider());
  out->credential = as_view(o.credential());
  out->channel = as_view(o.channel());
  out->authorized_by = as_view(o.authorized_by());
  out->sap = as_view(o.sap());
  out->time_ms = o.time_ms();
  out->annulment = draft_annulment(o.annulment());
  out->consumptions.clear();
  if (o.consumptions()) {
    for (const flatbuffers::String* c : *o.consumptions()) out->consumptions.push_back(as_view(c));
  }
  draft_items(o.items(), &out->items);
  out->status = o.status();
  out->audit_request = o.audit_request();
  out->issued_order = as_view(o.issued_order());
}

void draft_consumption(const fbp::ConsumptionModel& c, ConsumptionDraft* out) {
  out->transaction = as_view(c.transaction());
  out->order = as_view(c.order());
  out->provider = as_view(c.provider());
  out->credential = as_view(c.credential());
  out->time_ms = c.time_ms();
  out->performed_at_ms = c.performed_at_ms();
  out->items.clear();
  if (c.items()) out->items.assign(c.items()->begin(), c.items()->end());
  out->annulled = c.annulled();
  out->part = c.part();
}

void draft_billing(const fbp::BillingRecord& b, BillingDraft* out) {
  out->order = as_view(b.order());
  out->consumption = as_view(b.consumption());
  out->credential = as_view(b.credential());
  out->annulment = as_view(b.annulment());
  out->performed_at_ms = b.performed_at_ms();
  out->recorded_ms = b.recorded_ms();
  out->annulled_ms = optional_long(b.annulled_ms());
  draft_items(b.items(), &out->items);
}

namespace {

std::vector<std::string_view> strings_of(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v) {
  std::vector<std::string_view> out;
  if (v) {
    for (const flatbuffers::String* s : *v) out.push_back(as_view(s));
  }
  return out;
}

}  // namespace

void draft_sap(const fbp::SapRecord& s, SapDraft* out) {
  out->sap = as_view(s.sap());
  out->transaction = as_view(s.transaction());
  out->provider = as_view(s.provider());
  out->credential = as_view(s.credential());
  out->diagnosis = as_view(s.diagnosis());
  out->note = as_view(s.note());
  out->channel = as_view(s.channel());
  out->order = as_view(s.order());
  out->time_ms = s.time_ms();
  out->status = s.status();
  out->prescribed_on_day = optional_int(s.prescribed_on_day());
  out->prescriber_kind = s.prescriber() ? std::optional<fb::PrescriberKind>(s.prescriber()->kind()) : std::nullopt;
  out->prescriber_license = s.prescriber() ? as_view(s.prescriber()->license()) : std::string_view();
  draft_items(s.items(), &out->items);
  out->messages.clear();
  if (s.messages()) {
    for (const fbp::AuditMessage* m : *s.messages()) {
      out->messages.push_back({as_view(m->transaction()), as_view(m->auditor()), as_view(m->message()), m->time_ms(),
                               m->verdict(), as_view(m->provider()), strings_of(m->documents())});
    }
  }
  out->annulment = draft_annulment(s.annulment());
  out->diagnosis_type = s.diagnosis_type();
  out->diagnosis_text = as_view(s.diagnosis_text());
  out->documents = strings_of(s.documents());
}

// ---- writing ----------------------------------------------------------------

flatbuffers::FlatBufferBuilder& ModelWriter::start() {
  b_.Clear();
  return b_;
}

flatbuffers::Offset<flatbuffers::String> ModelWriter::string(std::string_view s) {
  return s.empty() ? 0 : b_.CreateString(s.data(), s.size());
}

flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>> ModelWriter::strings(
    const std::vector<std::string_view>& list) {
  if (list.empty()) return 0;
  std::vector<flatbuffers::Offset<flatbuffers::String>> offsets;
  offsets.reserve(list.size());
  for (std::string_view s : list) offsets.push_back(b_.CreateString(s.data(), s.size()));
  return b_.CreateVector(offsets);
}

flatbuffers::Offset<fbp::ModelItem> ModelWriter::item(const ItemDraft& d) {
  const auto code = string(d.code);
  const auto description = string(d.description);
  const auto faces = string(d.faces);
  const auto reasons = d.reasons ? b_.CreateVector(d.reasons->data(), d.reasons->size()) : 0;
  const auto consumption = string(d.consumption);
  const auto emitted_by = string(d.emitted_by);
  return fbp::CreateModelItem(b_, d.index, code, description, d.qty, fb_optional(d.tooth), faces, d.status, reasons,
                              d.professional_cents, d.expenses_cents, d.total_cents, d.copay_cents, d.authorized,
                              d.pre_authorized, consumption, fb_optional(d.performed_at_ms), emitted_by);
}

flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>> ModelWriter::strings(
    const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* from) {
  if (!from) return 0;
  string_offsets_.clear();
  for (const flatbuffers::String* s : *from) string_offsets_.push_back(b_.CreateString(s));
  return b_.CreateVector(string_offsets_);
}

flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<fbp::ModelItem>>> ModelWriter::items(
    const std::vector<ItemDraft>& items) {
  item_offsets_.clear();
  for (const ItemDraft& d : items) item_offsets_.push_back(item(d));
  return b_.CreateVector(item_offsets_);
}

flatbuffers::Offset<fbp::Annulment> ModelWriter::annulment(const std::optional<AnnulmentDraft>& a) {
  if (!a) return 0;
  const auto transaction = string(a->transaction);
  const auto provider = string(a->provider);
  const auto reason = string(a->reason);
  return fbp::CreateAnnulment(b_, transaction, provider, reason, a->time_ms);
}

std::string_view ModelWriter::order(const OrderDraft& d) {
  start();
  const auto transaction = string(d.transaction);
  const auto provider = string(d.provider);
  const auto credential = string(d.credential);
  const auto channel = string(d.channel);
  const auto authorized_by = string(d.authorized_by);
  const auto sap = string(d.sap);
  const auto annulled = annulment(d.annulment);
  string_offsets_.clear();
  for (std::string_view c : d.consumptions) string_offsets_.push_back(string(c));
  const auto consumptions = b_.CreateVector(string_offsets_);
  const auto item_vector = items(d.items);
  const auto issued_order = string(d.issued_order);
  return finished(fbp::CreateOrderModel(b_, transaction, provider, credential, d.time_ms, channel, authorized_by, sap,
                                        annulled, consumptions, item_vector, d.status, d.audit_request, issued_order));
}

std::string_view ModelWriter::consumption(const ConsumptionDraft& d) {
  start();
  const auto transaction = string(d.transaction);
  const auto order = string(d.order);
  const auto provider = string(d.provider);
  const auto credential = string(d.credential);
  const auto item_indexes = b_.CreateVector(d.items);
  return finished(fbp::CreateConsumptionModel(b_, transaction, order, provider, credential, d.time_ms,
                                              d.performed_at_ms, item_indexes, d.annulled, d.part));
}

std::string_view ModelWriter::billing(const BillingDraft& d) {
  start();
  const auto order = string(d.order);
  const auto consumption = string(d.consumption);
  const auto credential = string(d.credential);
  const auto annulment = string(d.annulment);
  const auto billed = items(d.items);
  return finished(fbp::CreateBillingRecord(b_, order, consumption, d.performed_at_ms, d.recorded_ms, credential,
                                           fb_optional(d.annulled_ms), annulment, billed));
}

std::string_view ModelWriter::sap(const SapDraft& d) {
  start();
  const auto sap = string(d.sap);
  const auto transaction = string(d.transaction);
  const auto provider = string(d.provider);
  const auto credential = string(d.credential);
  const auto diagnosis = string(d.diagnosis);
  const auto note = string(d.note);
  flatbuffers::Offset<fb::PrescriberRef> prescriber = 0;
  if (d.prescriber_kind) {
    const auto license = string(d.prescriber_license);
    prescriber = fb::CreatePrescriberRef(b_, *d.prescriber_kind, license);
  }
  const auto channel = string(d.channel);
  const auto item_vector = items(d.items);
  const auto order = string(d.order);
  message_offsets_.clear();
  for (const MessageDraft& m : d.messages) {
    const auto transaction_of = string(m.transaction);
    const auto auditor = string(m.auditor);
    const auto message = string(m.message);
    const auto answered_by = string(m.provider);
    const auto attached = strings(m.documents);
    message_offsets_.push_back(
        fbp::CreateAuditMessage(b_, transaction_of, m.time_ms, auditor, m.verdict, message, answered_by, attached));
  }
  const auto messages = b_.CreateVector(message_offsets_);
  const auto annulled = annulment(d.annulment);
  const auto diagnosis_text = string(d.diagnosis_text);
  const auto documents = strings(d.documents);
  return finished(fbp::CreateSapRecord(b_, sap, transaction, provider, credential, d.time_ms, d.status, diagnosis,
                                       note, fb_optional(d.prescribed_on_day), prescriber, channel, item_vector, order,
                                       messages, annulled, d.diagnosis_type, diagnosis_text, documents));
}

std::string_view ModelWriter::affiliate_name(std::string_view name, std::string_view titular) {
  start();
  const auto n = string(name);
  const auto t = string(titular);
  return finished(fbp::CreateAffiliateName(b_, n, t));
}

std::string_view ModelWriter::provider_name(std::string_view name, fb::ProviderKind kind) {
  start();
  const auto n = string(name);
  return finished(fbp::CreateProviderName(b_, n, kind));
}

std::string_view ModelWriter::closed_month(int64_t closed_at_ms, uint64_t reference_sequence) {
  start();
  return finished(fbp::CreateClosedMonth(b_, closed_at_ms, reference_sequence));
}

}  // namespace autoriza::projections

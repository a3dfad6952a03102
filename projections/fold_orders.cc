// Orders and consumptions: the order model, its register rows and the
// billing items of its consumptions.
//
// Register rows (one per item) are created by AUTHORIZATION_DECIDED and by
// AUDIT_DECIDED when the verdict issues an order. A refused authorization
// (no order: request-level refusal, nothing authorized, or a refused audit
// request) is also listed, its items with status REJECTED (or NEEDS_AUDIT),
// because a provider's register shows what was asked and refused too.
#include <algorithm>

#include "engine/core/money.h"
#include "engine/core/rules.h"
#include "projections/fold.h"

namespace autoriza::projections {

namespace {

const std::string& model_key(std::string* out, const OrderDraft& order) {
  if (order.audit_request) return sap_row_key(out, order.transaction);
  return order.status == fb::Status::REJECTED ? refusal_key(out, order.transaction)
                                              : order_key(out, order.transaction);
}

const std::string& billing_key_of(std::string* out, const ConsumptionDraft& c) {
  return billing_key(out, c.provider, c.performed_at_ms, c.transaction);
}

void put_consumption(Fold& f) {
  f.batch.put(Cf::kOrders, consumption_key(&f.key, f.consumption.transaction), f.writer.consumption(f.consumption));
}

// What a billing item keeps of the order's item: what it shows and sums
// (of the part consumed: docs/rules.md §10, "solo honorarios" / "solo gastos").
void billed_item(const ItemDraft& item, fb::ConsumedPart part, ItemDraft* out) {
  *out = ItemDraft{};
  out->index = item.index;
  out->code = item.code;
  out->description = item.description;
  out->faces = item.faces;
  out->qty = item.qty;
  out->tooth = item.tooth;
  bill_part(item, part, out);
}

// Marks f.consumption's items of f.order CONSUMED and bills them (one
// billing record, its items by index).
Status consume_items(Fold& f) {
  const ConsumptionDraft& c = f.consumption;
  BillingDraft& b = f.billing;
  b.order = f.order.transaction;
  b.consumption = c.transaction;
  b.credential = f.order.credential;
  b.annulment = {};
  b.performed_at_ms = c.performed_at_ms;
  b.recorded_ms = c.time_ms;
  b.annulled_ms.reset();
  b.items.resize(c.items.size());
  for (size_t i = 0; i < c.items.size(); ++i) {
    ItemDraft* item = f.order.find_item(c.items[i]);
    if (!item) return Status::corruption("consumption " + std::string(c.transaction) + " names no item of its order");
    item->status = fb::Status::CONSUMED;
    item->consumption = c.transaction;
    item->performed_at_ms = c.performed_at_ms;
    item->emitted_by = c.provider;
    billed_item(*item, c.part, &b.items[i]);
  }
  // By index, once each (as the register lists them).
  std::sort(b.items.begin(), b.items.end(), [](const ItemDraft& x, const ItemDraft& y) { return x.index < y.index; });
  b.items.erase(std::unique(b.items.begin(), b.items.end(),
                            [](const ItemDraft& x, const ItemDraft& y) { return x.index == y.index; }),
                b.items.end());
  f.batch.put(Cf::kBilling, billing_key_of(&f.key, c), f.writer.billing(b));
  return Status::ok();
}

// f.consumption falls: its billing record stays, marked with the annulment
// (a closed month keeps what it had when it was closed, see query_billing.cc).
Status annul_consumption_record(const AnnulmentDraft& annulment, Fold& f) {
  f.consumption.annulled = true;
  const fbp::BillingRecord* stored = nullptr;
  billing_key_of(&f.other_key, f.consumption);
  if (Status s = read_record(f.batch, Cf::kBilling, f.other_key, &f.billing_bytes, "billing", &stored); !s) return s;
  draft_billing(*stored, &f.billing);
  f.billing.annulled_ms = annulment.time_ms;
  f.billing.annulment = annulment.transaction;
  f.batch.put(Cf::kBilling, f.other_key, f.writer.billing(f.billing));
  put_consumption(f);
  return Status::ok();
}

// Reads the consumption under consumption_key(transaction) into f.consumption.
Status read_consumption(std::string_view transaction, Fold& f) {
  const fbp::ConsumptionModel* stored = nullptr;
  Status s = read_record(f.batch, Cf::kOrders, consumption_key(&f.key, transaction), &f.consumption_bytes,
                         "consumption", &stored);
  if (s) draft_consumption(*stored, &f.consumption);
  return s;
}

// Reads the order under order_key(transaction) into f.order.
Status read_order(std::string_view transaction, Fold& f) {
  const fbp::OrderModel* stored = nullptr;
  Status s = read_record(f.batch, Cf::kOrders, order_key(&f.key, transaction), &f.order_bytes, "order", &stored);
  if (s) draft_order(*stored, &f.order);
  return s;
}

// f.order falls with every consumption still standing.
Status annul_order(const AnnulmentDraft& annulment, Fold& f) {
  f.order.annulment = annulment;
  for (ItemDraft& item : f.order.items) item.status = fb::Status::ANNULLED;
  for (std::string_view c : f.order.consumptions) {
    if (Status s = read_consumption(c, f); !s) return s;
    if (f.consumption.annulled) continue;
    if (Status s = annul_consumption_record(annulment, f); !s) return s;
  }
  f.order.status = order_status(f.order);
  write_order(f);
  return Status::ok();
}

// f.consumption falls; its order's items can be consumed again.
Status annul_consumption(const AnnulmentDraft& annulment, Fold& f) {
  // Listed after its order in the same annulment: it already fell with it.
  if (f.consumption.annulled) return Status::ok();
  if (Status s = annul_consumption_record(annulment, f); !s) return s;
  if (Status s = read_order(f.consumption.order, f); !s) return s;
  if (f.order.status == fb::Status::ANNULLED) return Status::ok();
  for (int32_t index : f.consumption.items) {
    ItemDraft* item = f.order.find_item(index);
    AUTORIZA_CHECK(item != nullptr);
    item->status = fb::Status::AUTHORIZED;
    item->consumption = {};
    item->performed_at_ms.reset();
    item->emitted_by = {};
  }
  f.order.status = order_status(f.order);
  write_order(f);
  return update_sap_emitted(f);
}

void new_consumption(std::string_view transaction, std::string_view order, std::string_view provider,
                     std::string_view credential, int64_t time_ms, int64_t performed_ms, ConsumptionDraft* out) {
  out->transaction = transaction;
  out->order = order;
  out->provider = provider;
  out->credential = credential;
  out->time_ms = time_ms;
  out->performed_at_ms = performed_ms;
  out->items.clear();
  out->annulled = false;
  out->part = fb::ConsumedPart::ALL;
}

}  // namespace

fb::Status order_status(const OrderDraft& order) {
  if (order.annulment) return fb::Status::ANNULLED;
  bool authorized = false;
  bool consumed = false;
  for (const ItemDraft& item : order.items) {
    authorized |= item.status == fb::Status::AUTHORIZED;
    consumed |= item.status == fb::Status::CONSUMED;
  }
  return consumed && !authorized ? fb::Status::EMITTED : fb::Status::AUTHORIZED;
}

void new_order(std::string_view transaction, std::string_view provider, std::string_view credential, int64_t time_ms,
               std::string_view channel, std::string_view authorized_by,
               const flatbuffers::Vector<flatbuffers::Offset<fb::ItemResult>>* items, OrderDraft* order) {
  AUTORIZA_CHECK(!transaction.empty());
  order->transaction = transaction;
  order->provider = provider;
  order->credential = credential;
  order->time_ms = time_ms;
  order->channel = channel;
  order->authorized_by = authorized_by;
  order->sap = {};
  order->audit_request = false;
  order->issued_order = {};
  order->annulment.reset();
  order->consumptions.clear();
  order->items.clear();
  order->status = fb::Status::AUTHORIZED;
  if (!items) return;
  order->items.resize(items->size());
  for (flatbuffers::uoffset_t i = 0; i < items->size(); ++i) {
    ItemDraft& d = order->items[i];
    draft_item(*items->Get(i), &d);
    d.authorized = d.status == fb::Status::AUTHORIZED || d.status == fb::Status::CONSUMED;
  }
}

void write_order(Fold& f) {
  f.batch.put(Cf::kOrders, model_key(&f.key, f.order), f.writer.order(f.order));
}

void index_order(Fold& f) {
  if (f.order.items.empty()) return;  // no row to show
  model_key(&f.other_key, f.order);
  f.batch.append(Cf::kRegister, register_key(&f.key, f.order.provider, f.order.time_ms, f.order.transaction),
                 f.other_key);
}

Status fold_authorization(const fb::Event& event, Fold& f) {
  const fb::Result* r = event.result();
  const fb::AuthorizeCmd* cmd = event.command_as_AuthorizeCmd();
  if (!r || !cmd) return Status::corruption("an authorization event lacks its command or result");
  if (as_view(r->transaction()).empty()) return Status::ok();  // validate mode: never recorded
  const bool refused = as_view(r->order()).empty();
  new_order(refused ? as_view(r->transaction()) : as_view(r->order()), as_view(cmd->provider()), as_view(cmd->credential()),
            event.command_time_ms(), as_view(event.channel()), refused ? std::string_view() : "AUTOMATIC", r->items(),
            &f.order);
  if (refused) {
    f.order.status = fb::Status::REJECTED;
    write_order(f);
    index_order(f);
    return Status::ok();
  }
  if (cmd->consume_now()) {
    // Consumed at the counter: a consumption with the order's own id.
    new_consumption(as_view(r->transaction()), as_view(r->order()), as_view(cmd->provider()), as_view(cmd->credential()),
                    event.command_time_ms(), event.command_time_ms(), &f.consumption);
    if (r->items()) {
      for (const fb::ItemResult* item : *r->items()) {
        if (item->status() == fb::Status::CONSUMED) f.consumption.items.push_back(item->index());
      }
    }
    if (!f.consumption.items.empty()) {
      if (Status s = consume_items(f); !s) return s;
      f.order.consumptions.push_back(f.consumption.transaction);
      put_consumption(f);
    }
  }
  f.order.status = order_status(f.order);
  write_order(f);
  index_order(f);
  return Status::ok();
}

Status fold_consumption(const fb::Event& event, Fold& f) {
  const fb::Result* r = event.result();
  const fb::ConsumeCmd* cmd = event.command_as_ConsumeCmd();
  if (!r || !cmd) return Status::corruption("a consumption event lacks its command or result");
  if (r->status() != fb::Status::ACCEPTED) return Status::ok();  // refused: only history shows it
  const std::string_view order = as_view(cmd->order());
  if (Status s = read_order(order, f); !s) {
    return s.kind() == StatusKind::kNotFound ? Status::corruption("consumption of unknown order " + std::string(order))
                                             : s;
  }
  const int64_t performed_ms = cmd->performed_at_ms() ? *cmd->performed_at_ms() : event.command_time_ms();
  new_consumption(as_view(r->transaction()), order, as_view(cmd->provider()), as_view(cmd->credential()),
                  event.command_time_ms(), performed_ms, &f.consumption);
  if (cmd->items()) f.consumption.items.assign(cmd->items()->begin(), cmd->items()->end());
  f.consumption.part = cmd->part();
  if (Status s = consume_items(f); !s) return s;
  f.order.consumptions.push_back(f.consumption.transaction);
  f.order.status = order_status(f.order);
  write_order(f);
  put_consumption(f);
  return update_sap_emitted(f);
}

Status fold_annulment(const fb::Event& event, Fold& f) {
  const fb::Result* r = event.result();
  const fb::AnnulCmd* cmd = event.command_as_AnnulCmd();
  if (!r || !cmd) return Status::corruption("an annulment event lacks its command or result");
  if (r->status() != fb::Status::ANNULLED) return Status::ok();
  const AnnulmentDraft annulment{as_view(r->transaction()), as_view(cmd->provider()), as_view(cmd->reason()),
                                 event.command_time_ms()};
  if (!event.annulled()) return Status::ok();
  // The target first, then what fell with it (engine/core/decide_consume.cc).
  for (const flatbuffers::String* annulled : *event.annulled()) {
    const std::string_view id = as_view(annulled);
    const fbp::SapRecord* sap = nullptr;
    Status s = read_record(f.batch, Cf::kAudits, sap_key(&f.key, id), &f.sap_bytes, "audits", &sap);
    if (s) {
      draft_sap(*sap, &f.sap);
      if (Status a = annul_sap(annulment, f); !a) return a;
      continue;
    }
    if (s.kind() != StatusKind::kNotFound) return s;
    s = read_order(id, f);
    if (s) {
      if (s = annul_order(annulment, f); !s) return s;
      continue;
    }
    if (s.kind() != StatusKind::kNotFound) return s;
    s = read_consumption(id, f);
    if (s) {
      if (s = annul_consumption(annulment, f); !s) return s;
      continue;
    }
    if (s.kind() != StatusKind::kNotFound) return s;
    return Status::corruption("annulment " + std::string(annulment.transaction) + " names unknown record " +
                              std::string(id));
  }
  return Status::ok();
}

}  // namespace autoriza::projections

// Orders and consumptions: the order model, its register rows and the
// billing items of its consumptions.
//
// Register rows (one per item) are created by AUTHORIZATION_DECIDED and by
// AUDIT_DECIDED when the verdict issues an order. A refused authorization
// (no order: request-level refusal, nothing authorized, or a refused audit
// request) is also listed, its items with status REJECTED (or NEEDS_AUDIT),
// because a provider's register shows what was asked and refused too.
#include "clock.h"
#include "fold.h"

namespace autoriza::projections {

namespace {

Json* find_item(Json& order, int64_t index) {
  for (Json& item : order["items"]) {
    if (item["index"].get<int64_t>() == index) return &item;
  }
  return nullptr;
}

Json billing_item(const Json& order, const Json& item, const Json& consumption) {
  Json b = {{"order", order["transaction"]},
            {"consumption", consumption["transaction"]},
            {"index", item["index"]},
            {"performed_at_ms", consumption["performed_at_ms"]},
            {"recorded_ms", consumption["time_ms"]},
            {"credential", order["credential"]},
            {"annulled_ms", nullptr},
            {"annulment", nullptr}};
  for (const char* field : {"code", "description", "qty", "tooth", "faces", "professional_cents", "expenses_cents",
                            "total_cents", "copay_cents"}) {
    b[field] = item[field];
  }
  return b;
}

std::string billing_key_of(const Json& consumption, int64_t index) {
  return billing_key(consumption["provider"].get<std::string>(), consumption["performed_at_ms"].get<int64_t>(),
                     consumption["transaction"].get<std::string>(), int32_t(index));
}

// Marks the consumption's items CONSUMED and bills them.
Status consume_items(Json& order, const Json& consumption, FoldBatch& batch) {
  for (const Json& index : consumption["items"]) {
    Json* item = find_item(order, index.get<int64_t>());
    if (!item)
      return Status::corruption("consumption " + consumption["transaction"].get<std::string>() +
                                " names no item of its order");
    (*item)["status"] = "CONSUMED";
    (*item)["consumption"] = consumption["transaction"];
    (*item)["performed_at_ms"] = consumption["performed_at_ms"];
    (*item)["emitted_by"] = consumption["provider"];
    batch.put_json(Cf::kBilling, billing_key_of(consumption, index.get<int64_t>()),
                   billing_item(order, *item, consumption));
  }
  return Status::ok();
}

// The consumption falls: its billing items stay, marked with the annulment
// (a closed month keeps what it had when it was closed, see billing.cc).
Status annul_consumption_record(Json& consumption, const Json& annulment, FoldBatch& batch) {
  consumption["annulled"] = true;
  for (const Json& index : consumption["items"]) {
    const std::string key = billing_key_of(consumption, index.get<int64_t>());
    Json item;
    if (Status s = batch.get_json(Cf::kBilling, key, &item); !s) return s;
    item["annulled_ms"] = annulment["time_ms"];
    item["annulment"] = annulment["transaction"];
    batch.put_json(Cf::kBilling, key, item);
  }
  batch.put_json(Cf::kOrders, consumption_key(consumption["transaction"].get<std::string>()), consumption);
  return Status::ok();
}

Status annul_order(Json& order, const Json& annulment, FoldBatch& batch) {
  order["annulment"] = annulment;
  for (Json& item : order["items"]) item["status"] = "ANNULLED";
  for (const Json& c : order["consumptions"]) {
    Json consumption;
    if (Status s = batch.get_json(Cf::kOrders, consumption_key(c.get<std::string>()), &consumption); !s) return s;
    if (consumption["annulled"].get<bool>()) continue;
    if (Status s = annul_consumption_record(consumption, annulment, batch); !s) return s;
  }
  order["status"] = order_status(order);
  write_order(order, batch);
  return Status::ok();
}

Status annul_consumption(Json& consumption, const Json& annulment, FoldBatch& batch) {
  // Listed after its order in the same annulment: it already fell with it.
  if (consumption["annulled"].get<bool>()) return Status::ok();
  if (Status s = annul_consumption_record(consumption, annulment, batch); !s) return s;
  Json order;
  if (Status s = batch.get_json(Cf::kOrders, order_key(consumption["order"].get<std::string>()), &order); !s) return s;
  if (order["status"] == "ANNULLED") return Status::ok();
  for (const Json& index : consumption["items"]) {
    Json* item = find_item(order, index.get<int64_t>());
    AUTORIZA_CHECK(item != nullptr);
    (*item)["status"] = "AUTHORIZED";
    (*item)["consumption"] = nullptr;
    (*item)["performed_at_ms"] = nullptr;
    (*item)["emitted_by"] = nullptr;
  }
  order["status"] = order_status(order);
  write_order(order, batch);
  return update_sap_emitted(order, batch);
}

Json new_consumption(const std::string& transaction, const std::string& order, const std::string& provider,
                     const std::string& credential, int64_t time_ms, int64_t performed_ms) {
  return Json{{"transaction", transaction}, {"order", order},     {"provider", provider},
              {"credential", credential},   {"time_ms", time_ms}, {"performed_at_ms", performed_ms},
              {"items", Json::array()},     {"annulled", false}};
}

}  // namespace

std::string order_status(const Json& order) {
  if (!order["annulment"].is_null()) return "ANNULLED";
  bool authorized = false;
  bool consumed = false;
  for (const Json& item : order["items"]) {
    authorized |= item["status"] == "AUTHORIZED";
    consumed |= item["status"] == "CONSUMED";
  }
  return consumed && !authorized ? "EMITTED" : "AUTHORIZED";
}

Json new_order(const std::string& transaction, const std::string& provider, const std::string& credential,
               int64_t time_ms, const std::string& channel, const Json& authorized_by,
               const std::vector<std::unique_ptr<fb::ItemResultT>>& items) {
  AUTORIZA_CHECK(!transaction.empty());
  Json order = {{"transaction", transaction},
                {"provider", provider},
                {"credential", credential},
                {"time_ms", time_ms},
                {"channel", channel},
                {"authorized_by", authorized_by},
                {"sap", nullptr},
                {"annulment", nullptr},
                {"consumptions", Json::array()},
                {"items", Json::array()},
                {"status", "AUTHORIZED"}};
  for (const auto& item : items) {
    Json m = item_model(*item);
    m["authorized"] = item->status == fb::Status::AUTHORIZED || item->status == fb::Status::CONSUMED;
    m["consumption"] = nullptr;
    m["performed_at_ms"] = nullptr;
    m["emitted_by"] = nullptr;
    order["items"].push_back(std::move(m));
  }
  return order;
}

std::string model_key(const Json& order) {
  const std::string tx = order["transaction"].get<std::string>();
  return order["status"] == "REJECTED" ? refusal_key(tx) : order_key(tx);
}

void write_order(const Json& order, FoldBatch& batch) {
  batch.put_json(Cf::kOrders, model_key(order), order);
}

void index_order(const Json& order, FoldBatch& batch) {
  const std::string tx = order["transaction"].get<std::string>();
  const std::string provider = order["provider"].get<std::string>();
  const int64_t time_ms = order["time_ms"].get<int64_t>();
  const std::string model = model_key(order);
  for (const Json& item : order["items"]) {
    batch.put(Cf::kRegister, register_key(provider, time_ms, tx, int32_t(item["index"].get<int64_t>())), model);
  }
}

namespace {

Json optional_instant(const Json& ms) {
  return ms.is_null() ? Json() : Json(format_instant(Millis{ms.get<int64_t>()}));
}

}  // namespace

Json register_row(const Json& order, const Json& item) {
  const bool refusal = order["status"] == "REJECTED";
  const Json& annulment = order["annulment"];
  Json row = {{"transaction", order["transaction"]},
              {"order", refusal ? Json() : order["transaction"]},
              {"sap", order["sap"]},
              {"index", item["index"]},
              {"time", format_instant(Millis{order["time_ms"].get<int64_t>()})},
              {"credential", order["credential"]},
              {"code", item["code"]},
              {"description", item["description"]},
              {"tooth", item["tooth"]},
              {"faces", item["faces"]},
              {"qty", item["qty"]},
              {"status", item["status"]},
              {"order_status", order["status"]},
              {"reasons", item["reasons"]},
              {"channel", order["channel"]},
              {"registered_by", order["provider"]},
              {"authorized_by", item["authorized"].get<bool>() ? order["authorized_by"] : Json()},
              {"consumption", item["consumption"]},
              {"performed_at", optional_instant(item["performed_at_ms"])},
              {"emitted_by", item["emitted_by"]},
              {"annulment", annulment.is_null() ? Json() : annulment["transaction"]},
              {"annulled_by", annulment.is_null() ? Json() : annulment["provider"]},
              {"annulled_at", annulment.is_null() ? Json() : optional_instant(annulment["time_ms"])},
              {"annul_reason", annulment.is_null() ? Json() : annulment["reason"]}};
  put_amounts(item, row);
  return row;
}


Status fold_authorization(const fb::EventT& event, FoldBatch& batch) {
  const fb::ResultT* r = event.result.get();
  const fb::AuthorizeCmdT* cmd = event.command.AsAuthorizeCmd();
  if (!r || !cmd) return Status::corruption("an authorization event lacks its command or result");
  if (r->transaction.empty()) return Status::ok();  // validate mode: never recorded
  const bool refused = r->order.empty();
  Json order = new_order(refused ? r->transaction : r->order, cmd->provider, cmd->credential, event.command_time_ms,
                         event.channel, refused ? Json() : Json("AUTOMATIC"), r->items);
  if (refused) {
    order["status"] = "REJECTED";
    write_order(order, batch);
    index_order(order, batch);
    return Status::ok();
  }
  if (cmd->consume_now) {
    // Consumed at the counter: a consumption with the order's own id.
    Json c = new_consumption(r->transaction, r->order, cmd->provider, cmd->credential, event.command_time_ms,
                             event.command_time_ms);
    for (const auto& item : r->items) {
      if (item->status == fb::Status::CONSUMED) c["items"].push_back(item->index);
    }
    if (!c["items"].empty()) {
      if (Status s = consume_items(order, c, batch); !s) return s;
      order["consumptions"].push_back(r->transaction);
      batch.put_json(Cf::kOrders, consumption_key(r->transaction), c);
    }
  }
  order["status"] = order_status(order);
  write_order(order, batch);
  index_order(order, batch);
  return Status::ok();
}

Status fold_consumption(const fb::EventT& event, FoldBatch& batch) {
  const fb::ResultT* r = event.result.get();
  const fb::ConsumeCmdT* cmd = event.command.AsConsumeCmd();
  if (!r || !cmd) return Status::corruption("a consumption event lacks its command or result");
  if (r->status != fb::Status::ACCEPTED) return Status::ok();  // refused: only history shows it
  Json order;
  if (Status s = batch.get_json(Cf::kOrders, order_key(cmd->order), &order); !s) {
    return s.kind() == StatusKind::kNotFound ? Status::corruption("consumption of unknown order " + cmd->order) : s;
  }
  const int64_t performed_ms = cmd->performed_at_ms ? *cmd->performed_at_ms : event.command_time_ms;
  Json c =
      new_consumption(r->transaction, cmd->order, cmd->provider, cmd->credential, event.command_time_ms, performed_ms);
  for (int32_t index : cmd->items) c["items"].push_back(index);
  if (Status s = consume_items(order, c, batch); !s) return s;
  order["consumptions"].push_back(r->transaction);
  order["status"] = order_status(order);
  write_order(order, batch);
  batch.put_json(Cf::kOrders, consumption_key(r->transaction), c);
  return update_sap_emitted(order, batch);
}

Status fold_annulment(const fb::EventT& event, FoldBatch& batch) {
  const fb::ResultT* r = event.result.get();
  const fb::AnnulCmdT* cmd = event.command.AsAnnulCmd();
  if (!r || !cmd) return Status::corruption("an annulment event lacks its command or result");
  if (r->status != fb::Status::ANNULLED) return Status::ok();
  const Json annulment = {{"transaction", r->transaction},
                          {"provider", cmd->provider},
                          {"reason", cmd->reason},
                          {"time_ms", event.command_time_ms}};
  // The target first, then what fell with it (engine/decide_consume.cc).
  for (const std::string& id : event.annulled) {
    Json record;
    Status s = batch.get_json(Cf::kAudits, sap_key(id), &record);
    if (s) {
      annul_sap(record, annulment, batch);
      continue;
    }
    if (s.kind() != StatusKind::kNotFound) return s;
    s = batch.get_json(Cf::kOrders, order_key(id), &record);
    if (s) {
      if (s = annul_order(record, annulment, batch); !s) return s;
      continue;
    }
    if (s.kind() != StatusKind::kNotFound) return s;
    s = batch.get_json(Cf::kOrders, consumption_key(id), &record);
    if (s) {
      if (s = annul_consumption(record, annulment, batch); !s) return s;
      continue;
    }
    if (s.kind() != StatusKind::kNotFound) return s;
    return Status::corruption("annulment " + r->transaction + " names unknown record " + id);
  }
  return Status::ok();
}

}  // namespace autoriza::projections

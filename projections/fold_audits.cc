// Audit requests (SAPs): the record an auditor works from, with the
// prescription, the items (pre-authorized, pending, rejected) and the
// message history of verdicts.
#include "clock.h"
#include "fold.h"

namespace autoriza::projections {

namespace {

void put_indexes(const Json& sap, FoldBatch& batch) {
  const std::string number = sap["sap"].get<std::string>();
  const std::string time = time_key(sap["time_ms"].get<int64_t>());
  batch.put(Cf::kAudits, audit_time_prefix() + time + number, "");
  batch.put(Cf::kAudits, audit_provider_prefix(sap["provider"].get<std::string>()) + time + number, "");
}

}  // namespace

Status fold_audit_opened(const fb::EventT& event, FoldBatch& batch) {
  const fb::ResultT* r = event.result.get();
  const fb::AuthorizeCmdT* cmd = event.command.AsAuthorizeCmd();
  if (!r || !cmd) return Status::corruption("an audit request lacks its command or result");
  AUTORIZA_CHECK(!r->sap.empty());
  Json items = Json::array();
  for (const auto& item : r->items) {
    Json m = item_model(*item);
    m["pre_authorized"] = item->status == fb::Status::AUTHORIZED;
    items.push_back(std::move(m));
  }
  Json prescriber;
  if (cmd->prescriber) {
    prescriber = {{"kind", fb::EnumNamePrescriberKind(cmd->prescriber->kind)}, {"license", cmd->prescriber->license}};
  }
  const Json sap = {
      {"sap", r->sap},
      {"transaction", r->transaction},
      {"provider", cmd->provider},
      {"credential", cmd->credential},
      {"time_ms", event.command_time_ms},
      {"status", "PENDING"},
      {"diagnosis", cmd->diagnosis},
      {"note", cmd->note},
      {"prescribed_on", cmd->prescribed_on_day ? Json(format_date(LocalDay{*cmd->prescribed_on_day})) : Json()},
      {"prescriber", prescriber},
      {"channel", event.channel},
      {"items", std::move(items)},
      {"order", nullptr},
      {"messages", Json::array()},
      {"annulment", nullptr}};
  batch.put_json(Cf::kAudits, sap_key(r->sap), sap);
  put_indexes(sap, batch);
  return Status::ok();
}

Status fold_audit_decided(const fb::EventT& event, FoldBatch& batch) {
  const fb::ResultT* r = event.result.get();
  const fb::AuditVerdictCmdT* cmd = event.command.AsAuditVerdictCmd();
  if (!r || !cmd) return Status::corruption("a verdict lacks its command or result");
  if (r->status == fb::Status::REFUSED) return Status::ok();  // SAP unknown or already decided: nothing changes
  Json sap;
  if (Status s = batch.get_json(Cf::kAudits, sap_key(cmd->sap), &sap); !s) {
    return s.kind() == StatusKind::kNotFound ? Status::corruption("verdict on unknown SAP " + cmd->sap) : s;
  }
  sap["messages"].push_back({{"transaction", r->transaction},
                             {"time_ms", event.command_time_ms},
                             {"auditor", cmd->auditor},
                             {"verdict", fb::EnumNameVerdict(cmd->verdict)},
                             {"message", cmd->message}});
  sap["status"] = status_name(r->status);
  if (cmd->verdict != fb::Verdict::REQUEST_DOCS) {
    // The result lists every item of the SAP with its status after the verdict.
    for (const auto& decided : r->items) {
      for (Json& item : sap["items"]) {
        if (item["index"].get<int64_t>() == decided->index) item["status"] = status_name(decided->status);
      }
    }
  }
  if (!r->order.empty()) {
    // The order has the verdict's id and time, the SAP's provider and affiliate.
    sap["order"] = r->order;
    Json order =
        new_order(r->order, sap["provider"].get<std::string>(), sap["credential"].get<std::string>(),
                  event.command_time_ms, sap["channel"].get<std::string>(), "auditor:" + cmd->auditor, r->items);
    order["sap"] = cmd->sap;
    order["status"] = order_status(order);
    write_order(order, batch);
    index_order(order, batch);
  }
  batch.put_json(Cf::kAudits, sap_key(cmd->sap), sap);
  return Status::ok();
}

Status update_sap_emitted(const Json& order, FoldBatch& batch) {
  if (order["sap"].is_null() || order["status"] == "ANNULLED") return Status::ok();
  Json sap;
  if (Status s = batch.get_json(Cf::kAudits, sap_key(order["sap"].get<std::string>()), &sap); !s) return s;
  if (order["status"] == "EMITTED") {
    sap["status"] = "EMITTED";
  } else if (sap["status"] == "EMITTED") {
    // Back from emitted: the verdict's own outcome.
    bool any_rejected = false;
    for (const Json& item : order["items"]) any_rejected |= item["status"] == "REJECTED";
    sap["status"] = any_rejected ? "PARTIALLY_AUTHORIZED" : "AUTHORIZED";
  } else {
    return Status::ok();
  }
  batch.put_json(Cf::kAudits, sap_key(order["sap"].get<std::string>()), sap);
  return Status::ok();
}

void annul_sap(Json& sap, const Json& annulment, FoldBatch& batch) {
  sap["status"] = "ANNULLED";
  sap["annulment"] = annulment;
  batch.put_json(Cf::kAudits, sap_key(sap["sap"].get<std::string>()), sap);
}

}  // namespace autoriza::projections

// Rendering of answers and recorded transactions as JSON. Money is rendered
// as decimal strings with two decimals, times in local time with offset.
#include "adapters/codec/codec.h"
#include "engine/core/money.h"
#include "engine/core/reasons.h"

namespace autoriza {

namespace {

std::string status_name(fb::Status s) { return fb::EnumNameStatus(s); }

Json reasons_json(const std::vector<fb::ReasonCode>& reasons) {
  Json out = Json::array();
  for (fb::ReasonCode r : reasons) {
    out.push_back({{"code", std::string(reason_code_name(r))}, {"message", std::string(reason_message(r))}});
  }
  return out;
}

std::string money(int64_t cents) { return format_cents(Cents{cents}); }

Json item_json(const fb::ItemResultT& item) {
  Json j = {{"index", item.index}, {"code", item.code}, {"description", item.description}, {"qty", item.qty}};
  if (item.tooth) j["tooth"] = *item.tooth;
  if (!item.faces.empty()) j["faces"] = item.faces;
  j["status"] = status_name(item.status);
  j["reasons"] = reasons_json(item.reasons);
  j["professional"] = money(item.professional_cents);
  j["expenses"] = money(item.expenses_cents);
  j["total"] = money(item.total_cents);
  j["copay"] = money(item.copay_cents);
  return j;
}

Json items_json(const std::vector<std::unique_ptr<fb::ItemResultT>>& items) {
  Json out = Json::array();
  for (const auto& i : items) out.push_back(item_json(*i));
  return out;
}

Json totals_json(const fb::TotalsT* t) {
  fb::TotalsT zero;
  if (!t) t = &zero;
  return {{"total", money(t->total_cents)}, {"copay", money(t->copay_cents)}, {"covered", money(t->covered_cents)}};
}

Json transaction_json(const std::string& id) { return id.empty() ? Json(nullptr) : Json(id); }

Json order_item_json(const fb::OrderItemT& item) {
  Json j = {{"index", item.index}, {"code", item.code}, {"description", item.description}, {"qty", item.qty}};
  if (item.tooth) j["tooth"] = *item.tooth;
  if (!item.faces.empty()) j["faces"] = item.faces;
  j["status"] = status_name(item.status);
  j["professional"] = money(item.professional_cents);
  j["expenses"] = money(item.expenses_cents);
  j["total"] = money(item.total_cents);
  j["copay"] = money(item.copay_cents);
  if (!item.consumed_by.empty()) j["consumed_by"] = item.consumed_by;
  return j;
}

Json order_items_json(const std::vector<std::unique_ptr<fb::OrderItemT>>& items) {
  Json out = Json::array();
  for (const auto& i : items) out.push_back(order_item_json(*i));
  return out;
}

Json order_json(const fb::OrderStateT& o) {
  return {{"transaction", o.transaction}, {"provider", o.provider}, {"credential", o.credential},
          {"time", format_instant(Millis{o.time_ms})}, {"status", status_name(o.status)},
          {"sap", o.sap.empty() ? Json(nullptr) : Json(o.sap)}, {"items", order_items_json(o.items)},
          {"consumptions", o.consumptions}};
}

Json consumption_json(const fb::ConsumptionStateT& c) {
  Json j = {{"transaction", c.transaction}, {"order", c.order}, {"provider", c.provider}, {"credential", c.credential},
          {"time", format_instant(Millis{c.time_ms})}, {"performed_at", format_instant(Millis{c.performed_at_ms})},
          {"items", c.items}, {"status", c.annulled ? "ANNULLED" : "CONSUMED"}};
  if (c.part != fb::ConsumedPart::ALL) j["part"] = fb::EnumNameConsumedPart(c.part);
  return j;
}

// The audit request's optional fields, only when given (older answers unchanged).
void add_diagnosis_extras(Json& j, fb::DiagnosisType type, const std::string& text, const std::vector<std::string>& documents) {
  if (type != fb::DiagnosisType::NONE) j["diagnosis_type"] = fb::EnumNameDiagnosisType(type);
  if (!text.empty()) j["diagnosis_text"] = text;
  if (!documents.empty()) j["documents"] = documents;
}

Json sap_json(const fb::SapStateT& s) {
  Json messages = Json::array();
  for (const auto& m : s.messages) {
    if (!m->provider.empty()) {  // the provider's answer to a request for documents
      messages.push_back({{"transaction", m->transaction}, {"time", format_instant(Millis{m->time_ms})},
                          {"provider", m->provider}, {"message", m->message}, {"documents", m->documents}});
      continue;
    }
    messages.push_back({{"transaction", m->transaction}, {"time", format_instant(Millis{m->time_ms})},
                        {"auditor", m->auditor}, {"verdict", fb::EnumNameVerdict(m->verdict)}, {"message", m->message}});
  }
  Json j = {{"sap", s.sap}, {"transaction", s.transaction}, {"provider", s.provider}, {"credential", s.credential},
            {"time", format_instant(Millis{s.time_ms})}, {"status", status_name(s.status)},
            {"diagnosis", s.diagnosis}, {"note", s.note}, {"items", order_items_json(s.items)},
            {"order", s.order.empty() ? Json(nullptr) : Json(s.order)}, {"messages", messages}};
  if (s.prescribed_on_day) j["prescribed_on"] = format_date(LocalDay{*s.prescribed_on_day});
  if (s.prescriber) j["prescriber"] = {{"kind", fb::EnumNamePrescriberKind(s.prescriber->kind)}, {"license", s.prescriber->license}};
  add_diagnosis_extras(j, s.diagnosis_type, s.diagnosis_text, s.documents);
  return j;
}

// The whole answer of an account command (its routes take what they show
// from it): what a Kafka validator sends back to the gateway that asked.
Json account_result_json(const fb::ResultT& r) {
  Json j = {{"transaction", transaction_json(r.transaction)}, {"status", status_name(r.status)}, {"message", r.message}};
  j["affiliate"] = nullptr;
  if (r.affiliate) {
    const auto& a = *r.affiliate;
    j["affiliate"] = {{"credential", a.credential}, {"name", a.name}, {"cuil", a.cuil}, {"age", a.age},
                      {"sex", a.sex}, {"plan", a.plan}, {"titular", a.titular}};
  }
  Json tokens = Json::array();
  for (const auto& t : r.tokens) {
    tokens.push_back({{"token", t->token}, {"valid_from", format_instant(Millis{t->valid_from_ms})},
                      {"valid_until", format_instant(Millis{t->valid_until_ms})}});
  }
  j["tokens"] = tokens;
  if (r.card) {
    j["card"] = {{"security_code", r.card->security_code}, {"valid_from", format_instant(Millis{r.card->valid_from_ms})},
                 {"valid_until", format_instant(Millis{r.card->valid_until_ms})}};
  }
  return j;
}

int64_t instant_ms(const Json& j, const char* key) {
  const std::optional<Millis> t = j.value(key, Json()).is_string() ? parse_instant(j[key].get<std::string>()) : std::nullopt;
  return t ? t->value : 0;
}

}  // namespace

bool is_account_command(fb::Command type) {
  switch (type) {
    case fb::Command::CardIssueCmd:
    case fb::Command::RegisterCmd:
    case fb::Command::RegisterConfirmCmd:
    case fb::Command::PasswordRecoverCmd:
    case fb::Command::PasswordResetCmd:
    case fb::Command::ShareCreateCmd:
    case fb::Command::ShareRevokeCmd:
    case fb::Command::AccountLoginCmd:
    case fb::Command::AccountUpdateCmd: return true;
    default: return false;
  }
}

Status decode_account_result(const Json& j, fb::ResultT* out) {
  if (!j.is_object()) return Status::invalid("not an account answer", "");
  *out = fb::ResultT();
  if (j.value("transaction", Json()).is_string()) out->transaction = j["transaction"];
  const char* const* names = fb::EnumNamesStatus();
  for (int i = 0; names[i] != nullptr && j.value("status", Json()).is_string(); ++i) {
    if (j["status"] == names[i]) out->status = fb::Status(i);
  }
  out->message = j.value("message", "");
  if (const Json& a = j.value("affiliate", Json()); a.is_object()) {
    out->affiliate = std::make_unique<fb::AffiliateViewT>();
    out->affiliate->credential = a.value("credential", ""), out->affiliate->name = a.value("name", "");
    out->affiliate->cuil = a.value("cuil", ""), out->affiliate->age = a.value("age", 0);
    out->affiliate->sex = a.value("sex", ""), out->affiliate->plan = a.value("plan", "");
    out->affiliate->titular = a.value("titular", "");
  }
  for (const Json& t : j.value("tokens", Json::array())) {
    auto view = std::make_unique<fb::TokenViewT>();
    view->token = t.value("token", "");
    view->valid_from_ms = instant_ms(t, "valid_from"), view->valid_until_ms = instant_ms(t, "valid_until");
    out->tokens.push_back(std::move(view));
  }
  if (const Json& c = j.value("card", Json()); c.is_object()) {
    out->card = std::make_unique<fb::CardViewT>();
    out->card->security_code = c.value("security_code", "");
    out->card->valid_from_ms = instant_ms(c, "valid_from"), out->card->valid_until_ms = instant_ms(c, "valid_until");
  }
  return Status::ok();
}

Json encode_result(fb::Command type, const fb::ResultT& r) {
  if (is_account_command(type)) return account_result_json(r);
  Json j;
  j["transaction"] = transaction_json(r.transaction);
  switch (type) {
    case fb::Command::EligibilityCmd:
      j["status"] = status_name(r.status);
      j["reasons"] = reasons_json(r.reasons);
      if (r.affiliate) {
        const auto& a = *r.affiliate;
        j["affiliate"] = {{"credential", a.credential}, {"name", a.name}, {"cuil", a.cuil}, {"age", a.age},
                          {"sex", a.sex}, {"plan", a.plan}, {"titular", a.titular}};
        if (!a.notes.empty()) j["affiliate"]["notes"] = a.notes;  // only when there are: older answers unchanged
      } else {
        j["affiliate"] = nullptr;
      }
      return j;
    case fb::Command::AnnulCmd:
      j["status"] = status_name(r.status);
      j["reasons"] = reasons_json(r.reasons);
      return j;
    case fb::Command::AuditVerdictCmd:
    case fb::Command::AuditAnswerCmd:
      j["sap"] = r.sap;
      j["status"] = status_name(r.status);
      j["reasons"] = reasons_json(r.reasons);
      if (!r.order.empty()) j["order"] = r.order;
      j["items"] = items_json(r.items);
      j["totals"] = totals_json(r.totals.get());
      return j;
    case fb::Command::TokenIssueCmd: {
      Json tokens = Json::array();
      for (const auto& t : r.tokens) {
        tokens.push_back({{"token", t->token}, {"valid_from", format_instant(Millis{t->valid_from_ms})},
                          {"valid_until", format_instant(Millis{t->valid_until_ms})}});
      }
      j.erase("transaction");
      j["tokens"] = tokens;
      return j;
    }
    case fb::Command::AuthorizeCmd:
    case fb::Command::ConsumeCmd:
    case fb::Command::NONE: break;
    default: break;  // account commands: their routes encode their own answers
  }
  j["status"] = status_name(r.status);
  j["reasons"] = reasons_json(r.reasons);
  if (!r.order.empty()) j["order"] = r.order;
  if (!r.sap.empty()) j["sap"] = r.sap;
  j["items"] = items_json(r.items);
  j["totals"] = totals_json(r.totals.get());
  return j;
}

Json encode_command(const fb::CommandUnion& command) {
  switch (command.type) {
    case fb::Command::EligibilityCmd: {
      const auto& c = *command.AsEligibilityCmd();
      return {{"command", "eligibility"}, {"request_id", c.request_id}, {"provider", c.provider}, {"credential", c.credential},
              {"token_given", !c.token.empty()}};
    }
    case fb::Command::AuthorizeCmd: {
      const auto& c = *command.AsAuthorizeCmd();
      Json items = Json::array();
      for (const auto& i : c.items) {
        Json item = {{"code", i->code}, {"qty", i->qty}};
        if (i->tooth) item["tooth"] = *i->tooth;
        if (!i->faces.empty()) item["faces"] = i->faces;
        items.push_back(item);
      }
      Json j = {{"command", "authorize"}, {"request_id", c.request_id}, {"provider", c.provider},
                {"credential", c.credential}, {"token_given", !c.token.empty()},
                {"mode", c.mode == fb::AuthorizeMode::AUDIT ? "audit" : c.mode == fb::AuthorizeMode::VALIDATE ? "validate" : "authorize"},
                {"consume_now", c.consume_now}, {"diagnosis", c.diagnosis}, {"note", c.note}, {"items", items}};
      if (c.prescribed_on_day) j["prescribed_on"] = format_date(LocalDay{*c.prescribed_on_day});
      if (c.prescriber) j["prescriber"] = {{"kind", fb::EnumNamePrescriberKind(c.prescriber->kind)}, {"license", c.prescriber->license}};
      add_diagnosis_extras(j, c.diagnosis_type, c.diagnosis_text, c.documents);
      return j;
    }
    case fb::Command::ConsumeCmd: {
      const auto& c = *command.AsConsumeCmd();
      Json j = {{"command", "consume"}, {"request_id", c.request_id}, {"provider", c.provider}, {"credential", c.credential},
                {"token_given", !c.token.empty()}, {"order", c.order}, {"items", c.items}, {"note", c.note}};
      if (c.performed_at_ms) j["performed_at"] = format_instant(Millis{*c.performed_at_ms});
      if (c.part != fb::ConsumedPart::ALL) j["part"] = fb::EnumNameConsumedPart(c.part);
      if (!c.documents.empty()) j["documents"] = c.documents;
      return j;
    }
    case fb::Command::AnnulCmd: {
      const auto& c = *command.AsAnnulCmd();
      return {{"command", "annul"}, {"request_id", c.request_id}, {"provider", c.provider}, {"transaction", c.transaction},
              {"reason", c.reason}};
    }
    case fb::Command::AuditVerdictCmd: {
      const auto& c = *command.AsAuditVerdictCmd();
      Json items = Json::array();
      for (const auto& d : c.items) items.push_back({{"index", d->index}, {"decision", fb::EnumNameItemDecisionKind(d->decision)}});
      return {{"command", "audit_verdict"}, {"request_id", c.request_id}, {"auditor", c.auditor}, {"sap", c.sap},
              {"verdict", fb::EnumNameVerdict(c.verdict)}, {"items", items}, {"message", c.message}};
    }
    case fb::Command::AuditAnswerCmd: {
      const auto& c = *command.AsAuditAnswerCmd();
      return {{"command", "audit_answer"}, {"request_id", c.request_id}, {"provider", c.provider}, {"sap", c.sap},
              {"message", c.message}, {"documents", c.documents}};
    }
    case fb::Command::TokenIssueCmd: {
      const auto& c = *command.AsTokenIssueCmd();
      return {{"command", "token_issue"}, {"request_id", c.request_id}, {"credential", c.credential},
              {"kind", fb::EnumNameTokenKind(c.kind)}, {"month", c.month}, {"count", c.count}};
    }
    case fb::Command::NONE: break;
    default: break;  // account commands carry sealed secrets and personal data: not shown
  }
  return nullptr;
}

Json encode_transaction(const TransactionView& view) {
  const fb::EventT& e = view.event;
  Json j = {{"transaction", e.result ? transaction_json(e.result->transaction) : Json(nullptr)},
            {"type", fb::EnumNameEventType(e.type)},
            {"time", format_instant(Millis{e.command_time_ms})},
            {"partition", e.partition},
            {"sequence", e.sequence},
            {"command", encode_command(e.command)},
            {"answer", e.result ? encode_result(e.command.type, *e.result) : Json(nullptr)}};
  if (!e.annulled.empty()) j["annulled"] = e.annulled;
  if (view.order) j["order"] = order_json(*view.order);
  if (view.consumption) j["consumption"] = consumption_json(*view.consumption);
  if (view.sap) j["sap"] = sap_json(*view.sap);
  return j;
}

}  // namespace autoriza

// The comprobante's model from a recorded transaction (comprobante.h). The
// transaction is read as the JSON of GET /v1/transactions/{id}
// (encode_transaction): its command, its answer and the current order,
// consumption or SAP.
#include "adapters/print/comprobante.h"

#include <cassert>

#include "adapters/codec/codec.h"
#include "adapters/print/json_fields.h"

namespace autoriza::print {
namespace {

// Names of the affiliate, its titular and plan, and of the provider.
void fill_people(const std::string& credential, const std::string& provider, const Reference& ref, Comprobante* c) {
  c->credential = credential;
  c->provider = provider;
  if (const fb::AffiliateT* a = ref.affiliate(credential)) {
    c->affiliate = display_name(*a);
    c->plan = a->plan;
    c->titular = a->titular;
    if (const fb::AffiliateT* t = ref.affiliate(a->titular)) c->titular_name = display_name(*t);
  }
  if (const fb::ProviderT* p = ref.provider(provider)) c->provider_name = p->name;
}

// The prescription of an authorize command or of a SAP.
void fill_prescription(const Json& from, const Reference& ref, Comprobante* c) {
  c->diagnosis = field(from, "diagnosis");
  c->diagnosis_text = field(from, "diagnosis_text");
  const std::string type = field(from, "diagnosis_type");
  c->diagnosis_type = type == "PRESUMPTIVE" ? "Presuntivo" : type == "DEFINITIVE" ? "Definitivo" : "";
  if (from.contains("documents") && from["documents"].is_array()) c->documents = from["documents"].size();
  c->prescribed_on = field(from, "prescribed_on");
  if (!from.contains("prescriber") || !from["prescriber"].is_object()) return;
  const std::string kind = field(from["prescriber"], "kind"), license = field(from["prescriber"], "license");
  c->prescriber = kind + " " + license;
  const fb::PrescriberKind k = kind == "OD" ? fb::PrescriberKind::OD : fb::PrescriberKind::MD;
  if (const fb::PrescriberT* p = ref.prescriber(k, license)) c->prescriber += " — " + p->name;
}

std::vector<std::string> messages_of(const Json& reasons) {
  std::vector<std::string> out;
  if (!reasons.is_array()) return out;
  for (const Json& r : reasons) out.push_back(field(r, "message"));
  return out;
}

// The answer's status, reasons, items and totals.
void fill_answer(const Json& answer, Comprobante* c) {
  c->status = field(answer, "status");
  c->reasons = messages_of(answer.value("reasons", Json()));
  if (c->order.empty()) c->order = field(answer, "order");
  if (c->sap.empty()) c->sap = field(answer, "sap");
  if (answer.contains("items") && answer["items"].is_array()) {
    for (const Json& i : answer["items"]) {
      c->items.push_back({field(i, "index"), field(i, "code"), field(i, "description"), field(i, "qty"),
                          field(i, "tooth"), field(i, "faces"), field(i, "status"), field(i, "total"),
                          field(i, "copay"), messages_of(i.value("reasons", Json()))});
    }
  }
  if (answer.contains("totals") && answer["totals"].is_object()) {
    const Json& t = answer["totals"];
    c->total = field(t, "total");
    c->copay = field(t, "copay");
    c->covered = field(t, "covered");
  }
}

// The status now of what the transaction made (part: "order", "sap" or
// "consumption"), unless it is the one it starts in (unchanged).
void fill_current(const Json& j, const char* part, std::string_view initial, Comprobante* c) {
  if (!j.contains(part) || !j[part].is_object()) return;
  const std::string now = field(j[part], "status");
  if (now != initial) c->current = now;
}

void authorization(const Json& j, const Reference& ref, Comprobante* c) {
  const Json& cmd = j["command"];
  fill_people(field(cmd, "credential"), field(cmd, "provider"), ref, c);
  fill_prescription(cmd, ref, c);
  c->notes = field(cmd, "note");
  fill_answer(j["answer"], c);
  const bool audit = field(j, "type") == "AUDIT_OPENED";
  const bool refused = c->status == "REJECTED";
  c->kind = audit ? (refused ? "Solicitud de auditoría rechazada" : "Solicitud de auditoría")
                  : (refused ? "Autorización rechazada" : "Orden de prestación");
  fill_current(j, audit ? "sap" : "order", audit ? "PENDING" : "AUTHORIZED", c);
}

void verdict(const Json& j, const Reference& ref, Comprobante* c) {
  const Json& cmd = j["command"];
  const Json sap = j.contains("sap") ? j["sap"] : Json::object();
  fill_people(field(sap, "credential"), field(sap, "provider"), ref, c);
  fill_prescription(sap, ref, c);
  c->sap = field(cmd, "sap");
  c->auditor = field(cmd, "auditor");
  c->verdict = field(cmd, "verdict");
  c->notes = field(cmd, "message");
  fill_answer(j["answer"], c);
  c->kind = c->status == "REFUSED" ? "Dictamen de auditoría no aplicado"
            : c->order.empty()     ? "Dictamen de auditoría"
                                   : "Orden de prestación autorizada por auditoría";
  fill_current(j, "order", "AUTHORIZED", c);
}

void consumption(const Json& j, const Reference& ref, Comprobante* c) {
  const Json& cmd = j["command"];
  fill_people(field(cmd, "credential"), field(cmd, "provider"), ref, c);
  c->order = field(cmd, "order");
  c->notes = field(cmd, "note");
  const std::string part = field(cmd, "part");
  c->billed_part = part == "PROFESSIONAL_ONLY" ? "Solo honorarios" : part == "EXPENSES_ONLY" ? "Solo gastos" : "";
  if (cmd.contains("documents") && cmd["documents"].is_array()) c->documents = cmd["documents"].size();
  c->performed_at = j.contains("consumption") ? field(j["consumption"], "performed_at") : field(cmd, "performed_at");
  if (c->performed_at.empty()) c->performed_at = field(j, "time");
  fill_answer(j["answer"], c);
  c->kind = c->status == "REJECTED" ? "Consumo rechazado" : "Comprobante de consumo";
  if (c->status == "ACCEPTED") fill_current(j, "consumption", "CONSUMED", c);
}

// The provider's answer to a request for documents.
void audit_answer(const Json& j, const Reference& ref, Comprobante* c) {
  const Json& cmd = j["command"];
  const Json sap = j.contains("sap") ? j["sap"] : Json::object();
  fill_people(field(sap, "credential"), field(cmd, "provider"), ref, c);
  c->sap = field(cmd, "sap");
  c->notes = field(cmd, "message");
  if (cmd.contains("documents") && cmd["documents"].is_array()) c->documents = cmd["documents"].size();
  fill_answer(j["answer"], c);
  c->kind = c->status == "REFUSED" ? "Respuesta a la auditoría no registrada" : "Respuesta a la auditoría";
}

void eligibility(const Json& j, const Reference& ref, Comprobante* c) {
  const Json& cmd = j["command"];
  fill_people(field(cmd, "credential"), field(cmd, "provider"), ref, c);
  fill_answer(j["answer"], c);
  c->kind = "Constancia de elegibilidad";
}

// An annulment shows the affiliate and items of what it annulled.
void annulment(const Json& j, const TransactionView* target, const Reference& ref, Comprobante* c) {
  const Json& cmd = j["command"];
  c->provider = field(cmd, "provider");
  if (const fb::ProviderT* p = ref.provider(c->provider)) c->provider_name = p->name;
  c->annulled = field(cmd, "transaction");  // the ids it annulled, when it did
  if (j.contains("annulled") && j["annulled"].is_array() && !j["annulled"].empty()) {
    c->annulled.clear();
    for (const Json& id : j["annulled"]) c->annulled += (c->annulled.empty() ? "" : ", ") + text_of(id);
  }
  c->notes = field(cmd, "reason");
  fill_answer(j["answer"], c);
  c->kind = c->status == "REJECTED" ? "Anulación rechazada" : "Comprobante de anulación";
  Comprobante t;
  if (!target || !comprobante_of(*target, nullptr, ref, &t)) return;  // nothing more to show
  if (t.provider != c->provider) return;  // a refused try on another's transaction shows nothing of it
  fill_people(t.credential, c->provider, ref, c);
  c->order = t.order;
  c->sap = t.sap;
  c->items = std::move(t.items);
  for (ComprobanteItem& i : c->items) {
    if (c->status == "ANNULLED" && i.status != "REJECTED") i.status = "ANNULLED";
  }
  c->total = t.total;
  c->copay = t.copay;
  c->covered = t.covered;
}

}  // namespace

Status comprobante_of(const TransactionView& view, const TransactionView* target, const Reference& reference,
                      Comprobante* out) {
  assert(out != nullptr);
  const Json j = encode_transaction(view);
  const std::string type = field(j, "type");
  Comprobante c;
  c.number = field(j, "transaction");
  c.time = field(j, "time");
  if (type == "AUTHORIZATION_DECIDED" || type == "AUDIT_OPENED") {
    authorization(j, reference, &c);
  } else if (type == "AUDIT_DECIDED") {
    verdict(j, reference, &c);
  } else if (type == "AUDIT_ANSWERED") {
    audit_answer(j, reference, &c);
  } else if (type == "CONSUMPTION_RECORDED") {
    consumption(j, reference, &c);
  } else if (type == "ANNULMENT_RECORDED") {
    annulment(j, target, reference, &c);
  } else if (type == "ELIGIBILITY_CHECKED") {
    eligibility(j, reference, &c);
  } else {
    return Status::not_found("transaction " + c.number + " has no comprobante");
  }
  *out = std::move(c);
  return Status::ok();
}

}  // namespace autoriza::print

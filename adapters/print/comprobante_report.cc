// A comprobante (comprobante.h) as a Report: the transaction, the people,
// the items with tooth and faces and their amounts, the notes, and lines for
// the affiliate and the provider to sign. Portrait A4.
#include "adapters/print/comprobante.h"
#include "adapters/print/format_es.h"
#include "adapters/print/report.h"

namespace autoriza::print {
namespace {

std::string with_name(const std::string& id, const std::string& name) {
  if (name.empty()) return id;
  return id.empty() ? name : name + " (" + id + ")";
}

std::vector<Field> transaction_fields(const Comprobante& c) {
  std::vector<Field> f = {{"Número de transacción", c.number},
                          {"Fecha y hora", date_time_es(c.time)},
                          {"Resultado", std::string(status_es(c.status))}};
  if (!c.current.empty()) f.push_back({"Estado actual", std::string(status_es(c.current))});
  if (!c.order.empty() && c.order != c.number) f.push_back({"Orden", c.order});
  if (!c.sap.empty()) f.push_back({"Solicitud de auditoría", c.sap});
  if (!c.performed_at.empty()) f.push_back({"Realizada", date_time_es(c.performed_at)});
  if (!c.billed_part.empty()) f.push_back({"Se factura", c.billed_part});
  if (c.documents > 0) {
    f.push_back({"Documentos", std::to_string(c.documents) + (c.documents == 1 ? " adjunto" : " adjuntos")});
  }
  if (!c.annulled.empty()) f.push_back({"Anula", c.annulled});
  if (!c.verdict.empty()) f.push_back({"Dictamen", std::string(verdict_es(c.verdict))});
  if (!c.auditor.empty()) f.push_back({"Auditor", c.auditor});
  return f;
}

// Two to a row: names are long.
std::vector<Field> people_fields(const Comprobante& c) {
  std::vector<Field> f;
  if (!c.credential.empty()) {
    f.push_back({"Afiliado", c.affiliate});
    f.push_back({"Titular", with_name(c.titular, c.titular_name)});
    f.push_back({"Credencial", c.credential});
    f.push_back({"Plan", c.plan});
  }
  f.push_back({"Prestador", with_name(c.provider, c.provider_name)});
  if (!c.prescriber.empty()) f.push_back({"Prescriptor", c.prescriber});
  if (!c.prescribed_on.empty()) f.push_back({"Fecha de prescripción", date_es(c.prescribed_on)});
  if (!c.diagnosis.empty()) f.push_back({"Diagnóstico (CIE-10)", c.diagnosis});
  if (!c.diagnosis_text.empty()) f.push_back({"Diagnóstico", c.diagnosis_text});
  if (!c.diagnosis_type.empty()) f.push_back({"Tipo de diagnóstico", c.diagnosis_type});
  return f;
}

// covered = total - copay, in cents; "" when either is missing.
std::string covered_of(const std::string& total, const std::string& copay) {
  const auto t = parse_cents(total), p = parse_cents(copay);
  return t && p ? money_es(*t - *p) : std::string();
}

Section comprobante_items(const Comprobante& c) {
  Section s;
  s.heading = "Prácticas";
  s.table.columns = {
      {"Código", Align::kLeft, true},  {"Práctica", Align::kLeft, false}, {"Pieza", Align::kCenter, true},
      {"Caras", Align::kCenter, true}, {"Cant.", Align::kRight, true},    {"Estado", Align::kLeft, true},
      {"Total", Align::kRight, true},  {"Coseguro", Align::kRight, true}, {"A cargo OS", Align::kRight, true}};
  s.shown = {Shown::kEverywhere, Shown::kEverywhere, Shown::kPrintIfAny, Shown::kPrintIfAny};
  s.table.font_size_pt = 8.5;
  s.table.empty_text = "Sin prácticas.";
  for (const ComprobanteItem& i : c.items) {
    std::string description = i.description;
    for (const std::string& r : i.reasons) description += "\nMotivo: " + r;
    s.table.rows.push_back({i.code, description, i.tooth, i.faces, i.qty, std::string(status_es(i.status)),
                            money_es(i.total), money_es(i.copay), covered_of(i.total, i.copay)});
  }
  if (!c.total.empty()) {
    const char* label = !c.annulled.empty()      ? "Total anulado"
                        : c.status == "ACCEPTED" ? "Total consumido"
                                                 : "Total autorizado";
    s.table.totals.push_back({label, "", "", "", "", "", money_es(c.total), money_es(c.copay), money_es(c.covered)});
  }
  return s;
}

Report comprobante_report(const Comprobante& c) {
  Report r;
  r.info.title = c.kind + " N.º " + c.number;
  r.info.created = c.time;
  r.subtitle = "Comprobante de la transacción registrada el " + date_time_es(c.time);
  r.fields = {{transaction_fields(c), 4}, {people_fields(c), 2}};
  if (!c.items.empty() || !c.total.empty()) r.sections.push_back(comprobante_items(c));
  // What the affiliate pays, when something stands authorized or consumed.
  const bool stands = c.annulled.empty() && c.current != "ANNULLED" &&
                      (c.status == "AUTHORIZED" || c.status == "PARTIALLY_AUTHORIZED" || c.status == "ACCEPTED");
  if (stands && !c.total.empty()) {
    r.notes.push_back("El afiliado abona el coseguro: " + money_es(c.copay) +
                      ". A cargo de la obra social: " + money_es(c.covered) + ".");
  }
  for (const std::string& reason : c.reasons) r.notes.push_back("Motivo: " + reason);
  if (!c.notes.empty()) r.notes.push_back("Observaciones: " + c.notes);
  r.signatures = {"Firma y aclaración del afiliado", "Firma y sello del prestador"};
  return r;
}

}  // namespace

std::string comprobante_html(const Comprobante& c) {
  return report_html(comprobante_report(c));
}
std::string comprobante_pdf(const Comprobante& c) {
  return report_pdf(comprobante_report(c));
}

}  // namespace autoriza::print

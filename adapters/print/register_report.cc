// The register of a provider (reports.h) as a Report: one row per item of
// every authorization, with its consumption, annulment and who authorized
// it; totals of what is authorized or consumed.
#include <algorithm>

#include "adapters/print/format_es.h"
#include "adapters/print/json_fields.h"
#include "adapters/print/report.h"
#include "adapters/print/reports.h"
#include "engine/core/money.h"

namespace autoriza::print {
namespace {

using Json = nlohmann::json;

// Register columns (report.h). The PDF and HTML show the affiliate's name and
// credential in one cell; the TXT in two columns.
constexpr ReportColumn kRegisterColumns[] = {
    {"Fecha", Align::kLeft, true, 16, Shown::kEverywhere},
    {"Transacción", Align::kLeft, true, 12, Shown::kEverywhere},
    {"Afiliado", Align::kLeft, false, 0, Shown::kPrintOnly},
    {"Credencial", Align::kLeft, true, 12, Shown::kTxtOnly},
    {"Afiliado", Align::kLeft, false, 32, Shown::kTxtOnly},
    {"Práctica", Align::kLeft, true, 8, Shown::kEverywhere},
    {"Descripción", Align::kLeft, false, 40, Shown::kEverywhere},
    {"Pieza", Align::kCenter, true, 5, Shown::kPrintIfAny},
    {"Caras", Align::kCenter, true, 5, Shown::kPrintIfAny},
    {"Cant.", Align::kRight, true, 5, Shown::kEverywhere},
    {"Estado", Align::kLeft, false, 23, Shown::kEverywhere},
    {"Total", Align::kRight, true, 14, Shown::kEverywhere},
    {"Coseguro", Align::kRight, true, 14, Shown::kEverywhere},
    {"A cargo OS", Align::kRight, true, 14, Shown::kEverywhere},
    {"Detalle", Align::kLeft, false, 44, Shown::kEverywhere},
};
constexpr size_t kRegisterTotalColumn = 11;  // then Coseguro and A cargo OS

// What happened to the row after it was authorized, in words.
std::string detail_of(const Json& r) {
  std::vector<std::string> parts;
  if (const std::string sap = field(r, "sap"); !sap.empty()) parts.push_back("Auditoría " + sap);
  if (const std::string by = field(r, "authorized_by"); by.starts_with("auditor:")) {
    parts.push_back("Autorizó: " + authorized_by_es(by));
  }
  if (const std::string c = field(r, "consumption"); !c.empty()) {
    parts.push_back("Consumo " + c + " del " + date_time_es(field(r, "performed_at")));
  }
  if (const std::string a = field(r, "annulment"); !a.empty()) {
    std::string text = "Anulado (" + a + ") el " + date_time_es(field(r, "annulled_at"));
    if (const std::string by = field(r, "annulled_by"); !by.empty()) text += " por " + by;
    if (const std::string why = field(r, "annul_reason"); !why.empty()) text += ": " + why;
    parts.push_back(text);
  }
  if (r.contains("reasons") && r["reasons"].is_array()) {
    for (const Json& reason : r["reasons"]) parts.push_back(field(reason, "message"));
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ". ") + p;
  return out;
}

std::vector<std::string> register_cells(const Json& r) {
  const std::string credential = field(r, "credential"), name = field(r, "affiliate");
  return {date_time_es(field(r, "time")),
          field(r, "transaction"),
          name.empty() ? credential : name + "\n" + credential,
          credential,
          name,
          field(r, "code"),
          field(r, "description"),
          field(r, "tooth"),
          field(r, "faces"),
          field(r, "qty"),
          std::string(status_es(field(r, "status"))),
          money_es(field(r, "total")),
          money_es(field(r, "copay")),
          money_es(field(r, "covered")),
          detail_of(r)};
}

// Sums of the rows that stand (authorized or consumed): refused and annulled
// ones are listed but count for nothing.
std::vector<std::string> register_totals(const Json& rows) {
  Cents total, copay, covered;
  size_t standing = 0;
  for (const Json& r : rows) {
    const std::string status = field(r, "status");
    if (status != "AUTHORIZED" && status != "CONSUMED") continue;
    ++standing;
    total = total + parse_cents(field(r, "total")).value_or(Cents{});
    copay = copay + parse_cents(field(r, "copay")).value_or(Cents{});
    covered = covered + parse_cents(field(r, "covered")).value_or(Cents{});
  }
  std::vector<std::string> row(std::size(kRegisterColumns));
  row[0] = "Autorizado y consumido: " + std::to_string(standing) + " de " + std::to_string(rows.size()) + " filas";
  row[kRegisterTotalColumn] = money_es(total);
  row[kRegisterTotalColumn + 1] = money_es(copay);
  row[kRegisterTotalColumn + 2] = money_es(covered);
  return row;
}

FieldBlock register_fields(const Json& rows, const std::string& provider) {
  std::string first, last;  // ISO strings of one offset sort as times
  for (const Json& r : rows) {
    const std::string t = field(r, "time");
    if (t.empty()) continue;
    if (first.empty() || t < first) first = t;
    if (last.empty() || t > last) last = t;
  }
  const std::string period = first.empty() ? "" : date_es(first) + " al " + date_es(last);
  return {{{"Prestador", provider}, {"Período de las filas", period}, {"Filas", std::to_string(rows.size())}}, 4};
}

Report register_report(const Json& page, const std::string& provider) {
  const Json& rows = rows_of(page);
  Report r;
  r.info.title = "Registro de autorizaciones — " + provider;
  r.info.orientation = Orientation::kLandscape;
  r.info.margin_pt = 28;
  r.fields = {register_fields(rows, provider)};
  Section s = section_of("Prácticas autorizadas, rechazadas, consumidas y anuladas", kRegisterColumns);
  s.table.font_size_pt = 7.5;
  for (const Json& row : rows) s.table.rows.push_back(register_cells(row));
  s.table.totals.push_back(register_totals(rows));
  r.sections.push_back(std::move(s));
  if (page.is_object() && page.contains("next") && !page["next"].is_null()) {
    r.notes.push_back("Esta es una página del registro: hay más filas (pida la siguiente con el parámetro after).");
  }
  return r;
}

}  // namespace

std::string register_html(const Json& rows, const std::string& provider) {
  return report_html(register_report(rows, provider));
}

std::string register_txt(const Json& rows, const std::string& provider) {
  return report_txt(register_report(rows, provider));
}

std::string register_pdf(const Json& rows, const std::string& provider) {
  return report_pdf(register_report(rows, provider));
}

}  // namespace autoriza::print

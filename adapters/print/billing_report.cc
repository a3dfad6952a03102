// The billing of a provider's month (reports.h) as a Report: the consumed,
// non-annulled items with their amounts and the month's totals; when the
// month is closed, the consumptions recorded after the close apart.
#include "adapters/print/format_es.h"
#include "adapters/print/json_fields.h"
#include "adapters/print/report.h"
#include "adapters/print/reports.h"

namespace autoriza::print {
namespace {

using Json = nlohmann::json;

// Billing columns, as the register's (register_report.cc).
constexpr ReportColumn kBillingColumns[] = {
    {"Realizada", Align::kLeft, true, 16, Shown::kEverywhere},
    {"Orden", Align::kLeft, true, 12, Shown::kEverywhere},
    {"Consumo", Align::kLeft, true, 12, Shown::kEverywhere},
    {"Afiliado", Align::kLeft, false, 0, Shown::kPrintOnly},
    {"Credencial", Align::kLeft, true, 12, Shown::kTxtOnly},
    {"Afiliado", Align::kLeft, false, 32, Shown::kTxtOnly},
    {"Práctica", Align::kLeft, true, 8, Shown::kEverywhere},
    {"Descripción", Align::kLeft, false, 40, Shown::kEverywhere},
    {"Pieza", Align::kCenter, true, 5, Shown::kPrintIfAny},
    {"Caras", Align::kCenter, true, 5, Shown::kPrintIfAny},
    {"Cant.", Align::kRight, true, 5, Shown::kEverywhere},
    {"Honorarios", Align::kRight, true, 14, Shown::kEverywhere},
    {"Gastos", Align::kRight, true, 14, Shown::kEverywhere},
    {"Total", Align::kRight, true, 14, Shown::kEverywhere},
    {"Coseguro", Align::kRight, true, 14, Shown::kEverywhere},
    {"A cargo OS", Align::kRight, true, 14, Shown::kEverywhere},
};
constexpr size_t kProfessionalColumn = 11;  // then Gastos, Total, Coseguro and A cargo OS

std::vector<std::string> billing_cells(const Json& r) {
  const std::string credential = field(r, "credential"), name = field(r, "affiliate");
  return {date_time_es(field(r, "performed_at")),
          field(r, "order"),
          field(r, "consumption"),
          name.empty() ? credential : name + "\n" + credential,
          credential,
          name,
          field(r, "code"),
          field(r, "description"),
          field(r, "tooth"),
          field(r, "faces"),
          field(r, "qty"),
          money_es(field(r, "professional")),
          money_es(field(r, "expenses")),
          money_es(field(r, "total")),
          money_es(field(r, "copay")),
          money_es(field(r, "covered"))};
}

Section billing_section(std::string heading, const Json& items) {
  Section s = section_of(std::move(heading), kBillingColumns);
  s.table.font_size_pt = 7.5;
  s.table.empty_text = "No hay prestaciones consumidas en el período.";
  if (items.is_array()) {
    for (const Json& row : items) s.table.rows.push_back(billing_cells(row));
  }
  return s;
}

std::vector<std::string> billing_totals(const Json& t) {
  const std::string items = field(t, "items");
  std::vector<std::string> row(std::size(kBillingColumns));
  row[0] = "Total del período: " + items + (items == "1" ? " prestación" : " prestaciones");
  const char* amounts[] = {"professional", "expenses", "total", "copay", "covered"};
  for (size_t i = 0; i < std::size(amounts); ++i) row[kProfessionalColumn + i] = money_es(field(t, amounts[i]));
  return row;
}

Report billing_report(const Json& b) {
  const std::string provider = field(b, "provider"), name = field(b, "provider_name");
  const bool closed = b.is_object() && b.value("closed", false);
  Report r;
  r.info.title = "Facturación — " + provider + (name.empty() ? "" : " " + name) + " — " + month_es(field(b, "month"));
  r.info.orientation = Orientation::kLandscape;
  r.info.margin_pt = 28;
  const std::string closed_at = field(b, "closed_at");
  r.fields = {
      {{{"Prestador", provider + (name.empty() ? "" : " — " + name)},
        {"Período", month_es(field(b, "month"))},
        {"Estado", closed ? (closed_at.empty() ? "Cerrado" : "Cerrado el " + date_time_es(closed_at)) : "Abierto"},
        {"Prestaciones", b.contains("totals") ? field(b["totals"], "items") : ""}},
       4}};
  r.sections.push_back(billing_section("Prestaciones consumidas", b.is_object() ? b.value("items", Json()) : Json()));
  if (b.is_object() && b.contains("totals")) r.sections.back().table.totals.push_back(billing_totals(b["totals"]));
  if (b.is_object() && b.contains("late_items") && !b["late_items"].empty()) {
    r.sections.push_back(
        billing_section("Consumos registrados después del cierre (no suman en este período)", b["late_items"]));
  }
  if (b.is_object() && b.value("truncated", false)) {
    r.notes.push_back("El listado muestra las primeras prestaciones del período; los totales las cubren todas.");
  }
  return r;
}

}  // namespace

std::string billing_html(const Json& billing) {
  return report_html(billing_report(billing));
}
std::string billing_txt(const Json& billing) {
  return report_txt(billing_report(billing));
}
std::string billing_pdf(const Json& billing) {
  return report_pdf(billing_report(billing));
}

}  // namespace autoriza::print

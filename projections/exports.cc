// Exports of register pages and billing answers: CSV (RFC 4180: CRLF line
// ends, fields quoted when they hold a comma, quote or line end; a text that
// starts with = + @ gets a leading ' so spreadsheets do not run it), HTML
// (one escaped table) and PDF (fixed-width text, pdf.h).
#include <nlohmann/json.hpp>

#include "adapters/codec/html_escape.h"
#include "projections/pdf.h"
#include "projections/projections.h"

namespace autoriza {

namespace {

using Json = nlohmann::json;
using projections::fixed_width;

const Json& rows_of(const Json& rows) {
  static const Json kEmpty = Json::array();
  if (rows.is_array()) return rows;
  if (rows.is_object() && rows.contains("items") && rows["items"].is_array()) return rows["items"];
  return kEmpty;
}

std::string text(const Json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

std::string field(const Json& row, const char* name) {
  return row.is_object() && row.contains(name) ? text(row[name]) : "";
}

std::string csv_cell(std::string s) {
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '@')) s.insert(s.begin(), '\'');
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

std::string csv(const std::vector<const char*>& columns, const Json& rows) {
  std::string out;
  for (size_t i = 0; i < columns.size(); ++i) out += (i ? "," : "") + std::string(columns[i]);
  out += "\r\n";
  for (const Json& row : rows) {
    for (size_t i = 0; i < columns.size(); ++i) out += (i ? "," : "") + csv_cell(field(row, columns[i]));
    out += "\r\n";
  }
  return out;
}

std::string tooth_faces(const Json& row) {
  std::string t = field(row, "tooth");
  const std::string f = field(row, "faces");
  return f.empty() ? t : t + " " + f;
}

const std::vector<const char*> kRegisterColumns = {
    "transaction", "time",         "credential", "affiliate", "code",          "description",
    "tooth",       "faces",        "qty",        "status",    "professional",  "expenses",
    "total",       "copay",        "covered",    "channel",   "registered_by", "authorized_by",
    "consumption", "performed_at", "emitted_by", "annulment", "annulled_by",   "annul_reason"};

const std::vector<const char*> kBillingColumns = {
    "order", "consumption", "index", "performed_at", "credential", "affiliate", "code",  "description",
    "qty",   "tooth",       "faces", "professional", "expenses",   "total",     "copay", "covered"};

std::string register_line(const Json& r) {
  return fixed_width(field(r, "time").substr(0, 16), 17) + fixed_width(field(r, "transaction"), 12) +
         fixed_width(field(r, "credential"), 14) + fixed_width(field(r, "affiliate"), 24) +
         fixed_width(field(r, "code"), 8) + fixed_width(tooth_faces(r), 7) + fixed_width(field(r, "qty"), 4) +
         fixed_width(field(r, "status"), 13) + fixed_width(field(r, "total"), 12) + fixed_width(field(r, "copay"), 11) +
         fixed_width(field(r, "channel"), 9) + field(r, "annulled_by");
}

std::string billing_line(const Json& r) {
  return fixed_width(field(r, "performed_at").substr(0, 16), 17) + fixed_width(field(r, "order"), 12) +
         fixed_width(field(r, "credential"), 14) + fixed_width(field(r, "affiliate"), 24) +
         fixed_width(field(r, "code"), 8) + fixed_width(field(r, "description"), 30) + fixed_width(field(r, "qty"), 4) +
         fixed_width(field(r, "total"), 12) + fixed_width(field(r, "copay"), 11) + field(r, "covered");
}

}  // namespace

std::string register_csv(const Json& rows) {
  return csv(kRegisterColumns, rows_of(rows));
}

std::string register_html(const Json& rows, const std::string& provider) {
  static const std::vector<std::pair<const char*, const char*>> kColumns = {{"time", "Fecha"},
                                                                            {"transaction", "Transacci&oacute;n"},
                                                                            {"credential", "Credencial"},
                                                                            {"affiliate", "Afiliado"},
                                                                            {"code", "Pr&aacute;ctica"},
                                                                            {"description", "Descripci&oacute;n"},
                                                                            {"tooth", "Pieza"},
                                                                            {"faces", "Caras"},
                                                                            {"qty", "Cant."},
                                                                            {"status", "Estado"},
                                                                            {"total", "Total"},
                                                                            {"copay", "Coseguro"},
                                                                            {"covered", "A cargo OS"},
                                                                            {"channel", "Canal"},
                                                                            {"registered_by", "Registr&oacute;"},
                                                                            {"authorized_by", "Autoriz&oacute;"},
                                                                            {"emitted_by", "Emiti&oacute;"},
                                                                            {"annulled_by", "Anul&oacute;"}};
  const std::string title = "Registro de autorizaciones - " + html_escape(provider);
  std::string out = "<!DOCTYPE html>\n<html lang=\"es\"><head><meta charset=\"utf-8\"><title>" + title +
                    "</title>\n<style>body{font-family:sans-serif}table{border-collapse:collapse;font-size:12px}"
                    "th,td{border:1px solid #999;padding:2px 6px}td.n{text-align:right}</style></head>\n<body><h1>" +
                    title + "</h1>\n<table><thead><tr>";
  for (const auto& [key, label] : kColumns) out += std::string("<th>") + label + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const Json& row : rows_of(rows)) {
    out += "<tr>";
    for (const auto& [key, label] : kColumns) {
      const bool number = std::string_view(key) == "total" || std::string_view(key) == "copay" ||
                          std::string_view(key) == "covered" || std::string_view(key) == "qty";
      out += (number ? "<td class=\"n\">" : "<td>") + html_escape(field(row, key)) + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</tbody></table>\n<p>" + std::to_string(rows_of(rows).size()) + " filas</p></body></html>\n";
}

std::string register_pdf(const Json& rows, const std::string& provider) {
  std::vector<std::string> lines = {fixed_width("Fecha", 17) + fixed_width("Transacc.", 12) +
                                        fixed_width("Credencial", 14) + fixed_width("Afiliado", 24) +
                                        fixed_width("Pract.", 8) + fixed_width("Pieza", 7) + fixed_width("Cant", 4) +
                                        fixed_width("Estado", 13) + fixed_width("Total", 12) +
                                        fixed_width("Coseguro", 11) + fixed_width("Canal", 9) + "Anulo",
                                    std::string(150, '-')};
  for (const Json& row : rows_of(rows)) lines.push_back(register_line(row));
  lines.push_back(std::to_string(rows_of(rows).size()) + " filas");
  return projections::text_pdf("Registro de autorizaciones - " + provider, lines, true);
}

std::string billing_csv(const Json& billing) {
  std::string out = csv(kBillingColumns, rows_of(billing));
  if (billing.is_object() && billing.contains("totals")) {
    // A last row with the totals under their columns.
    const Json& t = billing["totals"];
    out += "TOTAL,,," + csv_cell(field(t, "items")) + " items,,,,,,,," + csv_cell(field(t, "professional")) + "," +
           csv_cell(field(t, "expenses")) + "," + csv_cell(field(t, "total")) + "," + csv_cell(field(t, "copay")) +
           "," + csv_cell(field(t, "covered")) + "\r\n";
  }
  return out;
}

std::string billing_pdf(const Json& billing) {
  const std::string provider = field(billing, "provider");
  const std::string name = field(billing, "provider_name");
  const bool closed = billing.is_object() && billing.value("closed", false);
  std::string title = "Facturacion " + provider + (name.empty() ? "" : " " + name) + " - " + field(billing, "month") +
                      (closed ? " (CERRADO)" : "");
  std::vector<std::string> lines = {
      fixed_width("Realizada", 17) + fixed_width("Orden", 12) + fixed_width("Credencial", 14) +
          fixed_width("Afiliado", 24) + fixed_width("Pract.", 8) + fixed_width("Descripcion", 30) +
          fixed_width("Cant", 4) + fixed_width("Total", 12) + fixed_width("Coseguro", 11) + "A cargo OS",
      std::string(150, '-')};
  for (const Json& row : rows_of(billing)) lines.push_back(billing_line(row));
  lines.push_back(std::string(150, '-'));
  if (billing.is_object() && billing.contains("totals")) {
    const Json& t = billing["totals"];
    lines.push_back("Items: " + field(t, "items") + "   Honorarios: " + field(t, "professional") +
                    "   Gastos: " + field(t, "expenses") + "   Total: " + field(t, "total") +
                    "   Coseguro: " + field(t, "copay") + "   A cargo OS: " + field(t, "covered"));
  }
  return projections::text_pdf(title, lines, true);
}

}  // namespace autoriza

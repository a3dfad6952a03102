// CSV exports of register pages and billing answers (reports.h): the JSON's
// fields as they are, for programs.
#include <nlohmann/json.hpp>
#include <vector>

#include "adapters/print/json_fields.h"
#include "adapters/print/reports.h"

namespace autoriza::print {
namespace {

using Json = nlohmann::json;

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

const std::vector<const char*> kRegisterColumns = {
    "transaction", "time",         "credential", "affiliate", "code",          "description",
    "tooth",       "faces",        "qty",        "status",    "professional",  "expenses",
    "total",       "copay",        "covered",    "channel",   "registered_by", "authorized_by",
    "consumption", "performed_at", "emitted_by", "annulment", "annulled_by",   "annul_reason"};

const std::vector<const char*> kBillingColumns = {
    "order", "consumption", "index", "performed_at", "credential", "affiliate", "code",  "description",
    "qty",   "tooth",       "faces", "professional", "expenses",   "total",     "copay", "covered"};

}  // namespace

std::string register_csv(const Json& rows) {
  return csv(kRegisterColumns, rows_of(rows));
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

}  // namespace autoriza::print

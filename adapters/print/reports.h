#pragma once
// The register and the billing of a provider as files (GET
// /v1/providers/{id}/register and .../billing/{YYYY-MM} with format=csv,
// html, pdf or txt). The projections answer rows as JSON; these functions
// only lay them out.
//
// PDF, HTML and TXT are for people: Spanish headers with accents, statuses
// in Spanish ("Requiere auditoría"), dates dd/mm/aaaa hh:mm, money
// "$ 1.234,56", descriptions, tooth and faces, totals. The PDF is landscape
// A4 with the header row on every page.
// CSV is for programs and stays as the JSON says (ISO-8601 times, "180.00"
// amounts, status codes): RFC 4180, CRLF line ends, a field quoted when it
// holds a comma, quote or line end, and a text that starts with = + @ gets a
// leading ' so spreadsheets do not run it.
#include <nlohmann/json.hpp>
#include <string>

namespace autoriza::print {

// rows: a register page ({"items": [...], "next": ...}, as
// Projections::register_rows answers) or its items alone.
std::string register_csv(const nlohmann::json& rows);
std::string register_html(const nlohmann::json& rows, const std::string& provider);
std::string register_txt(const nlohmann::json& rows, const std::string& provider);
// Empty only when cairo failed (layout.h).
std::string register_pdf(const nlohmann::json& rows, const std::string& provider);

// billing: the answer of Projections::billing (provider, month, closed,
// items, late_items, totals, truncated).
std::string billing_csv(const nlohmann::json& billing);
std::string billing_html(const nlohmann::json& billing);
std::string billing_txt(const nlohmann::json& billing);
std::string billing_pdf(const nlohmann::json& billing);  // empty only when cairo failed

}  // namespace autoriza::print

#pragma once
// Reading the projections' JSON rows as text, for the documents of
// reports.h: a missing field or null is "", numbers as JSON writes them.
#include <nlohmann/json.hpp>
#include <string>

namespace autoriza::print {

// The rows of a listing ({"items": [...]}) or the array itself; else none.
inline const nlohmann::json& rows_of(const nlohmann::json& rows) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  if (rows.is_array()) return rows;
  if (rows.is_object() && rows.contains("items") && rows["items"].is_array()) return rows["items"];
  return kEmpty;
}

inline std::string text_of(const nlohmann::json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

inline std::string field(const nlohmann::json& row, const char* name) {
  return row.is_object() && row.contains(name) ? text_of(row[name]) : "";
}

}  // namespace autoriza::print

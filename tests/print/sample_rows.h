#pragma once
// Register pages and billing answers shaped as the projections answer them
// (tests/projections/golden/answers.txt), made up so documents can be read
// back with every kind of row: authorized, consumed, refused with reasons,
// annulled, dental with tooth and faces, and long descriptions.
#include <nlohmann/json.hpp>
#include <string>

namespace autoriza::testing {

inline nlohmann::json register_row(int i) {
  using Json = nlohmann::json;
  static const char* const kStatuses[] = {"AUTHORIZED", "CONSUMED", "REJECTED", "ANNULLED"};
  const std::string status = kStatuses[i % 4];
  const bool dental = i % 5 == 0;
  Json r = {
      {"transaction", "T-0-" + std::to_string(100 + i / 3)},
      {"order", status == "REJECTED" ? Json(nullptr) : Json("T-0-" + std::to_string(100 + i / 3))},
      {"index", i % 3},
      {"time", "2026-11-" + std::string(i % 28 < 9 ? "0" : "") + std::to_string(i % 28 + 1) + "T09:4" +
                   std::to_string(i % 10) + ":00-03:00"},
      {"credential", "11000078385" + std::to_string(i % 4 + 1)},
      {"affiliate", i % 2 ? "CATALDI, MARIA LAURA" : "AFILIADO DE PRUEBA DE SISTEMAS, CARLOS"},
      {"code", dental ? "20900" : "000858"},
      {"description", dental ? "OBTURACION CON RESINAS COMPOSITE CAVIDAD COMPUESTA"
                             : "SCREENING NEONATAL (TSH FA TIR GALACTOSEMIA 17-OHP) POR "
                               "ESPECTROFOTOMETRIA DE MASAS EN TANDEM, MUESTRA EN PAPEL DE FILTRO"},
      {"tooth", dental ? Json(17) : Json(nullptr)},
      {"faces", dental ? Json("OM") : Json(nullptr)},
      {"qty", 1},
      {"status", status},
      {"professional", "0.00"},
      {"expenses", "1450.00"},
      {"total", "1450.00"},
      {"copay", "290.00"},
      {"covered", "1160.00"},
      {"channel", "http"},
      {"registered_by", "LAB127"},
      {"authorized_by", status == "REJECTED" ? Json(nullptr) : Json(i % 7 ? "AUTOMATIC" : "auditor:AUD1")},
      {"sap", i % 7 ? Json(nullptr) : Json("SAP-0-" + std::to_string(i))},
      {"consumption", status == "CONSUMED" ? Json("T-0-" + std::to_string(500 + i)) : Json(nullptr)},
      {"performed_at", status == "CONSUMED" ? Json("2026-11-20T11:00:00-03:00") : Json(nullptr)},
      {"emitted_by", status == "CONSUMED" ? Json("LAB127") : Json(nullptr)},
      {"annulment", status == "ANNULLED" ? Json("T-0-" + std::to_string(900 + i)) : Json(nullptr)},
      {"annulled_at", status == "ANNULLED" ? Json("2026-11-21T08:15:00-03:00") : Json(nullptr)},
      {"annulled_by", status == "ANNULLED" ? Json("LAB127") : Json(nullptr)},
      {"annul_reason", status == "ANNULLED" ? Json("error de carga: el afiliado presentó otra orden") : Json(nullptr)},
      {"order_status", status},
      {"reasons", Json::array()}};
  if (status == "REJECTED") {
    r["reasons"].push_back(
        {{"code", "AGE_NOT_ALLOWED"}, {"message", "Edad del afiliado fuera del rango de la practica"}});
  }
  return r;
}

// A register page of n rows ({"items", "next"}).
inline nlohmann::json register_page(int n, bool more = false) {
  nlohmann::json items = nlohmann::json::array();
  for (int i = 0; i < n; ++i) items.push_back(register_row(i));
  return {{"items", items}, {"next", more ? nlohmann::json("cursor") : nlohmann::json(nullptr)}};
}

// November 2026 of LAB127, closed, with three items and one late arrival.
inline nlohmann::json billing_answer() {
  using Json = nlohmann::json;
  auto item = [](const char* order, const char* consumption, const char* code, const char* description, Json tooth,
                 Json faces, const char* professional, const char* expenses, const char* total, const char* copay,
                 const char* covered) {
    return Json{{"order", order},
                {"consumption", consumption},
                {"index", 0},
                {"performed_at", "2026-11-02T12:00:00-03:00"},
                {"credential", "110000783852"},
                {"affiliate", "CATALDI, MARIA LAURA"},
                {"code", code},
                {"description", description},
                {"qty", 1},
                {"tooth", tooth},
                {"faces", faces},
                {"professional", professional},
                {"expenses", expenses},
                {"total", total},
                {"copay", copay},
                {"covered", covered}};
  };
  Json items = Json::array({item("T-0-3", "T-0-4", "000118", "ACTO BIOQUIMICO", nullptr, nullptr, "180.00", "0.00",
                                 "180.00", "36.00", "144.00"),
                            item("T-0-3", "T-0-4", "000003", "ACTO BIOQUIMICO ADMINISTRATIVO POR VALIDACION", nullptr,
                                 nullptr, "0.00", "26.90", "26.90", "5.38", "21.52"),
                            item("T-0-7", "T-0-8", "20900", "OBTURACION CON RESINAS COMPOSITE CAVIDAD COMPUESTA", 17,
                                 "OM", "22815.97", "0.00", "22815.97", "6844.79", "15971.18")});
  Json late = Json::array({item("T-0-17", "T-0-18", "000012", "ACIDO URICO", nullptr, nullptr, "0.00", "53.80", "53.80",
                                "10.76", "43.04")});
  return {{"provider", "LAB127"},
          {"provider_name", "PINTADO ALBERTO EDUARDO"},
          {"month", "2026-11"},
          {"closed", true},
          {"closed_at", "2026-12-01T08:00:00-03:00"},
          {"items", items},
          {"late_items", late},
          {"totals",
           {{"items", 3},
            {"professional", "22995.97"},
            {"expenses", "26.90"},
            {"total", "23022.87"},
            {"copay", "6886.17"},
            {"covered", "16136.70"}}},
          {"truncated", false}};
}

}  // namespace autoriza::testing

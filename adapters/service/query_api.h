#pragma once
// Query endpoints of the JSON API (see query_api.cc for the routes).
#include <string>
#include <string_view>

#include "adapters/service/service.h"

namespace autoriza {

// Lower-case ASCII letters and digits, accents folded ("Á" -> "a", "ñ" -> "n"),
// everything else a space: the form practice search compares.
std::string fold_for_search(std::string_view text);

Reply search_practices(Engine& engine, std::string_view target);
// GET /v1/diagnoses?q=&limit=: the CIE-10 catalog (diagnoses.csv) by code
// prefix or words, accent- and case-insensitive, in code order.
Reply search_diagnoses(Engine& engine, std::string_view target);
// GET /v1/prescribers/{kind}/{license}: the prescriber's name (the portal
// shows it next to the licence).
Reply get_prescriber(Engine& engine, const std::string& kind, const std::string& license);
Reply close_billing_period(Engine& engine, const std::string& provider, const std::string& month, Millis now);

}  // namespace autoriza

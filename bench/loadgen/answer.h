#pragma once
// Answer: the few facts of an answer that the load generator learns from
// (status, ids, per-item statuses), read either from an engine Result
// (in-process) or from the JSON text of an HTTP answer (docs/rules.md §4-6)
// without building a DOM, so that the client side stays cheap.
#include <array>
#include <cstdint>
#include <string_view>

#include "schemas/results_generated.h"

namespace autoriza::bench {

inline constexpr size_t kAnswerItemsMax = 50;  // docs/rules.md: items hold 1 to 50 entries

struct Answer {
  fb::Status status = fb::Status::NONE;
  // Views into the Result or the JSON text; valid while that lives.
  std::string_view transaction, order, sap;
  size_t item_count = 0;
  std::array<int8_t, kAnswerItemsMax> item_index{};
  std::array<fb::Status, kAnswerItemsMax> item_status{};
};

// Needs result to outlive answer's views.
void answer_from_result(const fb::ResultT& result, Answer* answer);

// Reads the top-level "status", "transaction", "order" and "sap" and the
// "index" and "status" of each element of the top-level "items". Returns
// false for text that is not a JSON object or an unknown status name.
bool answer_from_json(std::string_view json, Answer* answer);

// fb::Status from its name ("AUTHORIZED"); NONE when unknown.
fb::Status status_from_name(std::string_view name);

}  // namespace autoriza::bench

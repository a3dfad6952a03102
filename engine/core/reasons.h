#pragma once
// Reason codes (docs/rules.md §7): their order of listing and the Spanish text
// a provider's screen shows.
#include <string_view>
#include <vector>

#include "schemas/common_generated.h"

namespace autoriza {

using Reason = fb::ReasonCode;

// Position of a code in docs/rules.md §7; lower is listed first.
int reason_rank(Reason code);
// Sorts by rank and removes repeats (several rules may find the same code).
void sort_reasons(std::vector<Reason>& reasons);
std::string_view reason_code_name(Reason code);
std::string_view reason_message(Reason code);

}  // namespace autoriza

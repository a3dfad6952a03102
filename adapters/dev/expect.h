#pragma once
// Scenario step helpers: ${STEP.path} substitution and subset matching.
#include <map>
#include <string>

#include "adapters/codec/codec.h"

namespace autoriza {

using StepAnswers = std::map<std::string, Json>;

// Replaces ${STEP.path} in every string of value. A string that is only one
// reference takes the referenced value as is. Returns false (with why) on an
// unknown step or path.
bool substitute(Json& value, const StepAnswers& answers, std::string* why);

// Looks up "a1.order" or "t1.tokens[0].token" in the answers.
const Json* resolve_reference(const StepAnswers& answers, std::string_view ref);

// expected matches actual as a subset: objects by the keys given, arrays of
// equal length element by element, scalars by equality. why names the first
// mismatch as a path.
bool subset_match(const Json& expected, const Json& actual, const std::string& path, std::string* why);

}  // namespace autoriza

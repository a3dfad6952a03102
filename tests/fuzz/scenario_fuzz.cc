// Fuzz target: the scenario file reader (adapters/dev step.h, expect.h)
// without an engine: each step line is parsed, its ${...} references are
// substituted from the earlier steps (whose "answer" here is their body),
// and its expect is matched against its body.
// Oracles: never throws; substitution failures and mismatches say why.
#include <string>
#include <string_view>

#include "adapters/dev/expect.h"
#include "tests/fuzz/fuzz_targets.h"
#include "adapters/dev/step.h"

namespace autoriza::fuzz {

namespace {

// Bound on the steps of one input (inputs are small; this keeps a run short).
constexpr int kStepsMax = 256;

}  // namespace

int fuzz_scenario(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  StepAnswers answers;
  size_t pos = 0;
  for (int n = 1; pos < text.size() && n <= kStepsMax; ++n) {
    const size_t end = std::min(text.find('\n', pos), text.size());
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!is_step_line(line)) continue;
    ScenarioStep step;
    if (Status s = parse_step(line, "line " + std::to_string(n), &step); !s) {
      AUTORIZA_CHECK(!s.message().empty());
      continue;
    }
    std::string why;
    if (!substitute(step.body, answers, &why) || !substitute(step.expect, answers, &why)) {
      AUTORIZA_CHECK(!why.empty());
      continue;
    }
    why.clear();
    if (!subset_match(step.expect, step.body, "", &why)) AUTORIZA_CHECK(!why.empty());
    AUTORIZA_CHECK(subset_match(step.body, step.body, "", &why));  // a value matches itself
    answers[step.id] = step.body;
  }
  return 0;
}

}  // namespace autoriza::fuzz

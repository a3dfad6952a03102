#pragma once
// One line of a scenario file (docs/scenarios.md), JSON Lines:
//   {"step": "a1", "at": "2026-11-02T10:00:00-03:00", "command": "authorize",
//    "body": {...}, "expect": {...}}
// `step` (optional: defaults to "file:line") names the answer for later
// ${a1.path} references; `at` is ISO-8601 with offset (the engine's clock);
// `command` is a command name or "query" (body.path is a GET path); `body`
// and `expect` default to {}. Blank lines and lines starting with '#' carry
// no step.
#include <string>
#include <string_view>

#include "engine/core/clock.h"
#include "adapters/codec/codec.h"
#include "engine/core/status.h"

namespace autoriza {

struct ScenarioStep {
  std::string id;
  std::string command;
  Millis at{0};
  Json body;
  Json expect;
};

// Whether a line carries a step (not blank, not a '#' comment).
bool is_step_line(std::string_view line);

// Parses one step line. default_id names a step without "step".
// Returns an invalid-request Status saying what is wrong with the line;
// never throws.
Status parse_step(std::string_view line, const std::string& default_id, ScenarioStep* out);

}  // namespace autoriza

// One line of a scenario file (adapters/dev/step.h): fields of the
// wrong type are a clear failure of the step, never an exception (the
// runner used to throw on {"step": 1}; regressions/scenario/ keeps the input).
#include <gtest/gtest.h>

#include "adapters/dev/step.h"

namespace autoriza {
namespace {

TEST(ScenarioStep, ReadsAStepWithDefaults) {
  ScenarioStep step;
  ASSERT_TRUE(parse_step(R"({"at":"2026-11-02T10:00:00-03:00","command":"eligibility"})", "f.jsonl:3", &step));
  EXPECT_EQ(step.id, "f.jsonl:3");
  EXPECT_EQ(step.command, "eligibility");
  EXPECT_EQ(step.at, *parse_instant("2026-11-02T10:00:00-03:00"));
  EXPECT_EQ(step.body, Json::object());
  EXPECT_EQ(step.expect, Json::object());
}

TEST(ScenarioStep, WrongTypesAndMissingFieldsAreRefusedWithoutThrowing) {
  for (const char* line : {R"({"step":1,"at":"2026-11-02T10:00:00-03:00","command":"eligibility"})",
                           R"({"step":"s","at":["x"],"command":"eligibility"})",
                           R"({"step":"s","at":"2026-11-02T10:00:00-03:00","command":{"a":1}})",
                           R"({"step":"s","at":"yesterday","command":"eligibility"})",
                           R"({"step":"s","at":"2026-11-02T10:00:00-03:00"})", R"([1,2])", R"({"step":)"}) {
    ScenarioStep step;
    Status s;
    EXPECT_NO_THROW(s = parse_step(line, "x", &step)) << line;
    EXPECT_EQ(s.kind(), StatusKind::kInvalidRequest) << line;
    EXPECT_FALSE(s.message().empty());
  }
}

TEST(ScenarioStep, CommentsAndBlankLinesCarryNoStep) {
  EXPECT_FALSE(is_step_line(""));
  EXPECT_FALSE(is_step_line("  \t\r"));
  EXPECT_FALSE(is_step_line("  # a comment"));
  EXPECT_TRUE(is_step_line(" {}"));
}

}  // namespace
}  // namespace autoriza

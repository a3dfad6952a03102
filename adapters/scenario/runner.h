#pragma once
// `autoriza scenario`: conformance scenarios of SPEC section 9. Each file runs
// in a fresh embedded store loaded with the reference data of --data; every
// step goes through the same JSON service as HTTP, with the step's `at` as
// the engine's clock. Prints failing steps (expected and actual) and, last,
// one line "N passed, M failed".
#include <filesystem>
#include <iosfwd>
#include <vector>

namespace autoriza {

struct ScenarioOptions {
  std::filesystem::path data;
  std::vector<std::filesystem::path> files;
  bool verbose = false;  // print every step, not only failures
};

struct ScenarioTotals {
  int passed = 0;
  int failed = 0;
};

ScenarioTotals run_scenarios(const ScenarioOptions& options, std::ostream& out);

}  // namespace autoriza

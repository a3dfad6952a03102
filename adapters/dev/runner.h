#pragma once
// `autoriza scenario`: conformance scenarios of docs/scenarios.md. Each file runs
// in a fresh embedded store loaded with the reference data of --data and
// given the development keys `serve` creates (STORE/dev-keys.csv); every step
// goes through the same authenticated JSON service path as HTTP, with the
// key of the principal it belongs to (step_keys.h) and the step's `at` as
// the engine's clock. Prints failing steps (expected and actual) and, last,
// one line "N passed, M failed".
#include <filesystem>
#include <iosfwd>
#include <functional>
#include <memory>
#include <vector>

#include "engine/engine.h"

namespace autoriza {

// Another way to the engine for every file (Kafka cluster mode): made with
// the file's fresh engine (reference data loaded) and temp dir; lives while
// the file runs; query steps call sync() before reading.
class ScenarioTransport {
 public:
  virtual ~ScenarioTransport() = default;
  virtual Status sync() = 0;
};
using ScenarioTransportFactory = std::function<std::unique_ptr<ScenarioTransport>(
    Engine& engine, const std::filesystem::path& dir, const std::vector<fb::ReferenceRecordUnion>& reference,
    Status* status)>;

struct ScenarioOptions {
  std::filesystem::path data;
  std::vector<std::filesystem::path> files;
  bool verbose = false;  // print every step, not only failures
  ScenarioTransportFactory transport;  // empty: the embedded engine
};

struct ScenarioTotals {
  int passed = 0;
  int failed = 0;
};

ScenarioTotals run_scenarios(const ScenarioOptions& options, std::ostream& out);

}  // namespace autoriza

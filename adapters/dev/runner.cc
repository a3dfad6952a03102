#include "adapters/dev/runner.h"

#include <fstream>
#include <future>
#include <iostream>
#include <random>

#include "adapters/dev/expect.h"
#include "engine/core/reference_loader.h"
#include "engine/core/secrets.h"
#include "adapters/service/service.h"
#include "adapters/dev/step.h"
#include "adapters/dev/step_keys.h"

namespace autoriza {

namespace {

namespace fs = std::filesystem;

struct TempStore {
  fs::path dir;
  TempStore() {
    std::random_device rd;
    dir = fs::temp_directory_path() / ("autoriza-scenario-" + std::to_string(rd()) + std::to_string(rd()));
  }
  ~TempStore() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

// Steps that are routes of the affiliates' accounts rather than commands of
// POST /v1/<command> (docs/scenarios.md): the step's command -> the route.
const char* account_route(const std::string& command) {
  if (command == "register") return "/v1/registrations";
  if (command == "register_confirm") return "/v1/registrations/confirm";
  if (command == "password_recovery") return "/v1/password_recovery";
  if (command == "password_recovery_confirm") return "/v1/password_recovery/confirm";
  return nullptr;
}

// Sends one step with api_key through the service's authenticated path, as
// the HTTP adapter does.
Reply run_step(Service& service, ScenarioTransport* transport, const std::string& command, const Json& body, Millis at,
               const std::string& api_key) {
  std::promise<Reply> promise;
  auto future = promise.get_future();
  auto done = [&promise](Reply r) { promise.set_value(std::move(r)); };
  const Caller caller{api_key, nullptr};
  if (command == "query") {
    const Json* path = body.is_object() && body.contains("path") ? &body["path"] : nullptr;
    if (!path || !path->is_string()) return error_reply(400, "INVALID_REQUEST", "query needs body.path", "body.path");
    if (transport) {
      if (Status s = transport->sync(); !s) return reply_for(s);
    }
    // Projections are caught up first (docs/rules.md, projections).
    if (Status s = service.catch_up_projections(); !s) return reply_for(s);
    service.request(caller, "GET", path->get<std::string>(), "", at, done);
  } else if (const char* route = account_route(command)) {
    service.request(caller, "POST", route, body.dump(), at, done);
  } else {
    service.post(caller, command, body.dump(), at, done);
  }
  return future.get();
}

// Checks one answer against expect; why says what differs.
bool check(const Json& expect, const Reply& reply, const Json& answer, std::string* why) {
  const bool wants_error = expect.is_object() && expect.size() == 1 && expect.contains("error") && expect["error"].is_string();
  if (wants_error) {
    const Json* code = answer.contains("error") ? &answer["error"]["code"] : nullptr;
    if (reply.status == 200 || !code || *code != expect["error"]) {
      *why = "expected error " + expect["error"].get<std::string>() + ", got HTTP " + std::to_string(reply.status);
      return false;
    }
    return true;
  }
  if (reply.status != 200) {
    *why = "expected an answer, got HTTP " + std::to_string(reply.status);
    return false;
  }
  return subset_match(expect, answer, "", why);
}

class FileRun {
 public:
  FileRun(Service& service, ScenarioTransport* transport, StepKeys& keys, std::ostream& out, const fs::path& file,
          bool verbose)
      : service_(service), transport_(transport), keys_(keys), out_(out), file_(file), verbose_(verbose) {}

  void step(const std::string& line, int line_number, ScenarioTotals& totals) {
    const std::string where = file_.filename().string() + ":" + std::to_string(line_number);
    ScenarioStep step;
    if (Status st = parse_step(line, where, &step); !st) return fail(totals, where, st.to_string());
    const std::string& id = step.id;
    Json& body = step.body;
    Json& expect = step.expect;
    std::string why;
    if (!substitute(body, answers_, &why) || !substitute(expect, answers_, &why)) return fail(totals, where + " " + id, why);
    const std::string& command = step.command;
    const Millis at = step.at;
    std::string key;
    if (Status st = keys_.key_for(command, body, &key); !st) return fail(totals, where + " " + id, st.to_string());
    const Reply reply = run_step(service_, transport_, command, body, at, key);
    Json answer;
    if (!parse_json(reply.body, &answer)) answer = reply.body;
    answers_[id] = answer;
    if (!check(expect, reply, answer, &why)) {
      out_ << "FAIL " << where << " step " << id << ": " << why << "\n  expected: " << expect.dump()
           << "\n  actual:   " << answer.dump() << "\n";
      ++totals.failed;
      return;
    }
    if (verbose_) out_ << "ok   " << where << " step " << id << "\n";
    ++totals.passed;
  }

 private:
  void fail(ScenarioTotals& totals, const std::string& where, const std::string& why) {
    out_ << "FAIL " << where << ": " << why << "\n";
    ++totals.failed;
  }

  Service& service_;
  ScenarioTransport* transport_;
  StepKeys& keys_;
  std::ostream& out_;
  fs::path file_;
  bool verbose_;
  StepAnswers answers_;
};

void run_file(const ScenarioOptions& options, const fs::path& file, std::ostream& out, ScenarioTotals& totals) {
  std::ifstream in(file);
  if (!in) {
    out << "FAIL " << file.string() << ": cannot read the file\n";
    ++totals.failed;
    return;
  }
  TempStore store;
  Status status;
  EngineOptions eo;
  eo.store = store.dir;
  eo.sync = false;  // a throw-away store: durability is tested elsewhere
  eo.keys = std::make_shared<const KeyRing>(KeyRing::generate_dev());
  auto engine = Engine::open(eo, &status);
  ReferenceLoad load;
  if (status) {
    load = load_reference_dir(options.data, *engine->reference());
    if (!load.ok()) {
      status = Status::invalid("reference data in " + options.data.string() + " is rejected");
      for (const auto& f : load.files) {
        for (const auto& e : f.errors) out << "  " << e << "\n";
      }
    }
  }
  ReferenceLoadStats stats;
  if (status) status = engine->load_reference(load.records, &stats);
  StepKeys keys;
  if (status) status = StepKeys::create(*engine, store.dir, &keys);
  if (!status) {
    out << "FAIL " << file.string() << ": " << status.to_string() << "\n";
    ++totals.failed;
    return;
  }
  std::unique_ptr<ScenarioTransport> transport;
  if (options.transport) {
    transport = options.transport(*engine, store.dir, load.records, &status);
    if (!status) {
      out << "FAIL " << file.string() << ": " << status.to_string() << "\n";
      ++totals.failed;
      return;
    }
  }
  Service service(*engine, store.dir / "outbox.jsonl");
  service.set_channel("scenario");
  FileRun run(service, transport.get(), keys, out, file, options.verbose);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!is_step_line(line)) continue;
    run.step(line, number, totals);
  }
}

}  // namespace

ScenarioTotals run_scenarios(const ScenarioOptions& options, std::ostream& out) {
  ScenarioTotals totals;
  for (const auto& file : options.files) {
    const ScenarioTotals before = totals;
    run_file(options, file, out, totals);
    out << file.filename().string() << ": " << totals.passed - before.passed << " passed, "
        << totals.failed - before.failed << " failed\n";
  }
  out << totals.passed << " passed, " << totals.failed << " failed\n";
  return totals;
}

}  // namespace autoriza

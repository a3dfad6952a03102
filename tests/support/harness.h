#pragma once
// Test harness: an engine on a fresh temporary store with the test fixtures
// loaded, driven through the JSON service (the same path as HTTP).
#include <filesystem>
#include <future>
#include <random>
#include <string>

#include "adapters/codec/codec.h"
#include "engine/core/reference_loader.h"
#include "engine/core/secrets.h"
#include "adapters/service/service.h"

namespace autoriza::testing {

// The local time most tests run their commands at.
inline constexpr const char* kAt = "2026-11-02T10:00:00-03:00";

inline std::filesystem::path temp_dir(const std::string& tag) {
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() /
             ("autoriza-" + tag + "-" + std::to_string(rd()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  return dir;
}

class Harness {
 public:
  // tune: changes the engine's options before each open (fault injection).
  explicit Harness(PartitionId partitions = 1, std::filesystem::path dir = {},
                   std::function<void(EngineOptions&)> tune = {})
      : tune_(std::move(tune)) {
    dir_ = dir.empty() ? temp_dir("test") : dir;
    owns_dir_ = dir.empty();
    open(partitions);
    ReferenceLoad load = load_reference_dir(AUTORIZA_TEST_FIXTURES, *engine_->reference());
    AUTORIZA_CHECK(load.ok());
    ReferenceLoadStats stats;
    AUTORIZA_CHECK(engine_->load_reference(load.records, &stats).is_ok());
  }
  ~Harness() {
    service_.reset();
    engine_.reset();
    std::error_code ec;
    if (owns_dir_) std::filesystem::remove_all(dir_, ec);
  }

  // Closes the engine (the store stays); open() reopens it.
  void close() {
    service_.reset();
    engine_.reset();
  }

  void open(PartitionId partitions) {
    close();
    EngineOptions o;
    o.store = dir_;
    o.partitions = partitions;
    o.sync = false;
    static const auto keys = std::make_shared<const KeyRing>(KeyRing::generate_dev());
    o.keys = keys;
    if (tune_) tune_(o);
    Status s;
    engine_ = Engine::open(o, &s);
    AUTORIZA_CHECK(engine_ != nullptr);
    service_ = std::make_unique<Service>(*engine_);
  }

  // Runs a command at a local time ("2026-11-02T10:00:00-03:00"); returns the
  // answer, or {"error": ..., "http": status} for an error.
  Json run(const std::string& command, const Json& body, const std::string& at) {
    std::promise<Reply> promise;
    auto future = promise.get_future();
    service_->post(command, body.dump(), *parse_instant(at), [&](Reply r) { promise.set_value(std::move(r)); });
    Reply reply = future.get();
    last_status_ = reply.status;
    Json j = Json::parse(reply.body);
    if (reply.status != 200) j["http"] = reply.status;
    return j;
  }

  // Any request of the HTTP API (Service::request); raw body in *raw.
  Json request(const std::string& method, const std::string& target, const Json& body, const std::string& at,
               std::string* raw = nullptr, std::string* content_type = nullptr) {
    std::promise<Reply> promise;
    auto future = promise.get_future();
    service_->request(method, target, body.is_null() ? "" : body.dump(), *parse_instant(at),
                      [&](Reply r) { promise.set_value(std::move(r)); });
    Reply reply = future.get();
    last_status_ = reply.status;
    if (raw) *raw = reply.body;
    if (content_type) *content_type = reply.content_type;
    if (reply.content_type != "application/json") return nullptr;
    Json j = Json::parse(reply.body);
    if (reply.status != 200) j["http"] = reply.status;
    return j;
  }

  Service& service() { return *service_; }

  // GET of the HTTP API as ops (Service::request), at a fixed time.
  Json get(const std::string& path) {
    std::promise<Reply> promise;
    auto future = promise.get_future();
    service_->request("GET", path, "", *parse_instant("2026-11-02T10:00:00-03:00"),
                      [&](Reply r) { promise.set_value(std::move(r)); });
    Reply reply = future.get();
    last_status_ = reply.status;
    return Json::parse(reply.body);
  }

  // Stores a small PDF as provider sent it (the documents store of the
  // service); returns its hash, for a command's documents.
  std::string upload(const std::string& provider, const std::string& text = "documento de prueba") {
    documents::StoredDocument stored;
    const Status s = service_->documents().put("%PDF-1.4\n% " + text + "\n%%EOF\n", "application/pdf", provider,
                                               *parse_instant("2026-11-02T10:00:00-03:00"), &stored);
    AUTORIZA_CHECK(s.is_ok());
    return stored.hash;
  }

  int last_status() const { return last_status_; }
  Engine& engine() { return *engine_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::function<void(EngineOptions&)> tune_;
  std::filesystem::path dir_;
  bool owns_dir_ = true;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Service> service_;
  int last_status_ = 0;
};

// Reason codes of a reasons array, in order.
inline std::vector<std::string> codes(const Json& reasons) {
  std::vector<std::string> out;
  for (const auto& r : reasons) out.push_back(r["code"].get<std::string>());
  return out;
}

}  // namespace autoriza::testing

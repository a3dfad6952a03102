#pragma once
// The JSON face of the engine, shared by the HTTP adapter and the scenario
// runner: POST /v1/<command> bodies in, answers (or errors) out.
//
// Status codes: 200 answer (business refusals included), 400 INVALID_REQUEST,
// 404 NOT_FOUND, 409 REQUEST_ID_REUSED, 501 NOT_IMPLEMENTED, 503 UNAVAILABLE.
// Error body: {"error":{"code":"...","message":"...","field":"items[0].qty"}}.
#include <functional>
#include <string>
#include <string_view>

#include "clock.h"
#include "engine.h"

namespace autoriza {

struct Reply {
  int status = 200;
  std::string body;  // JSON text
};

inline constexpr size_t kBodyMaxBytes = 64 * 1024;

class Service {
 public:
  explicit Service(Engine& engine) : engine_(engine) {}

  // command: the path segment after /v1/ ("authorize"). done is called
  // exactly once, possibly on an engine thread, after the event is durable.
  void post(std::string_view command, std::string_view body, Millis now, std::function<void(Reply)> done);

  // GET of the query API: /v1/transactions/{id}, /healthz. Unknown: 404.
  Reply get(std::string_view target);

  Engine& engine() { return engine_; }

 private:
  Engine& engine_;
};

// An error reply: code is INVALID_REQUEST, NOT_FOUND...
Reply error_reply(int status, std::string_view code, std::string_view message, std::string_view field = {});

}  // namespace autoriza

#pragma once
// The JSON face of the engine, shared by the HTTP adapter and the scenario
// runner: POST /v1/<command> bodies in, answers (or errors) out.
//
// Status codes: 200 answer (business refusals included), 400 INVALID_REQUEST
// (unknown commands too), 403 FORBIDDEN, 404 NOT_FOUND, 405 METHOD_NOT_ALLOWED,
// 409 REQUEST_ID_REUSED, 410 GONE, 500 INTERNAL, 503 UNAVAILABLE.
// Error body: {"error":{"code":"...","message":"...","field":"items[0].qty"}}.
#include <functional>
#include <string>
#include <string_view>

#include "auth.h"
#include "clock.h"
#include "engine.h"
#include "outbox.h"
#include "projections.h"

namespace autoriza {

struct Reply {
  int status = 200;
  std::string body;  // JSON text unless content_type says otherwise
  std::string content_type = "application/json";
};

inline constexpr size_t kBodyMaxBytes = 64 * 1024;

class Service {
 public:
  // outbox: where registration and recovery mails are spooled (a projection
  // caught up after each such command); empty: <store>/outbox.jsonl. The
  // read-side projections live in <store>/projections and follow the log
  // from construction on (the engine's commit listener wakes them).
  explicit Service(Engine& engine, std::filesystem::path outbox = {});
  ~Service();

  // command: the path segment after /v1/ ("authorize"). done is called
  // exactly once, possibly on an engine thread, after the event is durable.
  void post(std::string_view command, std::string_view body, Millis now, std::function<void(Reply)> done);

  // GET of the query API: /v1/transactions/{id}, /healthz. Unknown: 404.
  Reply get(std::string_view target);

  // Any request of the HTTP API that is not POST /v1/<command>: the query
  // API above and the affiliate API (cards, credentials, registrations,
  // shares, token sheets; see affiliate_api.cc). done is called exactly once.
  void request(std::string_view method, std::string_view target, std::string_view body, Millis now,
               std::function<void(Reply)> done);

  // The command path of non-JSON adapters (binary TCP): kForbidden unless
  // principal may submit the command (auth::permit_command), then seals the
  // random material it needs and submits it. done is called exactly once,
  // after the event is durable, with the engine's outcome (possibly on an
  // engine thread: hand heavy work to your own threads).
  void submit(const auth::Principal& principal, fb::CommandUnion command, Millis now, Callback done);

  Engine& engine() { return engine_; }
  OutboxProjection& outbox() { return *outbox_; }
  Projections& projections() { return *projections_; }
  // Folds every committed event into the projections (scenario queries).
  void catch_up_projections();

  // Where answers are encoded: the engine calls back on its writer threads,
  // which must not spend time on JSON; an adapter hands its own threads here
  // (the HTTP server posts to its I/O threads). Default: inline.
  using Executor = std::function<void(std::function<void()>)>;
  void set_executor(Executor executor) { executor_ = std::move(executor); }

  // The channel recorded in events of commands this service submits.
  const std::string& channel() const { return channel_; }
  void set_channel(std::string channel) { channel_ = std::move(channel); }

 private:
  // Seals the random material a command needs (the validator draws none).
  Status add_drawn_material(fb::CommandUnion& command);
  void submit_json(fb::CommandUnion command, Millis now, std::function<void(Reply)> done);

  Engine& engine_;
  std::unique_ptr<OutboxProjection> outbox_;
  std::unique_ptr<Projections> projections_;
  std::string channel_ = "http";
  Executor executor_;
};

// An error reply: code is INVALID_REQUEST, NOT_FOUND...
Reply error_reply(int status, std::string_view code, std::string_view message, std::string_view field = {});
// The error reply of a failed Status (400, 404, 409, 503, 500).
Reply reply_for(const Status& s);

}  // namespace autoriza

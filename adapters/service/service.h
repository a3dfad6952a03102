#pragma once
// The JSON face of the engine, shared by the HTTP adapter and the scenario
// runner: POST /v1/<command> bodies in, answers (or errors) out.
//
// Status codes: 200 answer (business refusals included), 400 INVALID_REQUEST
// (unknown commands too), 403 FORBIDDEN, 404 NOT_FOUND, 405 METHOD_NOT_ALLOWED,
// 409 REQUEST_ID_REUSED, 410 GONE, 500 INTERNAL, 503 UNAVAILABLE (a full
// partition queue: with Retry-After: 1).
// Error body: {"error":{"code":"...","message":"...","field":"items[0].qty"}}.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/auth/auth.h"
#include "adapters/auth/failure_limiter.h"
#include "adapters/auth/trusted_proxies.h"
#include "adapters/auth/rate_limiter.h"
#include "adapters/card/insurer.h"
#include "adapters/documents/documents.h"
#include "engine/core/clock.h"
#include "adapters/service/command_trace.h"
#include "engine/engine.h"
#include "adapters/service/metrics.h"
#include "projections/outbox.h"
#include "projections/projections.h"
#include "adapters/service/portal_sessions.h"

namespace autoriza {

class AccessLog;

struct Reply {
  int status = 200;
  std::string body;  // JSON text unless content_type says otherwise
  std::string content_type = "application/json";
  int64_t retry_after_s = 0;  // > 0: the adapter sends Retry-After (429, 503)
  std::string set_cookie = {};  // non-empty: the adapter sends it as Set-Cookie
  // More headers the HTTP adapter sends as they are (a document's
  // Content-Disposition, Content-Security-Policy...); other adapters ignore them.
  std::vector<std::pair<std::string, std::string>> headers = {};
};

// Who sends a request over a network adapter. The service authenticates the
// API key (auth::authenticate_key) unless a principal is given (a TLS
// client certificate already mapped, or a test); see adapters/auth/auth.h
// for roles and what each may do.
struct Caller {
  std::string_view api_key;                    // "Authorization: Bearer KEY"; empty: none given
  const auth::Principal* principal = nullptr;  // set: already authenticated
  bool admitted = false;  // with principal: already counted against its rate (a routed request)
  // The providers' portal (adapters/service/portal_api.cc): the session
  // cookie's value, the X-CSRF-Token header, and whether the client reached
  // us over TLS (a proxy's X-Forwarded-Proto: https), for the cookie's Secure.
  std::string_view session = {};
  std::string_view csrf = {};
  // The affiliates' app (adapters/service/account_session_api.cc): its
  // session cookie's value (the same X-CSRF-Token header for writes).
  std::string_view account_session = {};
  bool https = false;
  // The request's Content-Type header: what an upload says its bytes are
  // (POST /v1/documents decides by the bytes, and refuses a disagreement).
  std::string_view content_type = {};
  // The client's IP address (failed authentications are limited per
  // address); empty for in-process callers, which are never limited.
  std::string_view address = {};
};

// The affiliates' app's session cookie.
inline constexpr std::string_view kAccountCookie = "autoriza_afiliado";
// The portal's session cookie.
inline constexpr std::string_view kSessionCookie = "autoriza_portal";

// How the service guards its doors.
struct AccessOptions {
  // Off only for experiments: then every caller without a key acts as ops.
  bool authentication = true;
  // Per principal, requests per second and burst (<= 0: unlimited).
  double rate_per_s = 20'000;
  double rate_burst = 40'000;
  // Failed authentications per source address (adapters/auth/failure_limiter.h):
  // beyond auth_failures_max within auth_failures_window_s, 429 (<= 0: no limit).
  int auth_failures_max = auth::FailureLimiter::kFailuresMaxDefault;
  int auth_failures_window_s = int(auth::FailureLimiter::kWindowDefault.count());
  // Reverse proxies whose X-Forwarded-For names the client (HTTP): failed
  // authentications are counted by that client, not by the proxy
  // (adapters/auth/trusted_proxies.h). Empty: none.
  auth::TrustedProxies trusted_proxies;
};

inline constexpr size_t kBodyMaxBytes = 64 * 1024;

// Seconds a refused command's sender waits before sending it again with the
// same request id (HTTP Retry-After, the TCP answer's retry_after_s); 0: it
// is refused for what it says, not for the moment.
constexpr int64_t retry_after_s(StatusKind kind) {
  switch (kind) {
    case StatusKind::kUnavailable: return 1;  // a full queue, a stopping partition
    case StatusKind::kStoreFull: return 10;   // a full disk: until someone frees space
    default: return 0;
  }
}

class Service {
 public:
  // outbox: where registration and recovery mails are spooled (a projection
  // caught up after each such command); empty: <store>/outbox.jsonl. The
  // read-side projections live in <store>/projections and follow the log
  // from construction on (the engine's commit listener wakes them). The
  // documents store is <store>/documents.
  explicit Service(Engine& engine, std::filesystem::path outbox = {});
  ~Service();

  // command: the path segment after /v1/ ("authorize"). done is called
  // exactly once, possibly on an engine thread, after the event is durable.
  // 401 without a valid key, 403 when the caller may not submit it, 429
  // over its rate.
  void post(const Caller& caller, std::string_view command, std::string_view body, Millis now,
            std::function<void(Reply)> done);
  // In-process callers (tests, tools) trusted as ops.
  void post(std::string_view command, std::string_view body, Millis now, std::function<void(Reply)> done) {
    post(Caller{{}, &internal_principal()}, command, body, now, std::move(done));
  }

  // GET /healthz: up, with the partitions and the queue depth.
  Reply health() const;
  // GET /v1/transactions/{id}: a provider's key sees only its own
  // provider's transactions (others answer 404, as unknown ones); a verdict,
  // and the order it issued, are the SAP's provider's.
  Reply get_transaction(const auth::Principal& principal, std::string_view id);
  // GET /v1/transactions/{id}/comprobante.html and .pdf (format "html" or
  // "pdf"): the printable comprobante (adapters/print/comprobante.h), with
  // the access of get_transaction; a verdict counts as its SAP's provider's.
  // 404 for a transaction that has none (token issues, account actions).
  Reply get_comprobante(const auth::Principal& principal, std::string_view id, std::string_view format);

  // Any request of the HTTP API, dispatched by the route table
  // (adapters/service/route_table.h: 401/403/404/405 come from its rows).
  // done is called exactly once. Open rows need no key; others as post().
  void request(const Caller& caller, std::string_view method, std::string_view target, std::string_view body,
               Millis now, std::function<void(Reply)> done);
  void request(std::string_view method, std::string_view target, std::string_view body, Millis now,
               std::function<void(Reply)> done) {
    request(Caller{{}, &internal_principal()}, method, target, body, now, std::move(done));
  }

  // Whether caller may send method target, judged on the request's header
  // alone: authentication, the row's roles and scope (401, 403, 404 for no
  // route), not its rate, which request() counts. An adapter asks before it
  // reads a body over kBodyMaxBytes (an upload), so only a caller who may
  // send one gets to spend the server's memory on it.
  Status admit_header(const Caller& caller, std::string_view method, std::string_view target, Millis now);

  void set_access(const AccessOptions& options);
  const AccessOptions& access() const { return access_; }

  // GET /metrics (role ops): the page, in the Prometheus text format.
  std::string metrics_page() const;
  // Where adapters and Kafka roles register what they add to the page.
  MetricsSources& metrics_sources() { return sources_; }
  // Counts a command an adapter answered itself, before it reached the
  // service (the TCP adapter's shape errors and rate limits), in the
  // metrics and the access log like every other.
  void observe(const CommandTrace& trace, const CommandAnswer& answer);
  // The principal of trusted in-process calls: role ops.
  static const auth::Principal& internal_principal();

  // The command path of non-JSON adapters (binary TCP): kForbidden unless
  // principal may submit the command (auth::permit_command), then seals the
  // random material it needs and submits it, recording channel ("tcp") in
  // its event. done is called exactly once, after the event is durable, with
  // the engine's outcome (possibly on an engine thread: hand heavy work to
  // your own threads). Counted in the metrics and the access log.
  void submit(const auth::Principal& principal, fb::CommandUnion command, Millis now, std::string_view channel,
              Callback done);

  Engine& engine() { return engine_; }
  // Who the insurer is for its affiliates (card, "Datos útiles", links):
  // set before serving, never changed while requests run.
  void set_insurer(card::Insurer insurer) { insurer_ = std::move(insurer); }
  const card::Insurer& insurer() const { return insurer_; }
  PortalSessions& portal_sessions() { return portal_sessions_; }
  // Failed authentications per address, shared by every adapter (HTTP keys
  // and sign-ins, the TCP adapter's AUTH and TLS handshakes).
  auth::FailureLimiter& auth_failures() { return auth_failures_; }
  // 429 when address is over its failed authentications (*retry_after_s set).
  Status check_auth_failures(std::string_view address, int64_t* retry_after_s);
  // The sign-in and code routes' answer to an address over its failed
  // authentications (429 with Retry-After); nullopt when it may try.
  std::optional<Reply> over_auth_failures(std::string_view address);
  // The affiliates' sessions (user: the document; provider: the affiliate's
  // credential): the same in-memory sessions, cookie and CSRF as the portal's.
  PortalSessions& account_sessions() { return account_sessions_; }
  OutboxProjection& outbox() { return *outbox_; }
  Projections& projections() { return *projections_; }
  // The files attached to requests (adapters/documents): <store>/documents.
  documents::DocumentStore& documents() { return *documents_; }
  // Folds every committed event into the outbox and the projections
  // (scenario queries); the first failure, the rest still tried.
  Status catch_up_projections();

  // Where answers are encoded: the engine calls back on its writer threads,
  // which must not spend time on JSON; an adapter hands its own threads here
  // (the HTTP server posts to its I/O threads). Default: inline.
  using Executor = std::function<void(std::function<void()>)>;
  void set_executor(Executor executor) { executor_ = std::move(executor); }

  // The channel recorded in events of commands that come through post()
  // ("http"; the scenario runner's "scenario"). Set before serving.
  const std::string& channel() const { return channel_; }
  void set_channel(std::string channel) { channel_ = std::move(channel); }

 private:
  // Seals the random material a command needs (the validator draws none).
  Status add_drawn_material(fb::CommandUnion& command);
  // The checks of post() before the engine: authentication, rate, name,
  // size, decoding, permission, drawn material. Fills trace as it learns.
  // *channel: what the event records: the service's channel, or
  // "portal:<user>" for a command of a portal session (who did it).
  // kInvalidRequest (Spanish, naming documents[i]) when a command attaches a
  // document that is not stored or that its provider did not send.
  Status check_attached(const fb::CommandUnion& command) const;
  Status prepare_command(const Caller& caller, std::string_view command, std::string_view body, Millis now,
                         CommandTrace& trace, fb::CommandUnion* out, int64_t* retry_after_s, std::string* channel);
  void submit_json(fb::CommandUnion command, Millis now, CommandTrace trace, std::string channel,
                   std::function<void(Reply)> done);
  // Authenticates the caller (a principal of the anonymous role when the
  // route is open and no key was given) and applies its rate limit.
  // method: the request's (a write through a session needs its CSRF token).
  Status admit(const Caller& caller, bool open_route, std::string_view method, Millis now, auth::Principal* out,
               int64_t* retry_after_s);
  // admit() without the rate limit; *limited: whether the rate limit applies
  // to *out (not to anonymous callers of open routes, nor to the internal one).
  // An API key from an address over its failed authentications is not
  // checked: 429 (*retry_after_s set); a key refused counts one failure.
  Status authenticate(const Caller& caller, bool open_route, std::string_view method, Millis now,
                      auth::Principal* out, bool* limited, int64_t* retry_after_s);
  // The principal of a portal session (a provider's, named "portal:<user>").
  // The principal of an affiliate's session (role affiliate, named
  // "afiliado:<credential>", acting for its credential).
  Status admit_account_session(const Caller& caller, bool open_route, std::string_view method, Millis now,
                               auth::Principal* out);
  Status admit_session(const Caller& caller, bool open_route, std::string_view method, Millis now,
                       auth::Principal* out);

  Engine& engine_;
  std::unique_ptr<OutboxProjection> outbox_;
  std::unique_ptr<Projections> projections_;
  std::string channel_ = "http";
  Executor executor_;
  AccessOptions access_;
  // Made with the service (and again by set_access, before serving): never
  // created lazily by the I/O threads, which raced to create it.
  std::unique_ptr<auth::RateLimiter> limiter_ =
      std::make_unique<auth::RateLimiter>(access_.rate_per_s, access_.rate_burst);
  auth::FailureLimiter auth_failures_;
  ServiceMetrics metrics_;
  MetricsSources sources_;
  std::shared_ptr<const AccessLog> access_log_;  // null: no line per command
  PortalSessions portal_sessions_;
  PortalSessions account_sessions_;
  card::Insurer insurer_;
  std::unique_ptr<documents::DocumentStore> documents_;
};

// An error reply: code is INVALID_REQUEST, NOT_FOUND...
Reply error_reply(int status, std::string_view code, std::string_view message, std::string_view field = {});
// The error reply of a failed Status (400, 404, 409, 503, 500).
Reply reply_for(const Status& s);

}  // namespace autoriza

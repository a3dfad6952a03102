#include "adapters/service/service.h"

#include <spdlog/spdlog.h>

#include <memory>

#include "adapters/codec/error_codes.h"
#include "adapters/service/access_log.h"
#include "adapters/service/route_table.h"
#include "adapters/codec/codec.h"
#include "engine/core/secrets.h"

namespace autoriza {

Reply error_reply(int status, std::string_view code, std::string_view message, std::string_view field) {
  Json error = {{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  return Reply{status, Json{{"error", error}}.dump()};
}

Reply reply_for(const Status& s) {
  if (s.is_ok()) return error_reply(500, "INTERNAL", "no answer");
  if (s.kind() == StatusKind::kTimeout) {  // Kafka gateway: the switch retries with the same request id
    Json error = {{"code", "TIMEOUT"}, {"message", s.message()}, {"request_id", s.field()}};
    return Reply{504, Json{{"error", error}}.dump()};
  }
  return error_reply(http_status(s.kind()), error_code_name(s.kind()), s.message(), s.field());
}

Service::Service(Engine& engine, std::filesystem::path outbox) : engine_(engine), access_log_(installed_access_log()) {
  if (outbox.empty()) outbox = engine.options().store / "outbox.jsonl";
  documents_ = std::make_unique<documents::DocumentStore>(engine.options().store / "documents", engine.options().sync);
  outbox_ = std::make_unique<OutboxProjection>(engine.journal(), engine.options().keys, outbox);
  Status s;
  projections_ = Projections::open(engine.journal(), engine.options().store / "projections", &s);
  // A store that opened mostly has room for its projections (opening writes
  // a few KiB); if not, say why before stopping.
  if (!projections_) spdlog::critical("service: cannot open the projections' store: {}", s.to_string());
  AUTORIZA_CHECK(projections_ != nullptr);
  projections_->start();
  engine_.set_commit_listener([p = projections_.get()] { p->notify(); });
}

Service::~Service() {
  engine_.set_commit_listener({});
  projections_.reset();  // stops the follower
}

Status Service::catch_up_projections() {
  Status outbox = outbox_->catch_up();
  Status projections = projections_->catch_up();
  return outbox ? projections : outbox;
}

namespace {

std::vector<uint8_t> bytes_of(const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); }

// Seals freshly drawn random bytes for one context.
std::vector<uint8_t> seal_random(const KeyRing& keys, std::string plain, const std::string& context) {
  std::string sealed = seal(keys, plain, context);
  wipe(&plain);
  return bytes_of(sealed);
}

}  // namespace

Status Service::add_drawn_material(fb::CommandUnion& command) {
  const KeyRing* keys = engine_.options().keys.get();
  if (!keys || keys->empty()) return Status::unavailable("tokens and cards need master keys (AUTORIZA_SECRET_KEYS)");
  constexpr size_t kSecretBytes = 20;      // 160 bits (RFC 4226)
  constexpr int kSpareTokens = 8;          // pre-printed candidates beyond count, for collisions
  if (auto* t = command.AsTokenIssueCmd()) {
    t->sealed_secret = seal_random(*keys, random_bytes(kSecretBytes), "secret:" + t->credential);
    if (t->kind == fb::TokenKind::PREPRINTED) {
      t->sealed_tokens = seal_random(*keys, random_digits(size_t(8 * (t->count + kSpareTokens))), "tokens:" + t->credential);
    }
  } else if (auto* c = command.AsCardIssueCmd()) {
    c->sealed_secret = seal_random(*keys, random_bytes(kSecretBytes), "secret:" + c->credential);
  }
  return Status::ok();
}

namespace {

// The documents a command attaches and the provider that must have sent them.
const std::vector<std::string>* attached_documents(const fb::CommandUnion& c, const std::string** provider) {
  if (auto* x = c.AsAuthorizeCmd()) return *provider = &x->provider, &x->documents;
  if (auto* x = c.AsConsumeCmd()) return *provider = &x->provider, &x->documents;
  if (auto* x = c.AsAuditAnswerCmd()) return *provider = &x->provider, &x->documents;
  return nullptr;
}

}  // namespace

Status Service::check_attached(const fb::CommandUnion& command) const {
  const std::string* provider = nullptr;
  const std::vector<std::string>* hashes = attached_documents(command, &provider);
  for (size_t i = 0; hashes && i < hashes->size(); ++i) {
    if (!documents_->owned_by((*hashes)[i], *provider)) {
      return Status::invalid("El documento " + std::to_string(i + 1) + " no fue enviado por el prestador " + *provider +
                                 ": envíelo antes con POST /v1/documents",
                             "documents[" + std::to_string(i) + "]");
    }
  }
  return Status::ok();
}

void Service::observe(const CommandTrace& trace, const CommandAnswer& answer) {
  const auto latency = std::chrono::steady_clock::now() - trace.started;
  metrics_.record(trace, answer, latency);
  if (access_log_) access_log_->write(trace, answer, latency);
}

void Service::submit(const auth::Principal& principal, fb::CommandUnion command, Millis now, std::string_view channel,
                     Callback done) {
  CommandTrace trace{channel, traced_command(command.type), {}, {}, principal.name};
  trace.set_command(command);
  Status s = auth::permit_command(principal, command, *engine_.reference());
  if (s) s = auth::bind_auditor(principal, &command);
  if (s) s = check_attached(command);
  if (s && (command.type == fb::Command::TokenIssueCmd || command.type == fb::Command::CardIssueCmd)) {
    s = add_drawn_material(command);
  }
  if (!s) {
    observe(trace, refused(http_status(s.kind())));
    return done(Outcome{s, nullptr, false});
  }
  engine_.submit(std::move(command), now, [this, trace = std::move(trace), done = std::move(done)](Outcome o) {
    observe(trace, o.status ? answered(o) : refused(http_status(o.status.kind())));
    done(std::move(o));
  }, std::string(channel));
}

void Service::submit_json(fb::CommandUnion command, Millis now, CommandTrace trace, std::string channel,
                          std::function<void(Reply)> done) {
  const fb::Command type = command.type;
  engine_.submit(std::move(command), now, [this, type, trace = std::move(trace), done = std::move(done)](Outcome o) mutable {
    // Encoded, counted and logged on the adapter's threads, not the writer's.
    auto answer = [this, type, trace = std::move(trace), done = std::move(done), o = std::move(o)]() {
      if (!o.status) {
        Reply r = reply_for(o.status);
        r.retry_after_s = retry_after_s(o.status.kind());
        observe(trace, refused(r.status));
        return done(std::move(r));
      }
      observe(trace, answered(o));
      if (!o.forwarded_answer.empty()) return done(Reply{200, o.forwarded_answer});  // Kafka gateway: rendered by the validator
      done(Reply{200, render_result(type, *o.result)});
    };
    if (executor_) {
      executor_(std::move(answer));
    } else {
      answer();
    }
  }, std::move(channel));
}

Status Service::prepare_command(const Caller& caller, std::string_view command, std::string_view body, Millis now,
                                CommandTrace& trace, fb::CommandUnion* cmd, int64_t* retry_after_s,
                                std::string* channel) {
  auth::Principal principal;
  if (caller.admitted) {
    principal = *caller.principal;
  } else if (Status s = admit(caller, false, "POST", now, &principal, retry_after_s); !s) {
    return s;
  }
  trace.principal = principal.name;
  // A portal session's command records who did it (docs/decisions.md).
  *channel = principal.key_id == "session" ? principal.name : channel_;
  const RouteMatch route = match_route("POST", "/v1/" + std::string(command));
  if (!route.row || !is_command_name(command)) {
    return Status::invalid("unknown command '" + std::string(command) + "'", "command");
  }
  if (body.size() > kBodyMaxBytes) return Status::invalid("body over " + std::to_string(kBodyMaxBytes) + " bytes");
  if (Status s = decode_command_text(command, body, cmd); !s) return s;
  trace.set_command(*cmd);
  // The row's roles, then the command's own fields (its provider, its family).
  if (Status s = permit_route(principal, *route.row, route.params, *engine_.reference()); !s) return s;
  if (Status s = auth::permit_command(principal, *cmd, *engine_.reference()); !s) return s;
  if (Status s = auth::bind_auditor(principal, cmd); !s) return s;
  if (Status s = check_attached(*cmd); !s) return s;
  if (cmd->type == fb::Command::TokenIssueCmd) {
    if (!engine_.reference()->affiliate(cmd->AsTokenIssueCmd()->credential)) {
      return Status::not_found("no affiliate with credential " + cmd->AsTokenIssueCmd()->credential);
    }
    return add_drawn_material(*cmd);
  }
  return Status::ok();
}

void Service::post(const Caller& caller, std::string_view command, std::string_view body, Millis now,
                   std::function<void(Reply)> done) {
  CommandTrace trace{channel_, traced_command(command), {}, {}, {}};
  fb::CommandUnion cmd;
  int64_t retry_after_s = 0;
  std::string channel;
  if (Status s = prepare_command(caller, command, body, now, trace, &cmd, &retry_after_s, &channel); !s) {
    Reply r = reply_for(s);
    r.retry_after_s = retry_after_s;
    observe(trace, refused(r.status));
    return done(std::move(r));
  }
  if (channel != channel_) trace.channel = "portal";
  submit_json(std::move(cmd), now, std::move(trace), std::move(channel), std::move(done));
}

std::string Service::metrics_page() const {
  PrometheusText out;
  metrics_.write(out);
  out.add("autoriza_auth_failures_total", MetricType::kCounter,
          "Failed authentications: API keys, TLS handshakes of the TCP adapter, portal and affiliate sign-ins", {},
          double(auth_failures_.failures_total()));
  out.add("autoriza_auth_failures_limited_total", MetricType::kCounter,
          "Requests and connections refused (429) because their address failed to authenticate too often", {},
          double(auth_failures_.limited_total()));
  write_engine_metrics(out, engine_);
  if (projections_) write_projection_metrics(out, *projections_);
  sources_.write(out);
  return out.text();
}

// 200 even when the store takes no writes: the node still answers reads
// (a probe that restarted it would not give the disk room); "status" and
// "reason" say it, GET /metrics has autoriza_store_writable.
Reply Service::health() const {
  const StoreHealthReport store = engine_.store_health();
  Json body = {{"status", store.writable ? "ok" : "degraded"},
               {"partitions", engine_.options().partitions},
               {"queue_depth", engine_.queue_depth()},
               {"store", {{"writable", store.writable},
                          {"available_bytes", store.available_bytes},
                          {"reserve_bytes", store.reserve_bytes}}}};
  if (!store.writable) {
    body["reason"] = store.reason;
    body["store"]["reason"] = store.reason;
  }
  return Reply{200, body.dump()};
}

}  // namespace autoriza

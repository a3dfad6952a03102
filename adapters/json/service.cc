#include "service.h"

#include <memory>

#include "codec.h"
#include "secrets.h"

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

Service::Service(Engine& engine, std::filesystem::path outbox) : engine_(engine) {
  if (outbox.empty()) outbox = engine.options().store / "outbox.jsonl";
  outbox_ = std::make_unique<OutboxProjection>(engine.journal(), engine.options().keys, outbox);
  Status s;
  projections_ = Projections::open(engine.journal(), engine.options().store / "projections", &s);
  AUTORIZA_CHECK(projections_ != nullptr);  // a store we could open has room for its projections
  projections_->start();
  engine_.set_commit_listener([p = projections_.get()] { p->notify(); });
}

Service::~Service() {
  engine_.set_commit_listener({});
  projections_.reset();  // stops the follower
}

void Service::catch_up_projections() {
  outbox_->catch_up();
  projections_->catch_up();
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

void Service::submit(const auth::Principal& principal, fb::CommandUnion command, Millis now, Callback done) {
  Status s = auth::permit_command(principal, command, *engine_.reference());
  if (s && (command.type == fb::Command::TokenIssueCmd || command.type == fb::Command::CardIssueCmd)) {
    s = add_drawn_material(command);
  }
  if (!s) return done(Outcome{s, nullptr, false});
  engine_.submit(std::move(command), now, std::move(done), channel_);
}

void Service::submit_json(fb::CommandUnion command, Millis now, std::function<void(Reply)> done) {
  const fb::Command type = command.type;
  engine_.submit(std::move(command), now, [this, type, done = std::move(done)](Outcome o) mutable {
    auto answer = [type, done = std::move(done), o = std::move(o)]() {
      if (!o.status) return done(reply_for(o.status));
      if (!o.answer_json.empty()) return done(Reply{200, o.answer_json});  // Kafka gateway: rendered by the validator
      done(Reply{200, encode_result(type, *o.result).dump()});
    };
    if (executor_) {
      executor_(std::move(answer));
    } else {
      answer();
    }
  }, channel_);
}

void Service::post(const Caller& caller, std::string_view command, std::string_view body, Millis now,
                   std::function<void(Reply)> done) {
  auth::Principal principal;
  int64_t retry_after_s = 0;
  if (Status s = admit(caller, false, &principal, &retry_after_s); !s) {
    Reply r = reply_for(s);
    r.retry_after_s = retry_after_s;
    return done(std::move(r));
  }
  if (!is_command_name(command)) {
    done(error_reply(400, "INVALID_REQUEST", "unknown command '" + std::string(command) + "'", "command"));
    return;
  }
  if (body.size() > kBodyMaxBytes) {
    done(error_reply(400, "INVALID_REQUEST", "body over " + std::to_string(kBodyMaxBytes) + " bytes", ""));
    return;
  }
  fb::CommandUnion cmd;
  Status s = decode_command_text(command, body, &cmd);
  if (s) s = auth::permit_command(principal, cmd, *engine_.reference());
  if (!s) {
    done(reply_for(s));
    return;
  }
  if (cmd.type == fb::Command::TokenIssueCmd) {
    if (!engine_.reference()->affiliate(cmd.AsTokenIssueCmd()->credential)) {
      done(error_reply(404, "NOT_FOUND", "no affiliate with credential " + cmd.AsTokenIssueCmd()->credential));
      return;
    }
    if (Status drawn = add_drawn_material(cmd); !drawn) {
      done(reply_for(drawn));
      return;
    }
  }
  submit_json(std::move(cmd), now, std::move(done));
}

Reply Service::get(std::string_view target) {
  const size_t query = target.find('?');
  const std::string_view path = target.substr(0, query);
  if (path == "/healthz") {
    return Reply{200, Json{{"status", "ok"}, {"partitions", engine_.options().partitions},
                           {"queue_depth", engine_.queue_depth()}}.dump()};
  }
  constexpr std::string_view kTransactions = "/v1/transactions/";
  if (path.substr(0, kTransactions.size()) == kTransactions) {
    const std::string_view id = path.substr(kTransactions.size());
    TransactionView view;
    Status s = engine_.transaction(id, &view);
    if (!s) return reply_for(s);
    return Reply{200, encode_transaction(view).dump()};
  }
  return error_reply(404, "NOT_FOUND", "no resource at " + std::string(path));
}

}  // namespace autoriza

// Registration, password recovery, sharing and token sheets of the affiliate
// API (routes listed in affiliate_api.cc), and Service::request, the
// dispatcher of every request that is not POST /v1/<command>.
#include <spdlog/spdlog.h>

#include "adapters/service/admin_api.h"
#include "adapters/service/api_util.h"
#include "adapters/card/card_view.h"
#include "adapters/codec/codec.h"
#include "engine/records.h"
#include "adapters/service/service.h"
#include "engine/state_store.h"
#include "adapters/auditor/page.h"
#include "adapters/service/projection_api.h"
#include "adapters/service/query_api.h"
#include "adapters/card/token_sheet.h"

namespace autoriza {

namespace affiliate_api {
void issue_card(Service& service, const std::string& credential, Millis now, std::function<void(Status, Json)> done);
}

namespace {

using Done = std::function<void(Reply)>;

Status field_string(const Json& j, const char* key, size_t min, size_t max, std::string* out) {
  if (!j.contains(key) || !j[key].is_string()) return Status::invalid(std::string(key) + " is required (a string)", key);
  *out = j[key].get<std::string>();
  if (out->size() < min || out->size() > max) {
    return Status::invalid(std::string(key) + " must have " + std::to_string(min) + " to " + std::to_string(max) + " characters", key);
  }
  return Status::ok();
}

Status field_digits(const Json& j, const char* key, size_t min, size_t max, std::string* out) {
  if (Status s = field_string(j, key, min, max, out); !s) return s;
  if (out->find_first_not_of("0123456789") != std::string::npos) return Status::invalid(std::string(key) + " must be digits", key);
  return Status::ok();
}

// "DDMMYYYY" (OSSEG form) -> local day.
std::optional<LocalDay> parse_ddmmyyyy(const std::string& s) {
  if (s.size() != 8) return std::nullopt;
  return parse_date(s.substr(4, 4) + "-" + s.substr(2, 2) + "-" + s.substr(0, 2));
}

std::vector<uint8_t> seal_for(const KeyRing& keys, std::string plain, const std::string& context) {
  std::vector<uint8_t> out = bytes_of(seal(keys, plain, context));
  wipe(&plain);
  return out;
}

// Keyed hash of a share link "<key id>.<random>"; a link naming no key of
// the ring hashes with the current key (and then matches nothing).
std::string share_hash(const KeyRing& keys, const std::string& link) {
  const size_t dot = link.find('.');
  int id = 0;
  if (dot != std::string::npos && dot > 0 && dot <= 3 && link.substr(0, dot).find_first_not_of("0123456789") == std::string::npos) {
    id = std::stoi(link.substr(0, dot));
  }
  const uint8_t key_id = id > 0 && id < 256 && keys.has(uint8_t(id)) ? uint8_t(id) : keys.current_id();
  return keyed_hash_with(keys, key_id, "share", link);
}

// Decodes an account body into its command; the password is hashed here and
// never goes further in clear.
Status decode_account(const std::string& route, const Json& j, const KeyRing& keys, fb::CommandUnion* out) {
  std::string request_id, document, email, password, code, birth;
  if (Status s = field_string(j, "request_id", 1, 64, &request_id); !s) return s;
  if (Status s = field_digits(j, "document", 7, 8, &document); !s) return s;
  const bool wants_code = route == "confirm" || route == "recovery_confirm";
  if (wants_code) {
    if (Status s = field_digits(j, "code", 6, 6, &code); !s) return s;
  } else {
    if (Status s = field_string(j, "email", 3, 254, &email); !s) return s;
    if (email.find('@') == std::string::npos) return Status::invalid("email is not an email address", "email");
  }
  if (route == "register" || route == "recovery_confirm") {
    if (Status s = field_string(j, "password", 8, 128, &password); !s) return s;
  }
  const std::string context = "code:" + document;
  if (route == "register") {
    if (Status s = field_digits(j, "birth_date", 8, 8, &birth); !s) return s;
    auto day = parse_ddmmyyyy(birth);
    if (!day) return Status::invalid("birth_date must be DDMMYYYY", "birth_date");
    fb::RegisterCmdT c{};
    c.request_id = request_id, c.document = document, c.birth_day = day->value, c.email = email;
    c.password_hash = password_hash(password);
    c.sealed_code = seal_for(keys, random_digits(6), context);
    out->Set(std::move(c));
  } else if (route == "confirm") {
    fb::RegisterConfirmCmdT c{};
    c.request_id = request_id, c.document = document, c.sealed_code = seal_for(keys, code, context);
    out->Set(std::move(c));
  } else if (route == "recovery") {
    fb::PasswordRecoverCmdT c{};
    c.request_id = request_id, c.document = document, c.email = email;
    c.sealed_code = seal_for(keys, random_digits(6), context);
    out->Set(std::move(c));
  } else {
    fb::PasswordResetCmdT c{};
    c.request_id = request_id, c.document = document, c.sealed_code = seal_for(keys, code, context);
    c.password_hash = password_hash(password);
    out->Set(std::move(c));
  }
  wipe(&password);
  wipe(&code);
  return Status::ok();
}

Json account_answer(const fb::ResultT& r) {
  return {{"transaction", r.transaction}, {"status", fb::EnumNameStatus(r.status)}, {"message", r.message}};
}

}  // namespace

namespace account_api {

void post_account(Service& service, const std::string& route, std::string_view body, Millis now, Done done) {
  const KeyRing* keys = keys_of(service.engine());
  if (!keys) return done(error_reply(503, "UNAVAILABLE", "accounts need master keys (AUTORIZA_SECRET_KEYS)"));
  Json j;
  fb::CommandUnion cmd;
  Status s = parse_json(body, &j);
  if (s && !j.is_object()) s = Status::invalid("body must be a JSON object", "");
  if (s) s = decode_account(route, j, *keys, &cmd);
  if (!s) return done(reply_for(s));
  service.engine().submit(std::move(cmd), now, [&service, done = std::move(done)](Outcome o) {
    if (!o.status) return done(reply_for(o.status));
    // The mail with the code, if this command sends one. The command is
    // durable whatever happens here; the outbox's follower retries.
    if (Status s = service.outbox().catch_up(); !s) spdlog::warn("outbox catch-up failed: {}", s.to_string());
    done(Reply{200, account_answer(*o.result).dump()});
  });
}

// POST /v1/affiliates/{credential}/shares and .../shares/{link}/revoke
void post_share(Service& service, const std::string& credential, const std::string& link, std::string_view body, Millis now,
                Done done) {
  const KeyRing* keys = keys_of(service.engine());
  if (!keys) return done(error_reply(503, "UNAVAILABLE", "sharing needs master keys (AUTORIZA_SECRET_KEYS)"));
  Json j;
  std::string request_id, dni;
  Status s = parse_json(body, &j);
  if (s && !j.is_object()) s = Status::invalid("body must be a JSON object", "");
  if (s) s = field_string(j, "request_id", 1, 64, &request_id);
  if (s && link.empty()) s = field_digits(j, "dni", 7, 8, &dni);
  if (!s) return done(reply_for(s));
  fb::CommandUnion cmd;
  if (link.empty()) {
    fb::ShareCreateCmdT c{};
    // The link names the key its hash was made with, so it survives rotations.
    const std::string id = std::to_string(keys->current_id()) + "." + base64url_encode(random_bytes(16));
    c.request_id = request_id, c.credential = credential, c.dni = dni;
    c.link_hash = bytes_of(share_hash(*keys, id));
    c.sealed_link = bytes_of(seal(*keys, id, "share:" + credential));
    cmd.Set(std::move(c));
  } else {
    fb::ShareRevokeCmdT c{};
    c.request_id = request_id, c.credential = credential, c.link_hash = bytes_of(share_hash(*keys, link));
    cmd.Set(std::move(c));
  }
  service.engine().submit(std::move(cmd), now, [done = std::move(done)](Outcome o) {
    if (!o.status) return done(reply_for(o.status));
    Json a = account_answer(*o.result);
    if (!o.result->tokens.empty()) {
      a["link"] = "/v1/shares/" + o.result->tokens[0]->token;
      a["expires"] = format_instant(Millis{o.result->tokens[0]->valid_until_ms});
    }
    done(Reply{200, a.dump()});
  });
}

// GET /v1/shares/{link}?dni=N: the card, only for that DNI, only for 24 h.
void get_share(Service& service, const std::string& link, const std::string& dni, Millis now, Done done) {
  const KeyRing* keys = keys_of(service.engine());
  if (!keys) return done(error_reply(503, "UNAVAILABLE", "sharing needs master keys (AUTORIZA_SECRET_KEYS)"));
  const std::string hash = share_hash(*keys, link);
  std::string value;
  fb::ShareStateT share;
  Status s = service.engine().journal().read_state(StateTable::kShares, hex_of(bytes_of(hash)), &value);
  if (s) s = unpack_record(value, &share);
  if (s.kind() == StatusKind::kNotFound) return done(error_reply(404, "NOT_FOUND", "no such shared card"));
  if (!s) return done(reply_for(s));
  if (share.revoked || now.value >= share.expires_ms) return done(error_reply(410, "GONE", "this shared card has expired or was revoked"));
  if (dni != share.dni) return done(error_reply(403, "FORBIDDEN", "this shared card opens only with the authorized DNI"));
  affiliate_api::issue_card(service, share.credential, now, [done = std::move(done)](Status st, Json card) {
    done(st ? Reply{200, card.dump()} : reply_for(st));
  });
}

// The position of the latest PREPRINTED token issue of an affiliate, from
// its history (the projection), or nullopt.
std::optional<EventPosition> latest_preprinted_issue(Service& service, const std::string& credential) {
  // A failure leaves the history as far as it was folded: the sheet is
  // looked up there, as the follower would have it.
  if (Status s = service.projections().catch_up(); !s) spdlog::warn("projections catch-up failed: {}", s.to_string());
  Json page;
  HistoryQuery q;
  q.limit = kPageLimitMax;
  if (!service.projections().history({credential}, q, &page)) return std::nullopt;
  for (const auto& e : page["items"]) {
    if (e.value("kind", "") == "token_issue" && e.value("token_kind", "") == "PREPRINTED" && e.contains("transaction") &&
        e["transaction"].is_string()) {
      return parse_transaction_id(e["transaction"].get<std::string>());
    }
  }
  return std::nullopt;
}

// GET /v1/affiliates/{credential}/tokens.html|.pdf[?request_id=R]: the sheet
// of the pre-printed tokens that token_issue R gave (default: the latest),
// answered again as a retry of that issue.
void get_token_sheet(Service& service, const std::string& credential, const std::string& request_id, bool pdf, Millis now,
                     Done done) {
  Engine& engine = service.engine();
  auto pos = request_id.empty() ? latest_preprinted_issue(service, credential)
                                : engine.find_request("credential:" + credential, request_id);
  std::string bytes;
  fb::EventT event;
  Status s = pos ? engine.journal().read_event(pos->partition, pos->sequence, &bytes)
                 : Status::not_found("no pre-printed tokens issued " + (request_id.empty() ? "" : "by " + request_id + " ") +
                                     "for " + credential);
  if (s) s = unpack_event(bytes, &event);
  if (s && (event.type != fb::EventType::TOKENS_ISSUED || event.command.AsTokenIssueCmd()->kind != fb::TokenKind::PREPRINTED)) {
    s = Status::not_found("request " + request_id + " issued no pre-printed tokens");
  }
  if (!s) return done(reply_for(s));
  const std::string month = event.command.AsTokenIssueCmd()->month;
  engine.submit(std::move(event.command), now, [&service, credential, month, pdf, now, done = std::move(done)](Outcome o) {
    if (!o.status) return done(reply_for(o.status));
    std::vector<std::string> tokens;
    for (const auto& t : o.result->tokens) tokens.push_back(t->token);
    affiliate_api::issue_card(service, credential, now, [tokens, month, pdf, done](Status st, Json card) {
      if (!st) return done(reply_for(st));
      card::TokenSheet sheet;
      sheet.card.credential = card["credential"], sheet.card.name = card["name"], sheet.card.plan = card["plan"];
      sheet.card.document = "DNI " + card["document"].get<std::string>(), sheet.card.titular = card["titular"];
      sheet.card.cuil = card["cuil"], sheet.card.qr_payload = card["qr_payload"];
      sheet.month = month;
      sheet.tokens = tokens;
      done(pdf ? Reply{200, card::token_sheet_pdf(sheet), "application/pdf"}
               : Reply{200, card::token_sheet_html(sheet), "text/html; charset=utf-8"});
    });
  });
}

}  // namespace account_api

}  // namespace autoriza

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
#include "adapters/print/format_es.h"
#include "engine/core/csv.h"  // utf8_length

namespace autoriza {

namespace affiliate_api {
void issue_card(Service& service, const std::string& credential, Millis now, std::function<void(Status, Json)> done);
}

namespace {

using Done = std::function<void(Reply)>;

// How a field of these bodies is named to the person who typed it: the
// affiliate reads these messages (docs/decisions.md, "Messages").
const char* spoken(std::string_view key) {
  struct Name {
    std::string_view key;
    const char* spoken;
  };
  static constexpr Name kNames[] = {
      {"request_id", "el identificador de la solicitud (request_id)"}, {"document", "el número de documento"},
      {"cuil", "el CUIL"}, {"email", "el e-mail"}, {"password", "la contraseña"}, {"code", "el código"},
      {"birth_date", "la fecha de nacimiento"}, {"dni", "el DNI"}};
  for (const Name& n : kNames) {
    if (n.key == key) return n.spoken;
  }
  return "el dato";
}

Status field_string(const Json& j, const char* key, size_t min, size_t max, std::string* out) {
  if (!j.contains(key) || !j[key].is_string() || j[key].get<std::string>().empty()) {
    return Status::invalid(std::string("falta ") + spoken(key), key);
  }
  *out = j[key].get<std::string>();
  if (utf8_length(*out) < min || utf8_length(*out) > max) {
    return Status::invalid(std::string(spoken(key)) + " debe tener " +
                               (min == max ? std::to_string(min) : "de " + std::to_string(min) + " a " + std::to_string(max)) +
                               " caracteres",
                           key);
  }
  return Status::ok();
}

// Digits as people write them: dots, dashes and spaces are dropped.
Status field_digits(const Json& j, const char* key, size_t min, size_t max, std::string* out) {
  std::string typed;
  if (Status s = field_string(j, key, 1, 64, &typed); !s) return s;
  out->clear();
  for (char c : typed) {
    if (c >= '0' && c <= '9') out->push_back(c);
    else if (c != '.' && c != '-' && c != ' ' && c != '/') {
      return Status::invalid(std::string(spoken(key)) + " lleva solo números", key);
    }
  }
  if (out->size() < min || out->size() > max) {
    return Status::invalid(std::string(spoken(key)) + " debe tener " +
                               (min == max ? std::to_string(min) : "de " + std::to_string(min) + " a " + std::to_string(max)) +
                               " números",
                           key);
  }
  return Status::ok();
}

// The document an account body names: {document}, or IOMA's {cuil}: the
// affiliate of the padrón with that CUIL, else the DNI inside it (digits 3
// to 10, without leading zeros), which then matches no one.
Status account_document(const Reference& ref, const Json& j, std::string* document) {
  if (!j.contains("cuil") || j.contains("document")) return field_digits(j, "document", 7, 8, document);
  std::string cuil;
  if (Status s = field_digits(j, "cuil", 11, 11, &cuil); !s) return s;
  if (const fb::AffiliateT* a = ref.affiliate_by_cuil(cuil)) {
    *document = a->doc_number;
  } else {
    *document = cuil.substr(2, 8);
    document->erase(0, std::min(document->find_first_not_of('0'), document->size() - 1));
  }
  return Status::ok();
}

// Lower-case hex (a share's id) to bytes; false when it is not hex.
bool hex_decode(std::string_view hex, std::vector<uint8_t>* out) {
  if (hex.size() % 2 != 0) return false;
  auto nibble = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
  out->clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(uint8_t(hi * 16 + lo));
  }
  return true;
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
Status decode_account(const std::string& route, const Json& j, const Reference& ref, const KeyRing& keys,
                      fb::CommandUnion* out) {
  std::string request_id, document, email, password, code, birth;
  if (Status s = field_string(j, "request_id", 1, 64, &request_id); !s) return s;
  if (Status s = account_document(ref, j, &document); !s) return s;
  const bool wants_code = route == "confirm" || route == "recovery_confirm";
  if (wants_code) {
    if (Status s = field_digits(j, "code", 6, 6, &code); !s) return s;
  } else {
    if (Status s = field_string(j, "email", 3, 254, &email); !s) return s;
    if (email.find('@') == std::string::npos) return Status::invalid("el e-mail no parece una dirección válida", "email");
  }
  if (route == "register" || route == "recovery_confirm") {
    if (Status s = field_string(j, "password", 8, 128, &password); !s) return s;
  }
  const std::string context = "code:" + document;
  if (route == "register") {
    if (Status s = field_digits(j, "birth_date", 8, 8, &birth); !s) return s;
    auto day = parse_ddmmyyyy(birth);
    if (!day) return Status::invalid("la fecha de nacimiento debe ser DDMMAAAA (por ejemplo 14031975)", "birth_date");
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
  Json j = {{"transaction", r.transaction}, {"status", fb::EnumNameStatus(r.status)}, {"message", r.message}};
  // Who registers (the person typed their document, birth date and the
  // titular's e-mail): the app says whose account the code confirms.
  if (r.affiliate) j["affiliate"] = {{"credential", r.affiliate->credential}, {"name", r.affiliate->name}};
  return j;
}

}  // namespace

namespace account_api {

void post_account(Service& service, const std::string& route, std::string_view body, Millis now, std::string address,
                  Done done) {
  const KeyRing* keys = keys_of(service.engine());
  if (!keys) return done(error_reply(503, "UNAVAILABLE", "las cuentas necesitan las claves maestras (AUTORIZA_SECRET_KEYS)"));
  // A mailed code is a credential: its guesses count with the address's
  // failed authentications (on top of the tries each code allows).
  const bool with_code = route == "confirm" || route == "recovery_confirm";
  if (auto limited = with_code ? service.over_auth_failures(address) : std::nullopt) {
    return done(std::move(*limited));
  }
  Json j;
  fb::CommandUnion cmd;
  Status s = parse_json(body, &j);
  if (s && !j.is_object()) s = Status::invalid("el cuerpo debe ser un objeto JSON", "");
  if (s) s = decode_account(route, j, *service.engine().reference(), *keys, &cmd);
  if (!s) return done(reply_for(s));
  service.engine().submit(std::move(cmd), now, [&service, with_code, address = std::move(address),
                                                 done = std::move(done)](Outcome o) {
    if (!o.status) return done(reply_for(o.status));
    // The mail with the code, if this command sends one. The command is
    // durable whatever happens here; the outbox's follower retries.
    if (Status s = service.outbox().catch_up(); !s) spdlog::warn("outbox catch-up failed: {}", s.to_string());
    const auto result = result_of(o);
    if (!result) return done(reply_for(Status::unavailable("la respuesta no se pudo leer: reintentá con el mismo request_id")));
    if (with_code && result->status == fb::Status::REJECTED) service.auth_failures().failed(address);
    done(Reply{200, account_answer(*result).dump()});
  });
}

// POST /v1/affiliates/{credential}/shares and .../shares/{link}/revoke
void post_share(Service& service, const std::string& credential, const std::string& link, std::string_view body, Millis now,
                Done done) {
  const KeyRing* keys = keys_of(service.engine());
  if (!keys) return done(error_reply(503, "UNAVAILABLE", "compartir necesita las claves maestras (AUTORIZA_SECRET_KEYS)"));
  Json j;
  std::string request_id, dni;
  Status s = parse_json(body, &j);
  if (s && !j.is_object()) s = Status::invalid("el cuerpo debe ser un objeto JSON", "");
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
    c.request_id = request_id, c.credential = credential;
    std::vector<uint8_t> id;  // a share's id, as GET .../shares lists it, or the link itself
    c.link_hash = link.size() == 64 && hex_decode(link, &id) ? id : bytes_of(share_hash(*keys, link));
    cmd.Set(std::move(c));
  }
  const std::string base = service.insurer().public_url;
  service.engine().submit(std::move(cmd), now, [base, done = std::move(done)](Outcome o) {
    if (!o.status) return done(reply_for(o.status));
    const auto result = result_of(o);
    if (!result) return done(reply_for(Status::unavailable("la respuesta no se pudo leer: reintentá con el mismo request_id")));
    Json a = account_answer(*result);
    if (!result->tokens.empty()) {
      const std::string& link = result->tokens[0]->token;
      a["link"] = "/v1/shares/" + link;
      // The page for the person the card is shared with; the link rides in
      // the fragment, which browsers never send to a server or a referrer.
      a["url"] = base + "/afiliados/compartida.html#" + link;
      a["expires"] = format_instant(Millis{result->tokens[0]->valid_until_ms});
    }
    done(Reply{result->status == fb::Status::REJECTED ? 404 : 200, a.dump()});
  });
}

// GET /v1/affiliates/{credential}/shares: the card's shares still open.
Reply list_shares(Service& service, const std::string& credential, Millis now) {
  std::vector<Engine::Share> shares;
  if (Status s = service.engine().active_shares(credential, now, &shares); !s) return reply_for(s);
  Json items = Json::array();
  for (const Engine::Share& sh : shares) {
    items.push_back({{"id", sh.key}, {"dni", sh.state.dni}, {"created", format_instant(Millis{sh.state.created_ms})},
                     {"expires", format_instant(Millis{sh.state.expires_ms})}});
  }
  return Reply{200, Json{{"items", items}, {"next", nullptr}}.dump()};
}

// GET /v1/shares/{link}?dni=N: the card, only for that DNI, only for 24 h.
void get_share(Service& service, const std::string& link, const std::string& dni, Millis now, Done done) {
  const KeyRing* keys = keys_of(service.engine());
  if (!keys) return done(error_reply(503, "UNAVAILABLE", "compartir necesita las claves maestras (AUTORIZA_SECRET_KEYS)"));
  const std::string hash = share_hash(*keys, link);
  std::string value;
  fb::ShareStateT share;
  Status s = service.engine().journal().read_state(StateTable::kShares, hex_of(bytes_of(hash)), &value);
  if (s) s = unpack_record(value, &share);
  if (s.kind() == StatusKind::kNotFound) {
    return done(error_reply(404, "NOT_FOUND", "Este enlace no existe: revisá que lo hayas copiado completo"));
  }
  if (!s) return done(reply_for(s));
  if (share.revoked) return done(error_reply(410, "GONE", "El afiliado revocó este enlace: pedile uno nuevo"));
  if (now.value >= share.expires_ms) {
    return done(error_reply(410, "GONE", "Este enlace venció el " + print::date_time_es(format_instant(Millis{share.expires_ms})) +
                                             ": los enlaces valen 24 horas; pedile uno nuevo al afiliado"));
  }
  std::string typed;
  for (char c : dni) {
    if (c >= '0' && c <= '9') typed.push_back(c);
  }
  if (typed.empty()) return done(error_reply(400, "INVALID_REQUEST", "Escribí tu DNI para ver la credencial", "dni"));
  if (typed != share.dni) {
    return done(error_reply(403, "FORBIDDEN", "Este enlace se abre solo con el DNI de la persona a quien se compartió"));
  }
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
    const auto result = result_of(o);
    if (!result) return done(reply_for(Status::unavailable("the answer could not be read: retry")));
    for (const auto& t : result->tokens) tokens.push_back(t->token);
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

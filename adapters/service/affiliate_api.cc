// The affiliate-facing HTTP API (docs/rules.md §12-13; OSSEG credential, IOMA tokens):
//
//   GET  /v1/affiliates/{credential}/card[.svg|.png|.html]  card (records CARD_ISSUED)
//   GET  /v1/affiliates/{credential}/cards                  the family group's cards (titular)
//   GET  /v1/affiliates/{credential}/tokens.html|.pdf?request_id=R
//                                                           sheet of the pre-printed tokens issued by R
//   POST /v1/credentials/verify {payload}                   is a scanned card genuine, current, active?
//   POST /v1/registrations {request_id, document, birth_date DDMMYYYY, email, password}
//   POST /v1/registrations/confirm {request_id, document, code}
//   POST /v1/password_recovery {request_id, document, email}
//   POST /v1/password_recovery/confirm {request_id, document, code, password}
//   POST /v1/affiliates/{credential}/shares {request_id, dni}      a link valid 24 h for that DNI
//   POST /v1/affiliates/{credential}/shares/{link}/revoke {request_id}
//   GET  /v1/shares/{link}?dni=N                            the shared card; 410 once expired or revoked
//
// Card QR payload: "AZ1.<b64url JSON {c,n,p,d,v,k}>.<b64url signature>", the
// signature over everything before the last dot (secrets.h sign()).
#include <algorithm>

#include "adapters/card/card_view.h"
#include "adapters/codec/codec.h"
#include "adapters/card/qr.h"
#include "adapters/print/format_es.h"
#include "engine/records.h"
#include "engine/core/secrets.h"
#include "adapters/service/service.h"
#include "adapters/card/token_sheet.h"
#include "adapters/service/api_util.h"

namespace autoriza {

namespace {

using Done = std::function<void(Reply)>;

Reply no_keys() { return error_reply(503, "UNAVAILABLE", "this feature needs master keys (AUTORIZA_SECRET_KEYS)"); }

// "20245152605" -> "20-24515260-5"
std::string format_cuil(const std::string& c) {
  return c.size() == 11 ? c.substr(0, 2) + "-" + c.substr(2, 8) + "-" + c.substr(10) : c;
}

std::string qr_payload(const KeyRing& keys, const fb::AffiliateT& a, const fb::ResultT& r) {
  const Json body = {{"c", a.credential}, {"n", display_name(a)}, {"p", a.plan}, {"d", a.doc_number},
                     {"v", r.card->valid_until_ms}, {"k", r.card->security_code}};
  const std::string signed_part = "AZ1." + base64url_encode(body.dump());
  return signed_part + "." + base64url_encode(sign(keys, signed_part));
}

// The beneficiary number (docs/rules.md §13): the titular's credential and
// the member's place in the family group, the titular 00 and the others by
// credential ("110000783851/01").
std::string beneficiary_number(const Reference& ref, const fb::AffiliateT& a) {
  int place = 0;
  if (a.titular != a.credential) {
    for (const std::string& c : ref.family(a.titular)) {
      if (c != a.titular) ++place;
      if (c == a.credential) break;
    }
  }
  return a.titular + "/" + (place < 10 ? "0" : "") + std::to_string(place);
}

Json card_json(Service& service, const fb::AffiliateT& a, const fb::ResultT& r, Millis now) {
  Engine& engine = service.engine();
  const ReferencePtr ref = engine.reference();
  auto updated = ref->updated_ms.find("affiliate:" + a.credential);
  return {{"insurer", service.insurer().name},
          {"card_notice", service.insurer().card_notice},
          {"credential", a.credential},
          {"beneficiary", beneficiary_number(*ref, a)},
          {"valid_on", format_date(local_day(now))},
          {"name", display_name(a)},
          {"document", a.doc_number},
          {"cuil", a.cuil},
          {"plan", a.plan},
          {"titular", a.titular},
          {"status", fb::EnumNameAffiliateStatus(a.status)},
          {"updated_on", updated == ref->updated_ms.end() || updated->second == 0
                             ? Json(nullptr) : Json(format_date(local_day(Millis{updated->second})))},
          {"security_code", r.card->security_code},
          {"valid_from", format_instant(Millis{r.card->valid_from_ms})},
          {"valid_until", format_instant(Millis{r.card->valid_until_ms})},
          {"qr_payload", qr_payload(*keys_of(engine), a, r)}};
}

card::CardData card_data(const Json& j) {
  card::CardData c;
  c.credential = j["credential"];
  c.name = j["name"];
  c.document = "DNI " + j["document"].get<std::string>();
  c.cuil = format_cuil(j["cuil"]);
  c.plan = j["plan"];
  c.titular = j["titular"];
  c.updated_on = j["updated_on"].is_string() ? print::date_es(j["updated_on"].get<std::string>()) : "";
  c.security_code = j["security_code"];
  c.valid_until = j["valid_until"].get<std::string>().substr(11, 5);
  c.qr_payload = j["qr_payload"];
  c.active = j["status"] == "ACTIVE";
  c.insurer = j["insurer"];
  c.beneficiary = j["beneficiary"];
  c.notice = j["card_notice"];
  return c;
}

Reply render_card(const Json& card, const std::string& format) {
  if (format == "json") return Reply{200, card.dump()};
  card::QrMatrix qr;
  if (Status s = card::qr_encode(card["qr_payload"].get<std::string>(), &qr); !s) return reply_for(s);
  if (format == "svg") return Reply{200, card::qr_svg(qr), "image/svg+xml"};
  if (format == "png") return Reply{200, card::qr_png(qr), "image/png"};
  return Reply{200, card::card_html(card_data(card), card::qr_svg(qr)), "text/html; charset=utf-8"};
}

}  // namespace

namespace affiliate_api {

// Issues the card of one affiliate (an event) and answers its JSON.
void issue_card(Service& service, const std::string& credential, Millis now, std::function<void(Status, Json)> done) {
  Engine& engine = service.engine();
  const KeyRing* keys = keys_of(engine);
  const fb::AffiliateT* a = engine.reference()->affiliate(credential);
  if (!a) return done(Status::not_found("no affiliate with credential " + credential), nullptr);
  if (!keys) return done(Status::unavailable("cards need master keys (AUTORIZA_SECRET_KEYS)"), nullptr);
  fb::CardIssueCmdT cmd;
  cmd.credential = credential;  // no request id: every view is recorded, none is a retry
  std::string secret = random_bytes(20);
  cmd.sealed_secret = bytes_of(seal(*keys, secret, "secret:" + credential));
  wipe(&secret);
  fb::CommandUnion u;
  u.Set(std::move(cmd));
  const fb::AffiliateT affiliate = *a;
  engine.submit(std::move(u), now, [&service, affiliate, now, done = std::move(done)](Outcome o) {
    const auto result = result_of(o);
    if (!o.status || !result) return done(o.status ? Status::unavailable("the card's answer could not be read") : o.status, nullptr);
    done(Status::ok(), card_json(service, affiliate, *result, now));
  });
}

}  // namespace affiliate_api

namespace {

void get_card(Service& service, const std::string& credential, const std::string& format, Millis now, Done done) {
  affiliate_api::issue_card(service, credential, now, [format, done = std::move(done)](Status s, Json card) {
    done(s ? render_card(card, format) : reply_for(s));
  });
}

// The cards an affiliate sees (docs/rules.md §13): a titular, every card of
// its family group (its own first); a member, its own.
void get_family_cards(Service& service, const std::string& titular, Millis now, Done done) {
  const ReferencePtr ref = service.engine().reference();
  const fb::AffiliateT* t = ref->affiliate(titular);
  if (!t) return done(error_reply(404, "NOT_FOUND", "No hay un afiliado con la credencial " + titular));
  std::vector<std::string> members;
  if (t->titular != titular) {
    members.push_back(titular);  // a member: its own card
  } else {
    for (const std::string& c : ref->family(titular)) members.push_back(c);
  }
  std::sort(members.begin(), members.end(), [&](const std::string& x, const std::string& y) {
    return (x == titular) != (y == titular) ? x == titular : x < y;  // the titular first
  });
  struct Gather {
    std::mutex mutex;
    std::vector<Json> cards;
    size_t pending;
    Status status;
    Done done;
  };
  auto g = std::make_shared<Gather>();
  g->cards.resize(members.size());
  g->pending = members.size();
  g->done = std::move(done);
  for (size_t i = 0; i < members.size(); ++i) {
    affiliate_api::issue_card(service, members[i], now, [g, i](Status s, Json card) {
      std::lock_guard lock(g->mutex);
      if (!s) g->status = s;
      g->cards[i] = std::move(card);
      if (--g->pending > 0) return;
      if (!g->status) return g->done(reply_for(g->status));
      g->done(Reply{200, Json{{"items", g->cards}, {"next", nullptr}}.dump()});
    });
  }
}

Reply verify_card(Service& service, std::string_view body, Millis now) {
  Json j;
  if (Status s = parse_json(body, &j); !s || !j.is_object() || !j.contains("payload") || !j["payload"].is_string()) {
    return error_reply(400, "INVALID_REQUEST", "body must be {\"payload\": \"...\"}", "payload");
  }
  const KeyRing* keys = keys_of(service.engine());
  if (!keys) return no_keys();
  const std::string payload = j["payload"];
  const size_t dot = payload.rfind('.');
  std::string signature, content;
  Json claims;
  const bool well_formed = payload.rfind("AZ1.", 0) == 0 && dot > 4 && base64url_decode(payload.substr(dot + 1), &signature) &&
                           base64url_decode(payload.substr(4, dot - 4), &content) &&
                           !(claims = Json::parse(content, nullptr, false)).is_discarded() && claims.is_object() &&
                           claims.contains("c") && claims.contains("v");
  const bool genuine = well_formed && verify(*keys, payload.substr(0, dot), signature);
  Json answer = {{"genuine", genuine}, {"current", false}, {"active", false}};
  if (!genuine) return Reply{200, answer.dump()};
  answer["current"] = now.value < claims["v"].get<int64_t>();
  const fb::AffiliateT* a = service.engine().reference()->affiliate(claims["c"].get<std::string>());
  answer["active"] = a && a->status == fb::AffiliateStatus::ACTIVE;
  answer["affiliate"] = {{"credential", claims["c"]}, {"name", claims.value("n", "")}, {"plan", claims.value("p", "")},
                         {"document", claims.value("d", "")}};
  return Reply{200, answer.dump()};
}

}  // namespace

void get_card_route(Service& service, const std::string& credential, const std::string& format, Millis now, Done done) {
  get_card(service, credential, format, now, std::move(done));
}
void get_family_cards_route(Service& service, const std::string& titular, Millis now, Done done) {
  get_family_cards(service, titular, now, std::move(done));
}
Reply verify_card_route(Service& service, std::string_view body, Millis now) { return verify_card(service, body, now); }
Reply insurer_route(const Service& service, bool logo) {
  if (logo) return Reply{200, card::insurer_logo_svg(service.insurer()), "image/svg+xml"};
  return Reply{200, card::insurer_json(service.insurer()).dump()};
}

}  // namespace autoriza

// The affiliate API: cards with a rotating code and a signed QR, verification
// by providers, family cards, registration through the outbox, password
// recovery and 24-hour share links for one DNI (docs/rules.md §12-13, OSSEG).
#include <gtest/gtest.h>

#include <fstream>

#include "engine/state_store.h"  // unpack_event
#include "tests/support/harness.h"

namespace autoriza::testing {
namespace {

constexpr const char* kAt = "2026-11-04T10:00:00-03:00";

std::vector<Json> outbox_lines(Harness& h) {
  EXPECT_TRUE(h.service().outbox().catch_up().is_ok());
  std::vector<Json> out;
  std::ifstream in(h.service().outbox().file());
  std::string line;
  while (std::getline(in, line)) out.push_back(Json::parse(line));
  return out;
}

// The mailed code: the 6 digits after "es " (the body also names a credential).
std::string code_in(const Json& mail) {
  const std::string body = mail["body"];
  const size_t pos = body.find(" es ");
  return pos == std::string::npos ? std::string() : body.substr(pos + 4, 6);
}

// The registration of 354495's titular (DNI 17888999), and one that is
// confirmed with the mailed code (at kAt).
Json carlos_registration(const std::string& request_id = "r1") {
  return {{"request_id", request_id}, {"document", "17888999"}, {"birth_date", "28021968"},
          {"email", "carlos.sistemas@example.org"}, {"password", "primera clave"}};
}
void register_carlos(Harness& h) {
  ASSERT_EQ(h.request("POST", "/v1/registrations", carlos_registration(), kAt)["status"], "VERIFICATION_SENT");
  ASSERT_EQ(h.request("POST", "/v1/registrations/confirm",
                      {{"request_id", "c1"}, {"document", "17888999"}, {"code", code_in(outbox_lines(h).back())}}, kAt)["status"],
            "REGISTERED");
}

TEST(AffiliateApi, CardRotatesItsCodeEveryFiveMinutesAndIsVerifiable) {
  Harness h;
  Json card = h.request("GET", "/v1/affiliates/110000783852/card", nullptr, "2026-11-04T10:01:00-03:00");
  ASSERT_EQ(h.last_status(), 200) << card.dump();
  EXPECT_EQ(card["name"], "CATALDI, MARIA LAURA");
  EXPECT_EQ(card["document"], "26111222");
  EXPECT_EQ(card["cuil"], "27261112227");
  EXPECT_EQ(card["titular"], "110000783851");
  EXPECT_EQ(card["security_code"].get<std::string>().size(), 6u);
  EXPECT_EQ(card["valid_from"], "2026-11-04T10:00:00-03:00");
  EXPECT_EQ(card["valid_until"], "2026-11-04T10:05:00-03:00");
  Json same = h.request("GET", "/v1/affiliates/110000783852/card", nullptr, "2026-11-04T10:04:59-03:00");
  EXPECT_EQ(same["security_code"], card["security_code"]);
  Json next = h.request("GET", "/v1/affiliates/110000783852/card", nullptr, "2026-11-04T10:05:00-03:00");
  EXPECT_EQ(next["valid_from"], "2026-11-04T10:05:00-03:00");

  Json v = h.request("POST", "/v1/credentials/verify", {{"payload", card["qr_payload"]}}, "2026-11-04T10:02:00-03:00");
  EXPECT_EQ(v["genuine"], true);
  EXPECT_EQ(v["current"], true);
  EXPECT_EQ(v["active"], true);
  EXPECT_EQ(v["affiliate"]["credential"], "110000783852");
  Json stale = h.request("POST", "/v1/credentials/verify", {{"payload", card["qr_payload"]}}, "2026-11-04T10:06:00-03:00");
  EXPECT_EQ(stale["genuine"], true);
  EXPECT_EQ(stale["current"], false);
  std::string forged = card["qr_payload"];
  forged[6] = forged[6] == 'A' ? 'B' : 'A';
  EXPECT_EQ(h.request("POST", "/v1/credentials/verify", {{"payload", forged}}, kAt)["genuine"], false);
  EXPECT_EQ(h.request("POST", "/v1/credentials/verify", {{"payload", "nonsense"}}, kAt)["genuine"], false);
  // A suspended affiliate's card is genuine but not active.
  Json suspended = h.request("GET", "/v1/affiliates/220000100002/card", nullptr, kAt);
  EXPECT_EQ(h.request("POST", "/v1/credentials/verify", {{"payload", suspended["qr_payload"]}}, kAt)["active"], false);
  h.request("GET", "/v1/affiliates/999/card", nullptr, kAt);
  EXPECT_EQ(h.last_status(), 404);
}

TEST(AffiliateApi, CardRendersAsSvgPngAndHtml) {
  Harness h;
  std::string raw, type;
  h.request("GET", "/v1/affiliates/354495/card.svg", nullptr, kAt, &raw, &type);
  EXPECT_EQ(type, "image/svg+xml");
  EXPECT_EQ(raw.rfind("<svg", 0), 0u);
  h.request("GET", "/v1/affiliates/354495/card.png", nullptr, kAt, &raw, &type);
  EXPECT_EQ(type, "image/png");
  EXPECT_EQ(raw.substr(1, 3), "PNG");
  h.request("GET", "/v1/affiliates/354495/card.html", nullptr, kAt, &raw, &type);
  EXPECT_NE(raw.find("AFILIADO DE PRUEBA DE SISTEMAS"), std::string::npos);
}

TEST(AffiliateApi, FamilyCardsAreListedFromTheTitular) {
  Harness h;
  Json cards = h.request("GET", "/v1/affiliates/110000783851/cards", nullptr, kAt);
  ASSERT_EQ(cards["items"].size(), 4u);
  EXPECT_EQ(cards["items"][0]["credential"], "110000783851");  // the titular first
  EXPECT_TRUE(cards["next"].is_null());
  // A member sees its own card only.
  Json own = h.request("GET", "/v1/affiliates/110000783852/cards", nullptr, kAt);
  EXPECT_EQ(h.last_status(), 200);
  ASSERT_EQ(own["items"].size(), 1u);
  EXPECT_EQ(own["items"][0]["credential"], "110000783852");
  h.request("GET", "/v1/affiliates/999999/cards", nullptr, kAt);
  EXPECT_EQ(h.last_status(), 404);
}

TEST(AffiliateApi, RegistrationNeedsTheTitularsEmailAndTheCode) {
  Harness h;
  Json wrong = h.request("POST", "/v1/registrations", {{"request_id", "r0"}, {"document", "26111222"}, {"birth_date", "02071978"},
                                                       {"email", "otra@example.org"}, {"password", "una clave larga"}}, kAt);
  EXPECT_EQ(wrong["status"], "REJECTED");
  Json bad_birth = h.request("POST", "/v1/registrations", {{"request_id", "r1"}, {"document", "26111222"}, {"birth_date", "03071978"},
                                                           {"email", "adrian.cataldi@example.org"}, {"password", "una clave larga"}}, kAt);
  EXPECT_EQ(bad_birth["status"], "REJECTED");
  Json ok = h.request("POST", "/v1/registrations", {{"request_id", "r2"}, {"document", "26111222"}, {"birth_date", "02071978"},
                                                    {"email", "Adrian.Cataldi@example.org"}, {"password", "una clave larga"}}, kAt);
  ASSERT_EQ(ok["status"], "VERIFICATION_SENT") << ok.dump();
  auto mails = outbox_lines(h);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0]["to"], "Adrian.Cataldi@example.org");
  EXPECT_EQ(mails[0]["subject"], "Código de verificación de su credencial digital");
  EXPECT_NE(mails[0]["body"].get<std::string>().find(". Vence en 15 minutos. Si no lo pidió, ignore este mensaje."),
            std::string::npos);
  // The code goes to the titular: the mail names who registers.
  EXPECT_NE(mails[0]["body"].get<std::string>().find("(credencial "), std::string::npos);
  EXPECT_NE(mails[0]["body"].get<std::string>().find("pidió registrarse en la credencial digital de su grupo familiar"),
            std::string::npos);
  const std::string code = code_in(mails[0]);
  const std::string wrong_code = code == "000000" ? "111111" : "000000";
  Json miss = h.request("POST", "/v1/registrations/confirm", {{"request_id", "c1"}, {"document", "26111222"}, {"code", wrong_code}},
                        "2026-11-04T10:05:00-03:00");
  EXPECT_EQ(miss["status"], "REJECTED");
  Json hit = h.request("POST", "/v1/registrations/confirm", {{"request_id", "c2"}, {"document", "26111222"}, {"code", code}},
                       "2026-11-04T10:06:00-03:00");
  EXPECT_EQ(hit["status"], "REGISTERED");
  // The password never reaches the log or state in clear.
  std::string everything;
  ASSERT_TRUE(h.engine().journal().scan_events(0, 1, [&](Sequence, std::string_view b) { return everything.append(b), true; }).is_ok());
  ASSERT_TRUE(h.engine().journal().scan_state(StateTable::kAccounts, [&](std::string_view, std::string_view v) {
    return everything.append(v), true;
  }).is_ok());
  EXPECT_EQ(everything.find("una clave larga"), std::string::npos);
  EXPECT_EQ(everything.find(code), std::string::npos);
  EXPECT_NE(everything.find("scrypt$"), std::string::npos);
}

TEST(AffiliateApi, AnAccountOutlivesARestart) {
  Harness h;
  ASSERT_NO_FATAL_FAILURE(register_carlos(h));
  h.open(1);  // the state comes back from the store, found by document
  EXPECT_EQ(h.request("POST", "/v1/registrations", carlos_registration("r2"), "2026-11-04T11:00:00-03:00")["message"],
            "Ya registrado: use la recuperación de clave");
  Json rec = h.request("POST", "/v1/password_recovery",
                       {{"request_id", "p1"}, {"document", "17888999"}, {"email", "carlos.sistemas@example.org"}},
                       "2026-11-04T11:01:00-03:00");
  EXPECT_EQ(rec["status"], "RECOVERY_SENT");
}

TEST(AffiliateApi, OnlyActiveAffiliatesRegister) {
  Harness h;
  Json terminated = h.request("POST", "/v1/registrations",
                              {{"request_id", "r1"}, {"document", "14555666"}, {"birth_date", "01041966"},
                               {"email", "ramon.hermosi@example.org"}, {"password", "una clave larga"}},
                              kAt);
  EXPECT_EQ(terminated["status"], "REJECTED");
  EXPECT_EQ(terminated["message"], "La credencial no está activa: consulte con la obra social");
  EXPECT_TRUE(outbox_lines(h).empty());
}

TEST(AffiliateApi, CodesExpireAfterFifteenMinutesAndFiveTries) {
  Harness h;
  Json body = {{"request_id", "r1"}, {"document", "24515260"}, {"birth_date", "14031975"}, {"email", "adrian.cataldi@example.org"},
               {"password", "otra clave larga"}};
  ASSERT_EQ(h.request("POST", "/v1/registrations", body, kAt)["status"], "VERIFICATION_SENT");
  const std::string code = code_in(outbox_lines(h).back());
  Json late = h.request("POST", "/v1/registrations/confirm", {{"request_id", "c1"}, {"document", "24515260"}, {"code", code}},
                        "2026-11-04T10:15:01-03:00");
  EXPECT_EQ(late["status"], "REJECTED");
  body["request_id"] = "r2";
  ASSERT_EQ(h.request("POST", "/v1/registrations", body, "2026-11-04T10:20:00-03:00")["status"], "VERIFICATION_SENT");
  const std::string code2 = code_in(outbox_lines(h).back());
  const std::string wrong = code2 == "999999" ? "888888" : "999999";
  for (int i = 0; i < 5; ++i) {
    h.request("POST", "/v1/registrations/confirm", {{"request_id", "w" + std::to_string(i)}, {"document", "24515260"}, {"code", wrong}},
              "2026-11-04T10:21:00-03:00");
  }
  Json blocked = h.request("POST", "/v1/registrations/confirm", {{"request_id", "c2"}, {"document", "24515260"}, {"code", code2}},
                           "2026-11-04T10:22:00-03:00");
  EXPECT_EQ(blocked["status"], "REJECTED");
  EXPECT_NE(blocked["message"].get<std::string>().find("intentos"), std::string::npos);
}

TEST(AffiliateApi, PasswordRecoveryThroughTheOutbox) {
  Harness h;
  ASSERT_NO_FATAL_FAILURE(register_carlos(h));
  Json rec = h.request("POST", "/v1/password_recovery", {{"request_id", "p1"}, {"document", "17888999"}, {"email", "carlos.sistemas@example.org"}},
                       "2026-11-05T09:00:00-03:00");
  ASSERT_EQ(rec["status"], "RECOVERY_SENT");
  auto mails = outbox_lines(h);
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_EQ(mails[1]["subject"], "Recuperación de clave");
  EXPECT_EQ(mails[1]["body"].get<std::string>().rfind("Su código para cambiar la clave es ", 0), 0u);
  Json reset = h.request("POST", "/v1/password_recovery/confirm", {{"request_id", "p2"}, {"document", "17888999"},
                                                                  {"code", code_in(mails[1])}, {"password", "segunda clave"}},
                         "2026-11-05T09:05:00-03:00");
  EXPECT_EQ(reset["status"], "PASSWORD_CHANGED");
  // Retrying the registration request answers the first answer again (same request id, same body).
  EXPECT_EQ(h.request("POST", "/v1/registrations", carlos_registration(), kAt)["status"], "VERIFICATION_SENT");
  EXPECT_EQ(outbox_lines(h).size(), 2u);  // and sends no new mail
}

TEST(AffiliateApi, ShareLinksOpenOnlyWithTheDniAndOnlyForADay) {
  Harness h;
  Json share = h.request("POST", "/v1/affiliates/110000783853/shares", {{"request_id", "s1"}, {"dni", "30111222"}}, kAt);
  ASSERT_EQ(share["status"], "SHARED") << share.dump();
  const std::string link = share["link"];
  EXPECT_EQ(share["expires"], "2026-11-05T10:00:00-03:00");
  // A retry answers the same link.
  EXPECT_EQ(h.request("POST", "/v1/affiliates/110000783853/shares", {{"request_id", "s1"}, {"dni", "30111222"}}, kAt)["link"], link);
  Json card = h.request("GET", link + "?dni=30111222", nullptr, "2026-11-04T12:00:00-03:00");
  EXPECT_EQ(card["credential"], "110000783853");
  h.request("GET", link + "?dni=99999999", nullptr, "2026-11-04T12:00:00-03:00");
  EXPECT_EQ(h.last_status(), 403);
  h.request("GET", link + "?dni=30111222", nullptr, "2026-11-05T10:00:00-03:00");
  EXPECT_EQ(h.last_status(), 410);
  h.request("GET", "/v1/shares/1.bm9wZQ?dni=30111222", nullptr, kAt);
  EXPECT_EQ(h.last_status(), 404);
  // Revoked: 410 at once.
  Json other = h.request("POST", "/v1/affiliates/110000783853/shares", {{"request_id", "s2"}, {"dni", "30111222"}}, kAt);
  const std::string id = other["link"].get<std::string>().substr(std::string("/v1/shares/").size());
  EXPECT_EQ(h.request("POST", "/v1/affiliates/110000783853/shares/" + id + "/revoke", {{"request_id", "v1"}}, kAt)["status"], "REVOKED");
  h.request("GET", other["link"].get<std::string>() + "?dni=30111222", nullptr, kAt);
  EXPECT_EQ(h.last_status(), 410);
}

TEST(AffiliateApi, TokenSheetOfPreprintedTokens) {
  Harness h;
  Json p = h.run("token_issue", {{"request_id", "p1"}, {"credential", "220000100001"}, {"kind", "PREPRINTED"}, {"month", "2026-11"}, {"count", 4}}, kAt);
  std::string raw, type;
  h.request("GET", "/v1/affiliates/220000100001/tokens.html?request_id=p1", nullptr, kAt, &raw, &type);
  ASSERT_EQ(h.last_status(), 200);
  EXPECT_EQ(type, "text/html; charset=utf-8");
  for (const auto& t : p["tokens"]) {
    const std::string s = t["token"];
    EXPECT_NE(raw.find(s.substr(0, 4) + " " + s.substr(4)), std::string::npos) << s;
  }
  h.request("GET", "/v1/affiliates/220000100001/tokens.pdf?request_id=p1", nullptr, kAt, &raw, &type);
  EXPECT_EQ(raw.rfind("%PDF-", 0), 0u);
  h.request("GET", "/v1/affiliates/220000100001/tokens.html?request_id=nope", nullptr, kAt);
  EXPECT_EQ(h.last_status(), 404);
  // Without request_id: the latest pre-printed issue.
  Json q = h.run("token_issue", {{"request_id", "p2"}, {"credential", "220000100001"}, {"kind", "PREPRINTED"}, {"month", "2026-12"}, {"count", 2}}, kAt);
  h.request("GET", "/v1/affiliates/220000100001/tokens.html", nullptr, kAt, &raw, &type);
  ASSERT_EQ(h.last_status(), 200);
  const std::string latest = q["tokens"][1]["token"];
  EXPECT_NE(raw.find(latest.substr(0, 4) + " " + latest.substr(4)), std::string::npos);
  h.request("GET", "/v1/affiliates/110000783851/tokens.pdf", nullptr, kAt);
  EXPECT_EQ(h.last_status(), 404);
}

// An affiliate's sign-in through the engine (docs/rules.md §13): every try
// is an event; five failures in 15 minutes lock the account for 15 minutes.
Json login_at(Harness& h, const std::string& id, const std::string& document, bool password_ok, const std::string& at) {
  fb::AccountLoginCmdT c;
  c.request_id = id;
  c.document = document;
  c.password_ok = password_ok;
  fb::CommandUnion command;
  command.Set(std::move(c));
  std::promise<Outcome> promise;
  h.service().submit(Service::internal_principal(), std::move(command), *parse_instant(at), "test",
                     [&](Outcome o) { promise.set_value(std::move(o)); });
  const Outcome o = promise.get_future().get();
  EXPECT_TRUE(o.status.is_ok()) << o.status.to_string();
  if (!o.result) return nullptr;
  Json j = {{"status", fb::EnumNameStatus(o.result->status)}, {"message", o.result->message}};
  if (o.result->affiliate) j["credential"] = o.result->affiliate->credential;
  return j;
}

TEST(AffiliateApi, SignInsAreEventsAndFiveFailuresLock) {
  Harness h;
  EXPECT_EQ(login_at(h, "l0", "17888999", true, kAt)["message"], "Documento o contraseña incorrectos");  // no account yet
  ASSERT_NO_FATAL_FAILURE(register_carlos(h));
  Json ok = login_at(h, "l1", "17888999", true, "2026-11-04T11:00:00-03:00");
  EXPECT_EQ(ok["status"], "ACCEPTED");
  EXPECT_EQ(ok["credential"], "354495");
  for (int i = 1; i <= 4; ++i) {
    Json bad = login_at(h, "f" + std::to_string(i), "17888999", false, "2026-11-04T11:0" + std::to_string(i) + ":00-03:00");
    EXPECT_EQ(bad["status"], "REJECTED");
    EXPECT_EQ(bad["message"], "Documento o contraseña incorrectos");
  }
  Json fifth = login_at(h, "f5", "17888999", false, "2026-11-04T11:05:00-03:00");
  EXPECT_EQ(fifth["message"], "Documento o contraseña incorrectos: la cuenta queda bloqueada 15 minutos");
  Json locked = login_at(h, "l2", "17888999", true, "2026-11-04T11:06:00-03:00");
  EXPECT_EQ(locked["status"], "REFUSED");
  EXPECT_EQ(locked["message"], "Cuenta bloqueada por intentos fallidos: pruebe de nuevo en 15 minutos");
  h.open(1);  // the lockout is state: it survives a restart
  EXPECT_EQ(login_at(h, "l3", "17888999", true, "2026-11-04T11:19:59-03:00")["status"], "REFUSED");
  EXPECT_EQ(login_at(h, "l4", "17888999", true, "2026-11-04T11:20:00-03:00")["status"], "ACCEPTED");
  // Every try is an event of the log.
  size_t logins = 0;
  ASSERT_TRUE(h.engine().journal().scan_events(0, 1, [&](Sequence, std::string_view b) {
    fb::EventT e;
    if (unpack_event(b, &e).is_ok() && e.type == fb::EventType::LOGIN_RECORDED) ++logins;
    return true;
  }).is_ok());
  EXPECT_EQ(logins, 10u);
}

// The affiliates' session (POST /v1/account/login): the cookie acts as the
// affiliate (and, a titular, its family group) on every affiliate route.
struct AccountClient {
  Harness& h;
  std::string cookie, csrf;
  Reply call(const std::string& method, const std::string& target, const Json& body = nullptr, bool send_csrf = true,
             const std::string& at = "2026-11-04T11:00:00-03:00") {
    std::promise<Reply> promise;
    Caller caller;
    caller.account_session = cookie;
    if (send_csrf) caller.csrf = csrf;
    h.service().request(caller, method, target, body.is_null() ? "" : body.dump(), *parse_instant(at),
                        [&](Reply r) { promise.set_value(std::move(r)); });
    return promise.get_future().get();
  }
  Reply login(const Json& body, const std::string& at = "2026-11-04T11:00:00-03:00") {
    const Reply r = call("POST", "/v1/account/login", body, false, at);
    if (r.status == 200) {
      const std::string prefix = "autoriza_afiliado=";
      EXPECT_EQ(r.set_cookie.rfind(prefix, 0), 0u) << r.set_cookie;
      cookie = r.set_cookie.substr(prefix.size(), r.set_cookie.find(';') - prefix.size());
      csrf = Json::parse(r.body)["csrf"].get<std::string>();
    }
    return r;
  }
};

TEST(AffiliateApi, ASessionActsForTheAffiliateAndItsFamily) {
  Harness h;
  ASSERT_NO_FATAL_FAILURE(register_carlos(h));
  AccountClient app{h, {}, {}};
  const Reply wrong = app.login({{"document", "17888999"}, {"password", "otra"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(Json::parse(wrong.body)["error"]["message"], "Documento o contraseña incorrectos");
  EXPECT_EQ(app.login({{"cuil", "20-178889"}, {"password", "x"}}).status, 400);
  // By CUIL, as printed.
  const Reply ok = app.login({{"cuil", "20-17888999-1"}, {"password", "primera clave"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(ok.set_cookie.find("HttpOnly; SameSite=Strict"), std::string::npos);
  const Json session = Json::parse(ok.body);
  EXPECT_EQ(session["affiliate"]["credential"], "354495");
  EXPECT_EQ(session["affiliate"]["document"], "17888999");
  EXPECT_EQ(session["affiliate"]["email"], "carlos.sistemas@example.org");
  EXPECT_TRUE(session["titular"].get<bool>());
  EXPECT_EQ(app.call("GET", "/v1/account/session").status, 200);
  // Its own card and its family's; not another family's.
  EXPECT_EQ(app.call("GET", "/v1/affiliates/354495/card").status, 200);
  EXPECT_EQ(app.call("GET", "/v1/affiliates/438908/card").status, 200);
  const Reply other_family = app.call("GET", "/v1/affiliates/110000783851/card");
  EXPECT_EQ(other_family.status, 403);
  EXPECT_EQ(Json::parse(other_family.body)["error"]["message"], "La credencial 110000783851 no es de tu grupo familiar");
  // Writes need the session's CSRF token.
  const Json issue = {{"request_id", "t1"}, {"credential", "354495"}, {"kind", "DYNAMIC"}};
  EXPECT_EQ(app.call("POST", "/v1/token_issue", issue, false).status, 403);
  EXPECT_EQ(app.call("POST", "/v1/token_issue", issue).status, 200);
  // Logout everywhere ends this and any other session of the account.
  AccountClient other{h, {}, {}};
  ASSERT_EQ(other.login({{"document", "17.888.999"}, {"password", "primera clave"}}).status, 200);
  EXPECT_EQ(app.call("POST", "/v1/account/logout", {{"everywhere", true}}).status, 200);
  EXPECT_EQ(app.call("GET", "/v1/account/session").status, 401);
  EXPECT_EQ(other.call("GET", "/v1/account/session").status, 401);
  EXPECT_EQ(other.call("GET", "/v1/affiliates/354495/card").status, 401);
}

TEST(AffiliateApi, ChangesOfPasswordAndEmailNeedTheCurrentPassword) {
  Harness h;
  ASSERT_NO_FATAL_FAILURE(register_carlos(h));
  AccountClient app{h, {}, {}}, other{h, {}, {}};
  ASSERT_EQ(app.login({{"document", "17888999"}, {"password", "primera clave"}}).status, 200);
  ASSERT_EQ(other.login({{"document", "17888999"}, {"password", "primera clave"}}).status, 200);
  // An app key cannot change an account: only its session can.
  h.request("POST", "/v1/account/password", {{"current_password", "primera clave"}, {"new_password", "segunda clave"}}, kAt);
  EXPECT_EQ(h.last_status(), 401);
  const Reply wrong = app.call("POST", "/v1/account/password", {{"current_password", "otra"}, {"new_password", "segunda clave"}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(Json::parse(wrong.body)["error"]["message"], "La contraseña actual no es correcta");
  EXPECT_EQ(app.call("POST", "/v1/account/password", {{"current_password", "primera clave"}, {"new_password", "corta"}}).status, 400);
  EXPECT_EQ(app.call("POST", "/v1/account/password", {{"current_password", "primera clave"}, {"new_password", "segunda clave"}},
                     false).status, 403);  // no CSRF token
  const Reply changed =
      app.call("POST", "/v1/account/password", {{"current_password", "primera clave"}, {"new_password", "segunda clave"}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Json::parse(changed.body)["message"], "Contraseña cambiada");
  EXPECT_EQ(app.call("GET", "/v1/account/session").status, 200);    // this session goes on
  EXPECT_EQ(other.call("GET", "/v1/account/session").status, 401);  // the others end
  h.open(1);  // the new password is state: it survives a restart
  AccountClient again{h, {}, {}};
  EXPECT_EQ(again.login({{"document", "17888999"}, {"password", "primera clave"}}).status, 401);
  ASSERT_EQ(again.login({{"document", "17888999"}, {"password", "segunda clave"}}).status, 200);
  // A new e-mail: recovery codes go there from now on.
  EXPECT_EQ(again.call("POST", "/v1/account/email", {{"password", "segunda clave"}, {"email", "sin arroba"}}).status, 400);
  const Reply email = again.call("POST", "/v1/account/email", {{"password", "segunda clave"}, {"email", "carlos@nuevo.example.org"}});
  ASSERT_EQ(email.status, 200) << email.body;
  EXPECT_EQ(Json::parse(email.body)["message"], "E-mail actualizado");
  EXPECT_EQ(h.request("POST", "/v1/password_recovery",
                      {{"request_id", "p1"}, {"document", "17888999"}, {"email", "carlos.sistemas@example.org"}},
                      "2026-11-04T11:10:00-03:00")["status"], "REJECTED");
  EXPECT_EQ(h.request("POST", "/v1/password_recovery",
                      {{"request_id", "p2"}, {"document", "17888999"}, {"email", "carlos@nuevo.example.org"}},
                      "2026-11-04T11:10:00-03:00")["status"], "RECOVERY_SENT");
  EXPECT_EQ(outbox_lines(h).back()["to"], "carlos@nuevo.example.org");
  // Wrong current passwords count towards the lockout, like sign-ins.
  for (int i = 0; i < 5; ++i) {
    again.call("POST", "/v1/account/email", {{"password", "mala"}, {"email", "x@example.org"}});
  }
  const Reply locked = again.call("POST", "/v1/account/email", {{"password", "segunda clave"}, {"email", "x@example.org"}});
  EXPECT_EQ(locked.status, 429);
  EXPECT_GT(locked.retry_after_s, 0);
}

TEST(AffiliateApi, IomaRegistersByCuilWithoutAnAppKey) {
  Harness h;
  AccountClient anonymous{h, {}, {}};  // the app before anyone signs in: no key, no session
  const Reply started = anonymous.call("POST", "/v1/registrations",
                                       {{"request_id", "i1"}, {"cuil", "20-17888999-1"}, {"birth_date", "28/02/1968"},
                                        {"email", "carlos.sistemas@example.org"}, {"password", "primera clave"}},
                                       false, kAt);
  ASSERT_EQ(started.status, 200) << started.body;
  EXPECT_EQ(Json::parse(started.body)["status"], "VERIFICATION_SENT");
  const Reply confirmed = anonymous.call(
      "POST", "/v1/registrations/confirm",
      {{"request_id", "i2"}, {"cuil", "20178889991"}, {"code", code_in(outbox_lines(h).back())}}, false, kAt);
  EXPECT_EQ(Json::parse(confirmed.body)["status"], "REGISTERED") << confirmed.body;
  // Messages for people, in Spanish, naming what is wrong.
  const Reply bad = anonymous.call("POST", "/v1/registrations", {{"request_id", "i3"}, {"cuil", "20-1788"}}, false, kAt);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Json::parse(bad.body)["error"]["message"], "el CUIL debe tener 11 números");
  const Reply no_email = anonymous.call(
      "POST", "/v1/registrations", {{"request_id", "i4"}, {"document", "17.888.999"}, {"birth_date", "28021968"}}, false, kAt);
  EXPECT_EQ(Json::parse(no_email.body)["error"]["message"], "falta el e-mail");
}

TEST(AffiliateApi, SharesAreListedWithAnAbsoluteLinkAndRevokedById) {
  Harness h;
  card::Insurer insurer;
  insurer.public_url = "https://afiliados.example.org";
  h.service().set_insurer(insurer);
  Json share = h.request("POST", "/v1/affiliates/110000783851/shares", {{"request_id", "s1"}, {"dni", "30.111.222"}}, kAt);
  ASSERT_EQ(share["status"], "SHARED") << share.dump();
  const std::string link = share["link"].get<std::string>().substr(std::string("/v1/shares/").size());
  EXPECT_EQ(share["url"], "https://afiliados.example.org/afiliados/compartida.html#" + link);
  h.request("POST", "/v1/affiliates/110000783851/shares", {{"request_id", "s2"}, {"dni", "40111222"}}, "2026-11-04T11:00:00-03:00");
  Json list = h.request("GET", "/v1/affiliates/110000783851/shares", nullptr, "2026-11-05T09:00:00-03:00");
  ASSERT_EQ(list["items"].size(), 2u) << list.dump();
  EXPECT_EQ(list["items"][0]["dni"], "30111222");  // oldest first
  EXPECT_EQ(list["items"][0]["expires"], "2026-11-05T10:00:00-03:00");
  // By the id of the list: the second is revoked, the first expires.
  const std::string id = list["items"][1]["id"];
  EXPECT_EQ(h.request("POST", "/v1/affiliates/110000783851/shares/" + id + "/revoke", {{"request_id", "v1"}}, kAt)["status"],
            "REVOKED");
  list = h.request("GET", "/v1/affiliates/110000783851/shares", nullptr, "2026-11-05T10:00:00-03:00");
  EXPECT_TRUE(list["items"].empty()) << list.dump();
  EXPECT_EQ(h.request("GET", "/v1/shares/" + link + "?dni=30111222", nullptr, "2026-11-05T10:00:00-03:00")["error"]["message"],
            "Este enlace venció el 05/11/2026 10:00: los enlaces valen 24 horas; pedile uno nuevo al afiliado");
  EXPECT_EQ(h.request("GET", "/v1/affiliates/110000783852/shares", nullptr, kAt)["items"].size(), 0u);  // another card's
  h.request("POST", "/v1/affiliates/110000783852/shares/" + id + "/revoke", {{"request_id", "v2"}}, kAt);
  EXPECT_EQ(h.last_status(), 404);  // not that card's share
}

TEST(AffiliateApi, TheCardNamesTheInsurerAndTheBeneficiary) {
  Harness h;
  card::Insurer insurer;
  insurer.name = "Obra Social de Prueba";
  insurer.card_notice = "Uso exclusivo del titular";
  insurer.phones = {{"Guardia", "0800-555-0911"}};
  h.service().set_insurer(insurer);
  Json titular = h.request("GET", "/v1/affiliates/110000783851/card", nullptr, kAt);
  EXPECT_EQ(titular["insurer"], "Obra Social de Prueba");
  EXPECT_EQ(titular["beneficiary"], "110000783851/00");
  EXPECT_EQ(h.request("GET", "/v1/affiliates/110000783853/card", nullptr, kAt)["beneficiary"], "110000783851/02");
  Json about = h.request("GET", "/v1/insurer", nullptr, kAt);
  EXPECT_EQ(about["phones"][0]["number"], "0800-555-0911");
  EXPECT_EQ(about["logo_url"], "/v1/insurer/logo.svg");
  std::promise<Reply> page;
  h.service().request("GET", "/v1/affiliates/110000783852/card.html", "", *parse_instant(kAt),
                      [&](Reply r) { page.set_value(std::move(r)); });
  const std::string html = page.get_future().get().body;
  EXPECT_NE(html.find("Obra Social de Prueba"), std::string::npos);
  EXPECT_NE(html.find("110000783851/01"), std::string::npos);
  EXPECT_NE(html.find("Uso exclusivo del titular"), std::string::npos);
  EXPECT_EQ(html.find("2026-11-04"), std::string::npos);  // dates as people read them
}

}  // namespace
}  // namespace autoriza::testing

// The providers' portal's forgotten password (adapters/auth/portal_users.h,
// POST /v1/portal/recovery and /recovery/confirm): a 6-digit code by e-mail
// through the outbox, good once, for 15 minutes and 5 wrong tries; the same
// answer for every name; the code sealed, never in clear, in the event log;
// one mail per code whatever the outbox replays.
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <regex>

#include "adapters/auth/portal_users.h"
#include "adapters/codec/codec.h"
#include "engine/state_store.h"
#include "tests/support/harness.h"

namespace autoriza::testing {
namespace {

constexpr const char* kRecoveryAt = "2026-11-02T10:00:00-03:00";

class PortalRecovery : public ::testing::Test {
 protected:
  void SetUp() override {
    add("maria", "maria@example.org", false);
    add("nuevo", "nuevo@example.org", true);
    add("sin-correo", "", false);
    add("baja", "baja@example.org", false);
    ASSERT_TRUE(auth::disable_portal_user(h.engine(), "baja", Millis{0}).is_ok());
  }
  void add(const std::string& user, const std::string& email, bool must_change) {
    auth::PortalUserSpec spec{user, "Usuaria " + user, email, "", {"LAB127"}};
    ASSERT_TRUE(auth::add_portal_user(h.engine(), spec, "clave-de-" + user, must_change, Millis{0}, nullptr).is_ok());
  }
  // One request without a session, at `at`.
  Reply send(const std::string& target, const Json& body, const std::string& at = kRecoveryAt) {
    std::promise<Reply> promise;
    h.service().request(Caller{}, "POST", target, body.dump(), *parse_instant(at),
                        [&](Reply r) { promise.set_value(std::move(r)); });
    return promise.get_future().get();
  }
  Reply ask(const std::string& user, const std::string& at = kRecoveryAt) {
    return send("/v1/portal/recovery", {{"user", user}}, at);
  }
  Reply confirm(const std::string& user, const std::string& code, const std::string& password,
                const std::string& at = kRecoveryAt) {
    return send("/v1/portal/recovery/confirm", {{"user", user}, {"code", code}, {"new_password", password}}, at);
  }
  Reply login(const std::string& user, const std::string& password, const std::string& at = kRecoveryAt) {
    return send("/v1/portal/login", {{"user", user}, {"provider", "LAB127"}, {"password", password}}, at);
  }
  // Every mail of the outbox file, after a catch-up.
  std::vector<Json> mails() {
    EXPECT_TRUE(h.service().outbox().catch_up().is_ok());
    std::vector<Json> out;
    std::ifstream in(h.service().outbox().file());
    for (std::string line; std::getline(in, line);) out.push_back(Json::parse(line));
    return out;
  }
  static std::string code_of(const Json& mail) {
    std::smatch m;
    const std::string body = mail["body"];
    return std::regex_search(body, m, std::regex(R"(\b(\d{6})\b)")) ? m[1].str() : std::string();
  }
  // A code of the same length that is not code.
  static std::string other_than(const std::string& code) { return code == "000000" ? "111111" : "000000"; }
  fb::PortalUserT record(const std::string& user) { return *h.engine().reference()->portal_user(user); }

  Harness h;
};

TEST_F(PortalRecovery, TheRightCodeSetsThePasswordOnce) {
  const Reply asked = ask("nuevo");
  ASSERT_EQ(asked.status, 200) << asked.body;
  const std::vector<Json> sent = mails();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]["to"], "nuevo@example.org");
  EXPECT_EQ(sent[0]["subject"], "Código para cambiar su contraseña del Portal de prestadores");
  const std::string body = sent[0]["body"];
  for (const char* words : {"Hola, Usuaria nuevo:", "«nuevo»", "Portal de prestadores", "Vence en 15 minutos",
                            "Si no lo pidió, ignore este mensaje"}) {
    EXPECT_NE(body.find(words), std::string::npos) << words << " in " << body;
  }
  const std::string code = code_of(sent[0]);
  ASSERT_EQ(code.size(), 6u) << body;
  const Reply done = confirm("nuevo", code, "clave-recuperada", "2026-11-02T10:05:00-03:00");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_NE(Json::parse(done.body)["message"].get<std::string>().find("contraseña se cambió"), std::string::npos);
  EXPECT_EQ(login("nuevo", "clave-de-nuevo").status, 401);
  const Reply in = login("nuevo", "clave-recuperada");
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_EQ(Json::parse(in.body)["must_change_password"], false);  // the user chose it
  // Once: the same code again is refused, naming the code.
  const Reply again = confirm("nuevo", code, "otra-clave-mas", "2026-11-02T10:06:00-03:00");
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(Json::parse(again.body)["error"]["field"], "code");
  EXPECT_TRUE(record("nuevo").recovery_code_hash.empty());
}

TEST_F(PortalRecovery, EveryNameGetsTheSameAnswerAndOnlyAUserWithAnEmailAMail) {
  const Reply known = ask("maria");
  ASSERT_EQ(known.status, 200);
  for (const char* name : {"nadie", "sin-correo", "baja", "MARIA"}) {
    const Reply r = ask(name);
    EXPECT_EQ(r.status, known.status) << name;
    EXPECT_EQ(r.body, known.body) << name;
  }
  EXPECT_NE(Json::parse(known.body)["message"].get<std::string>().find("si el usuario existe"), std::string::npos);
  const std::vector<Json> sent = mails();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]["to"], "maria@example.org");
  // Confirming for a name with no code: the answer of a wrong code.
  const Reply wrong = confirm("maria", other_than(code_of(sent[0])), "clave-nueva-1");
  const Reply nobody = confirm("nadie", "123456", "clave-nueva-1");
  EXPECT_EQ(nobody.status, 400);
  EXPECT_EQ(nobody.body, wrong.body);
  EXPECT_EQ(confirm("baja", "123456", "clave-nueva-1").body, wrong.body);
}

TEST_F(PortalRecovery, WrongCodesAreCountedAndTheFifthVoidsTheCode) {
  ASSERT_EQ(ask("maria").status, 200);
  std::string code = code_of(mails().back());
  for (int i = 1; i <= 4; ++i) {
    const Reply r = confirm("maria", other_than(code), "clave-nueva-1");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(Json::parse(r.body)["error"]["field"], "code");
    EXPECT_EQ(record("maria").recovery_tries, i);
  }
  EXPECT_EQ(confirm("maria", code, "clave-nueva-1").status, 200);  // the fifth try, right

  ASSERT_EQ(ask("maria", "2026-11-02T10:10:00-03:00").status, 200);
  code = code_of(mails().back());
  for (int i = 0; i < auth::kRecoveryTriesMax; ++i) confirm("maria", other_than(code), "clave-nueva-2");
  EXPECT_TRUE(record("maria").recovery_code_hash.empty());
  const Reply late = confirm("maria", code, "clave-nueva-2");
  EXPECT_EQ(late.status, 400);
  EXPECT_EQ(login("maria", "clave-nueva-1").status, 200);
}

TEST_F(PortalRecovery, ACodeExpiresAfterFifteenMinutes) {
  ASSERT_EQ(ask("maria").status, 200);
  const std::string code = code_of(mails().back());
  EXPECT_EQ(confirm("maria", code, "clave-nueva-1", "2026-11-02T10:15:00-03:00").status, 400);
  EXPECT_EQ(record("maria").recovery_tries, 0);  // an expired code counts no try
  ASSERT_EQ(ask("nuevo", "2026-11-02T10:20:00-03:00").status, 200);
  EXPECT_EQ(confirm("nuevo", code_of(mails().back()), "clave-nueva-1", "2026-11-02T10:34:59-03:00").status, 200);
}

TEST_F(PortalRecovery, ThePasswordRulesAndMissingFieldsNameTheirField) {
  ASSERT_EQ(ask("maria").status, 200);
  const std::string code = code_of(mails().back());
  const Reply shortish = confirm("maria", code, "corta");
  EXPECT_EQ(shortish.status, 400);
  EXPECT_EQ(Json::parse(shortish.body)["error"]["field"], "new_password");
  EXPECT_NE(shortish.body.find("al menos 8 caracteres"), std::string::npos) << shortish.body;
  EXPECT_EQ(record("maria").recovery_tries, 0);  // not a try
  const Reply no_code = send("/v1/portal/recovery/confirm", {{"user", "maria"}, {"new_password", "clave-nueva-1"}});
  EXPECT_EQ(no_code.status, 400);
  EXPECT_EQ(Json::parse(no_code.body)["error"]["field"], "code");
  EXPECT_NE(no_code.body.find("escribí el código"), std::string::npos) << no_code.body;
  const Reply no_user = send("/v1/portal/recovery", Json::object());
  EXPECT_EQ(Json::parse(no_user.body)["error"]["field"], "user");
  EXPECT_EQ(confirm("maria", code, "clave-nueva-1").status, 200);
}

TEST_F(PortalRecovery, ANewPasswordUnlocksALockedOutUser) {
  for (int i = 0; i < PortalSessions::kFailuresMax; ++i) EXPECT_EQ(login("maria", "equivocada").status, 401);
  ASSERT_EQ(login("maria", "clave-de-maria").status, 429);
  ASSERT_EQ(ask("maria").status, 200);
  ASSERT_EQ(confirm("maria", code_of(mails().back()), "clave-nueva-1").status, 200);
  EXPECT_EQ(login("maria", "clave-nueva-1").status, 200);
}

TEST_F(PortalRecovery, AtMostThreeCodesAnHourForAnyName) {
  for (const char* name : {"maria", "nadie"}) {
    for (int i = 0; i < PortalSessions::kRecoveryRequestsMax; ++i) EXPECT_EQ(ask(name).status, 200) << name;
    const Reply fourth = ask(name, "2026-11-02T10:20:00-03:00");
    EXPECT_EQ(fourth.status, 429) << name;
    EXPECT_EQ(fourth.retry_after_s, 40 * 60 + 1) << name;
    EXPECT_NE(fourth.body.find("40 minutos"), std::string::npos) << fourth.body;
    EXPECT_EQ(ask(name, "2026-11-02T11:00:00-03:00").status, 200) << name;
  }
  EXPECT_EQ(mails().size(), 4u);  // maria's, each replacing the one before
}

TEST_F(PortalRecovery, TheCodeIsSealedAndHashedNeverInClear) {
  ASSERT_EQ(ask("maria").status, 200);
  const std::string code = code_of(mails().back());
  ASSERT_EQ(code.size(), 6u);
  std::string everything;
  size_t sealed = 0;
  ASSERT_TRUE(h.engine().journal().scan_events(kReferenceStream, 1, [&](Sequence, std::string_view bytes) {
    everything.append(bytes);
    fb::EventT e;
    EXPECT_TRUE(unpack_event(bytes, &e).is_ok());
    if (const fb::PortalUserT* u = e.reference.AsPortalUser(); u && !u->recovery_sealed_code.empty()) ++sealed;
    return true;
  }).is_ok());
  ASSERT_TRUE(h.engine().journal().scan_state(StateTable::kReference, [&](std::string_view, std::string_view v) {
    return everything.append(v), true;
  }).is_ok());
  EXPECT_EQ(sealed, 1u);
  EXPECT_EQ(everything.find(code), std::string::npos);
  EXPECT_EQ(record("maria").recovery_code_hash.size(), kKeyedHashBytes);
  EXPECT_EQ(record("maria").recovery_expires_ms, parse_instant(kRecoveryAt)->value + auth::kRecoveryValidMs);
}

// The outbox mails a code once: not again when it runs again, restarts from
// its checkpoint, loses its checkpoint, or when the user is upserted later.
TEST_F(PortalRecovery, TheOutboxMailsEachCodeOnce) {
  ASSERT_EQ(ask("maria").status, 200);
  ASSERT_EQ(mails().size(), 1u);
  size_t appended = 99;
  ASSERT_TRUE(h.service().outbox().catch_up(&appended).is_ok());
  EXPECT_EQ(appended, 0u);
  ASSERT_TRUE(auth::set_portal_profile(h.engine(), "maria", "maria@example.org", "0388 422-1100", Millis{1}).is_ok());
  EXPECT_EQ(mails().size(), 1u);
  EXPECT_FALSE(record("maria").recovery_code_hash.empty());  // a profile change keeps the code
  const std::filesystem::path file = h.service().outbox().file();
  {
    OutboxProjection restarted(h.engine().journal(), h.engine().options().keys, file);
    ASSERT_TRUE(restarted.catch_up(&appended).is_ok());
    EXPECT_EQ(appended, 0u);
  }
  std::filesystem::remove(file.string() + ".checkpoint");  // a crash before the checkpoint
  {
    OutboxProjection restarted(h.engine().journal(), h.engine().options().keys, file);
    ASSERT_TRUE(restarted.catch_up(&appended).is_ok());
    EXPECT_EQ(appended, 0u);
  }
  h.open(1);  // the server restarts
  ASSERT_TRUE(h.service().outbox().catch_up(&appended).is_ok());
  EXPECT_EQ(appended, 0u);
  ASSERT_EQ(ask("maria", "2026-11-02T10:30:00-03:00").status, 200);
  const std::vector<Json> sent = mails();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_NE(sent[0]["id"], sent[1]["id"]);
  EXPECT_EQ(sent[1]["id"].get<std::string>().rfind(std::to_string(kReferenceStream) + "-", 0), 0u);
}

TEST_F(PortalRecovery, AnOpsResetOrDisablingVoidsAPendingCode) {
  ASSERT_EQ(ask("maria").status, 200);
  const std::string code = code_of(mails().back());
  std::string password;
  ASSERT_TRUE(auth::reset_portal_password(h.engine(), "maria", Millis{1}, &password).is_ok());
  EXPECT_EQ(confirm("maria", code, "clave-nueva-1").status, 400);
  const Reply in = login("maria", password);
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_EQ(Json::parse(in.body)["must_change_password"], true);
  ASSERT_EQ(ask("nuevo").status, 200);
  const std::string other = code_of(mails().back());
  ASSERT_TRUE(auth::disable_portal_user(h.engine(), "nuevo", Millis{1}).is_ok());
  EXPECT_EQ(confirm("nuevo", other, "clave-nueva-1").status, 400);
}

}  // namespace
}  // namespace autoriza::testing

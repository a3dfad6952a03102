// The providers' portal's sessions (adapters/service/portal_api.h): sign in
// and lockout, the cookie, CSRF on writes, the initial password, Cambiar
// Prestador, idle expiry, sign out; a command sent through a session is
// decided exactly as one sent with an API key and records who sent it.
#include <gtest/gtest.h>

#include <future>

#include "adapters/auth/key_admin.h"
#include "adapters/auth/portal_users.h"
#include "adapters/codec/codec.h"
#include "engine/state_store.h"
#include "tests/support/harness.h"

namespace autoriza::testing {
namespace {

constexpr const char* kSessionAt = "2026-11-02T10:00:00-03:00";
const std::string kSessionAuthorize =
    R"({"request_id":"r1","provider":"LAB127","credential":"110000783851","prescribed_on":"2026-10-30",)"
    R"("prescriber":{"kind":"MD","license":"1234"},"items":[{"code":"000118"},{"code":"000012","qty":2}]})";

class PortalSession : public ::testing::Test {
 protected:
  void SetUp() override {
    add_user("maria", {"LAB127"}, "clave-de-maria", false);
    add_user("nuevo", {"LAB127", "LAB200"}, "clave-inicial", true);
  }
  void add_user(const std::string& user, std::vector<std::string> providers, const std::string& password,
                bool must_change) {
    auth::PortalUserSpec spec{user, "Usuario " + user, user + "@example.org", "", std::move(providers)};
    ASSERT_TRUE(auth::add_portal_user(h.engine(), spec, password, must_change, Millis{0}, nullptr).is_ok());
  }
  // One request with the session and CSRF token held, at `at`.
  Reply request(const std::string& method, const std::string& target, const std::string& body = "",
                const std::string& at = kSessionAt, bool send_csrf = true) {
    std::promise<Reply> promise;
    Caller caller;
    caller.session = cookie;
    if (send_csrf) caller.csrf = csrf;
    h.service().request(caller, method, target, body, *parse_instant(at), [&](Reply r) { promise.set_value(std::move(r)); });
    return promise.get_future().get();
  }
  Reply login(const std::string& user, const std::string& provider, const std::string& password) {
    const Reply r = request("POST", "/v1/portal/login",
                            Json{{"user", user}, {"provider", provider}, {"password", password}}.dump());
    if (r.status == 200) {
      const std::string prefix = "autoriza_portal=";
      cookie = r.set_cookie.substr(prefix.size(), r.set_cookie.find(';') - prefix.size());
      csrf = Json::parse(r.body)["csrf"].get<std::string>();
    }
    return r;
  }
  Harness h;
  std::string cookie, csrf;
};

TEST_F(PortalSession, SignInSetsAStrictHttpOnlyCookie) {
  const Reply r = login("maria", "LAB127", "clave-de-maria");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(r.set_cookie.find("SameSite=Strict"), std::string::npos);
  const Json session = Json::parse(r.body);
  EXPECT_EQ(session["provider"]["id"], "LAB127");
  EXPECT_EQ(session["must_change_password"], false);
  EXPECT_EQ(request("GET", "/v1/portal/session").status, 200);
}

TEST_F(PortalSession, WrongCredentialsAreOneSpanishAnswerAndLockAfterFive) {
  EXPECT_EQ(login("maria", "LAB200", "clave-de-maria").status, 401);  // not her provider
  EXPECT_EQ(login("nadie", "LAB127", "clave-de-maria").status, 401);
  const Reply wrong = login("maria", "LAB127", "otra-clave");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.body.find("contraseña incorrectos"), std::string::npos) << wrong.body;
  for (int i = 0; i < 3; ++i) login("maria", "LAB127", "otra-clave");
  const Reply locked = login("maria", "LAB127", "clave-de-maria");  // right, but locked now
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_GT(locked.retry_after_s, 0);
  EXPECT_EQ(request("POST", "/v1/portal/login", R"({"user":"maria","provider":"LAB127"})").status, 400);
}

TEST_F(PortalSession, WritesNeedTheCsrfTokenAndCommandsRecordTheUser) {
  ASSERT_EQ(login("maria", "LAB127", "clave-de-maria").status, 200);
  EXPECT_EQ(request("POST", "/v1/authorize", kSessionAuthorize, kSessionAt, false).status, 403);
  const Reply r = request("POST", "/v1/authorize", kSessionAuthorize);
  ASSERT_EQ(r.status, 200) << r.body;
  // Another provider than the session's is refused.
  std::string other = kSessionAuthorize;
  other.replace(other.find("LAB127"), 6, "LAB200");
  other.replace(other.find("\"r1\""), 4, "\"r2\"");
  EXPECT_EQ(request("POST", "/v1/authorize", other).status, 403);
  std::string channel;
  ASSERT_TRUE(h.engine().journal().scan_events(0, 1, [&](Sequence, std::string_view bytes) {
    fb::EventT e;
    if (unpack_event(bytes, &e).is_ok() && e.request_id == "r1") channel = e.channel;
    return true;
  }).is_ok());
  EXPECT_EQ(channel, "portal:maria");
}

// The same authorization through the portal and with an API key: the same
// decision, event for event, apart from the channel that records who sent it.
TEST_F(PortalSession, PortalAndApiKeyDecideTheSame) {
  ASSERT_EQ(login("maria", "LAB127", "clave-de-maria").status, 200);
  const Reply portal = request("POST", "/v1/authorize", kSessionAuthorize);
  Harness other;
  std::string key, key_id;
  ASSERT_TRUE(auth::add_key(other.engine(), {"provider-LAB127", auth::Role::kProvider, "LAB127", {}, {}}, Millis{0},
                            &key, &key_id).is_ok());
  std::promise<Reply> promise;
  other.service().post(Caller{key, nullptr}, "authorize", kSessionAuthorize, *parse_instant(kSessionAt),
                       [&](Reply r) { promise.set_value(std::move(r)); });
  const Reply api = promise.get_future().get();
  ASSERT_EQ(portal.status, 200);
  EXPECT_EQ(portal.body, api.body);
  auto event_of = [](Harness& harness) {
    fb::EventT found;
    EXPECT_TRUE(harness.engine().journal().scan_events(0, 1, [&](Sequence, std::string_view bytes) {
      fb::EventT e;
      if (unpack_event(bytes, &e).is_ok() && e.request_id == "r1") found = std::move(e);
      return true;
    }).is_ok());
    return found;
  };
  fb::EventT a = event_of(h), b = event_of(other);
  EXPECT_EQ(a.channel, "portal:maria");
  a.channel = b.channel;
  EXPECT_TRUE(a == b);
}

TEST_F(PortalSession, TheInitialPasswordMustBeChangedFirst) {
  const Reply r = login("nuevo", "LAB200", "clave-inicial");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json::parse(r.body)["must_change_password"], true);
  EXPECT_EQ(request("GET", "/v1/providers/LAB200/register").status, 403);
  EXPECT_EQ(request("POST", "/v1/portal/password", R"({"current":"mal","new":"otra-clave-larga"})").status, 400);
  EXPECT_EQ(request("POST", "/v1/portal/password", R"({"current":"clave-inicial","new":"corta"})").status, 400);
  const Reply changed = request("POST", "/v1/portal/password", R"({"current":"clave-inicial","new":"otra-clave-larga"})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(Json::parse(changed.body)["must_change_password"], false);
  EXPECT_EQ(request("GET", "/v1/providers/LAB200/register").status, 200);
  // Cambiar Prestador: to one of the user's providers only.
  EXPECT_EQ(request("POST", "/v1/portal/provider", R"({"provider":"DEN333"})").status, 403);
  const Reply switched = request("POST", "/v1/portal/provider", R"({"provider":"LAB127"})");
  ASSERT_EQ(switched.status, 200);
  EXPECT_EQ(request("GET", "/v1/providers/LAB127/register").status, 200);
  EXPECT_EQ(request("GET", "/v1/providers/LAB200/register").status, 403);
}

TEST_F(PortalSession, IdleSessionsExpireAndSignOutEndsOne) {
  ASSERT_EQ(login("maria", "LAB127", "clave-de-maria").status, 200);
  EXPECT_EQ(request("GET", "/v1/portal/session", "", "2026-11-02T10:14:00-03:00").status, 200);
  EXPECT_EQ(request("GET", "/v1/portal/session", "", "2026-11-02T10:30:00-03:00").status, 401);  // idle 16 min
  ASSERT_EQ(login("maria", "LAB127", "clave-de-maria").status, 200);
  const Reply out = request("POST", "/v1/portal/logout");
  EXPECT_EQ(out.status, 200);
  EXPECT_NE(out.set_cookie.find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(request("GET", "/v1/portal/session").status, 401);
  EXPECT_EQ(request("GET", "/v1/providers/LAB127/register").status, 401);
}

}  // namespace
}  // namespace autoriza::testing

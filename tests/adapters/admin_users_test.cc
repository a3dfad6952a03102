// The ops API over the providers' portal's users (adapters/service/admin_api.cc,
// /v1/admin/users): list without hashes, create or replace with an initial
// password shown once, disable, reset the password; role ops only.
#include <gtest/gtest.h>

#include <future>

#include "adapters/auth/portal_users.h"
#include "adapters/codec/codec.h"
#include "tests/support/harness.h"

namespace autoriza::testing {
namespace {

constexpr const char* kAdminAt = "2026-11-02T10:00:00-03:00";
const auth::Principal kOpsKey{"admin", auth::Role::kOps, {}, {}, {}};
const auth::Principal kLabKey{"provider-LAB127", auth::Role::kProvider, "LAB127", {}, {}};

class AdminUsers : public ::testing::Test {
 protected:
  Reply call(const std::string& method, const std::string& target, const Json& body = nullptr,
             const auth::Principal& who = kOpsKey, const std::string& at = kAdminAt) {
    std::promise<Reply> promise;
    h.service().request(Caller{{}, &who}, method, target, body.is_null() ? "" : body.dump(), *parse_instant(at),
                        [&](Reply r) { promise.set_value(std::move(r)); });
    return promise.get_future().get();
  }
  Reply login(const std::string& user, const std::string& password, const std::string& provider = "LAB127") {
    std::promise<Reply> promise;
    h.service().request(Caller{}, "POST", "/v1/portal/login",
                        Json{{"user", user}, {"provider", provider}, {"password", password}}.dump(),
                        *parse_instant(kAdminAt), [&](Reply r) { promise.set_value(std::move(r)); });
    return promise.get_future().get();
  }
  static Json ana() {
    return {{"user", "ana"}, {"name", "Ana Pérez"}, {"email", "ana@example.org"}, {"phone", "0388 422-1100"},
            {"providers", {"LAB127", "LAB200"}}};
  }
  Harness h;
};

TEST_F(AdminUsers, CreatesAUserWhosePasswordIsShownOnceAndMustBeChanged) {
  const Reply made = call("POST", "/v1/admin/users", ana());
  ASSERT_EQ(made.status, 200) << made.body;
  const Json user = Json::parse(made.body);
  EXPECT_EQ(user["user"], "ana");
  EXPECT_EQ(user["providers"], Json({"LAB127", "LAB200"}));
  EXPECT_EQ(user["must_change_password"], true);
  EXPECT_EQ(user["disabled"], false);
  EXPECT_TRUE(user["locked_until"].is_null());
  const std::string password = user["password"];
  EXPECT_GE(password.size(), auth::kPortalPasswordMin);
  const Reply in = login("ana", password, "LAB200");
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_EQ(Json::parse(in.body)["must_change_password"], true);
  // A password chosen by ops is not answered back.
  Json chosen = ana();
  chosen["password"] = "inicial-de-ana";
  const Reply replaced = call("POST", "/v1/admin/users", chosen);
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_FALSE(Json::parse(replaced.body).contains("password"));
  EXPECT_EQ(login("ana", password).status, 401);
  EXPECT_EQ(login("ana", "inicial-de-ana").status, 200);
}

TEST_F(AdminUsers, ListsEveryUserWithoutAHash) {
  ASSERT_EQ(call("POST", "/v1/admin/users", ana()).status, 200);
  Json bruno = {{"user", "bruno"}, {"name", "Bruno"}, {"providers", {"LAB127"}}, {"password", "inicial-de-bruno"}};
  ASSERT_EQ(call("POST", "/v1/admin/users", bruno).status, 200);
  ASSERT_TRUE(auth::start_portal_recovery(h.engine(), "ana", *parse_instant(kAdminAt)).is_ok());
  const Reply listed = call("GET", "/v1/admin/users");
  ASSERT_EQ(listed.status, 200) << listed.body;
  const Json items = Json::parse(listed.body)["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["user"], "ana");
  EXPECT_EQ(items[0]["email"], "ana@example.org");
  EXPECT_EQ(items[1]["user"], "bruno");
  EXPECT_EQ(items[1]["email"], "");
  EXPECT_EQ(listed.body.find("scrypt"), std::string::npos);
  EXPECT_EQ(listed.body.find("hash"), std::string::npos);
  EXPECT_EQ(listed.body.find("recovery"), std::string::npos);
  EXPECT_EQ(listed.body.find("\"password\""), std::string::npos);
}

TEST_F(AdminUsers, BadBodiesNameTheField) {
  Json no_providers = ana();
  no_providers.erase("providers");
  const Reply a = call("POST", "/v1/admin/users", no_providers);
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(Json::parse(a.body)["error"]["field"], "providers");
  Json unknown = ana();
  unknown["providers"] = {"NOPE1"};
  const Reply b = call("POST", "/v1/admin/users", unknown);
  EXPECT_EQ(b.status, 400);
  EXPECT_EQ(Json::parse(b.body)["error"]["field"], "providers");
  Json bad_name = ana();
  bad_name["user"] = "ana pérez";
  EXPECT_EQ(Json::parse(call("POST", "/v1/admin/users", bad_name).body)["error"]["field"], "user");
  Json short_password = ana();
  short_password["password"] = "corta";
  EXPECT_EQ(Json::parse(call("POST", "/v1/admin/users", short_password).body)["error"]["field"], "password");
  EXPECT_EQ(call("GET", "/v1/admin/users").body.find("ana"), std::string::npos);  // nothing was made
}

TEST_F(AdminUsers, DisableEndsSignInAndUnknownUsersAre404) {
  Json chosen = ana();
  chosen["password"] = "inicial-de-ana";
  ASSERT_EQ(call("POST", "/v1/admin/users", chosen).status, 200);
  const Reply disabled = call("POST", "/v1/admin/users/ana/disable", Json::object());
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(Json::parse(disabled.body)["disabled"], true);
  EXPECT_EQ(login("ana", "inicial-de-ana").status, 401);
  EXPECT_EQ(call("POST", "/v1/admin/users/nadie/disable", Json::object()).status, 404);
  EXPECT_EQ(call("POST", "/v1/admin/users/nadie/reset-password", Json::object()).status, 404);
}

TEST_F(AdminUsers, ResetPasswordGivesANewInitialOneAndUnlocks) {
  Json chosen = ana();
  chosen["password"] = "inicial-de-ana";
  ASSERT_EQ(call("POST", "/v1/admin/users", chosen).status, 200);
  for (int i = 0; i < PortalSessions::kFailuresMax; ++i) login("ana", "equivocada");
  const Json locked = Json::parse(call("GET", "/v1/admin/users").body)["items"][0];
  EXPECT_EQ(locked["locked_until"], "2026-11-02T10:15:00-03:00");
  const Reply reset = call("POST", "/v1/admin/users/ana/reset-password", Json::object());
  ASSERT_EQ(reset.status, 200) << reset.body;
  const Json user = Json::parse(reset.body);
  EXPECT_TRUE(user["locked_until"].is_null());
  EXPECT_EQ(user["must_change_password"], true);
  EXPECT_EQ(login("ana", "inicial-de-ana").status, 401);
  const Reply in = login("ana", user["password"].get<std::string>());
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_EQ(Json::parse(in.body)["must_change_password"], true);
}

TEST_F(AdminUsers, OnlyOpsMayCallThem) {
  EXPECT_EQ(call("GET", "/v1/admin/users", nullptr, kLabKey).status, 403);
  EXPECT_EQ(call("POST", "/v1/admin/users", ana(), kLabKey).status, 403);
  EXPECT_EQ(call("POST", "/v1/admin/users/ana/disable", Json::object(), kLabKey).status, 403);
  EXPECT_EQ(call("POST", "/v1/admin/users/ana/reset-password", Json::object(), kLabKey).status, 403);
  std::promise<Reply> promise;
  h.service().request(Caller{}, "GET", "/v1/admin/users", "", *parse_instant(kAdminAt),
                      [&](Reply r) { promise.set_value(std::move(r)); });
  EXPECT_EQ(promise.get_future().get().status, 401);
}

}  // namespace
}  // namespace autoriza::testing

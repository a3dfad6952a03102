// Which dev key the scenario runner sends each step with (step_keys.h): the
// key of the principal the step belongs to, checked by authenticating it.
#include "adapters/dev/step_keys.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "adapters/auth/auth.h"
#include "tests/support/crash_process.h"  // crash::TempDir
#include "engine/engine.h"
#include "engine/core/reference_loader.h"

namespace autoriza {
namespace {

class ScenarioKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status st;
    EngineOptions options;
    options.store = dir_;
    options.sync = false;
    engine_ = Engine::open(options, &st);
    ASSERT_TRUE(st) << st.to_string();
    const ReferenceLoad load = load_reference_dir(AUTORIZA_TEST_FIXTURES, *engine_->reference());
    ASSERT_TRUE(load.ok());
    ReferenceLoadStats stats;
    ASSERT_TRUE(engine_->load_reference(load.records, &stats));
    st = StepKeys::create(*engine_, dir_, &keys_);
    ASSERT_TRUE(st) << st.to_string();
  }
  void TearDown() override {
    engine_.reset();
  }

  // The principal of the key the step goes with ("" when it goes without one).
  auth::Principal principal_of(const std::string& command, const Json& body) {
    std::string key;
    const Status st = keys_.key_for(command, body, &key);
    EXPECT_TRUE(st) << st.to_string();
    auth::Principal p;
    if (key.empty()) return p;
    const Status auth = auth::authenticate_key(*engine_->reference(), key, &p);
    EXPECT_TRUE(auth) << auth.to_string();
    return p;
  }

  crash::TempDir tmp_{"step-keys"};  // removed after the fixture (TearDown closed the engine)
  const std::filesystem::path& dir_ = tmp_.path();
  std::unique_ptr<Engine> engine_;
  StepKeys keys_;
};

TEST_F(ScenarioKeysTest, TheStoreGetsServesDevKeysFile) {
  std::vector<auth::DevKey> keys;
  ASSERT_TRUE(auth::read_dev_keys(dir_ / "dev-keys.csv", &keys));
  EXPECT_NE(auth::find_dev_key(keys, "provider-LAB127"), nullptr);
  EXPECT_NE(auth::find_dev_key(keys, "auditor"), nullptr);
  EXPECT_NE(auth::find_dev_key(keys, "admin"), nullptr);
}

TEST_F(ScenarioKeysTest, ProviderCommandsGoWithTheirProvidersKey) {
  for (const char* command : {"eligibility", "authorize", "consume", "annul"}) {
    const auth::Principal p = principal_of(command, {{"provider", "DEN333"}});
    EXPECT_EQ(p.name, "provider-DEN333") << command;
    EXPECT_EQ(p.role, auth::Role::kProvider);
    EXPECT_EQ(p.provider, "DEN333");
  }
}

TEST_F(ScenarioKeysTest, VerdictsGoAsTheAuditorAndTokensAsTheFamilysApp) {
  EXPECT_EQ(principal_of("audit_verdict", {{"sap", "SAP-0-1"}}).role, auth::Role::kAuditor);
  EXPECT_EQ(principal_of("audit_verdict", {{"sap", "SAP-0-1"}}).name, "auditor");
  // A verdict carries its key's auditor: the step goes with a key of the
  // auditor its body names, made on first use.
  const auth::Principal aud01 = principal_of("audit_verdict", {{"auditor", "AUD01"}, {"sap", "SAP-0-1"}});
  EXPECT_EQ(aud01.name, "AUD01");
  EXPECT_EQ(aud01.role, auth::Role::kAuditor);
  EXPECT_EQ(principal_of("audit_verdict", {{"auditor", "AUD01"}}).key_id, aud01.key_id);  // one key each
  EXPECT_EQ(principal_of("audit_verdict", {{"auditor", "AUD02"}}).name, "AUD02");
  const auth::Principal member = principal_of("token_issue", {{"credential", "110000783853"}});
  EXPECT_EQ(member.role, auth::Role::kAffiliate);
  EXPECT_EQ(member.credential, "110000783851");  // the family group's titular
  EXPECT_EQ(principal_of("token_issue", {{"credential", "110000783851"}}).name, member.name);  // one app per family
  const auth::Principal other = principal_of("token_issue", {{"credential", "220000100001"}});
  EXPECT_NE(other.name, member.name);
  EXPECT_EQ(other.name.find("2200"), std::string::npos) << "principal names are logged: no credential in them";
}

TEST_F(ScenarioKeysTest, QueriesGoAsTheRoleThatMayReadThem) {
  EXPECT_EQ(principal_of("query", {{"path", "/v1/providers/LAB200/register?from=2026-11-01"}}).name, "provider-LAB200");
  EXPECT_EQ(principal_of("query", {{"path", "/v1/transactions/T-0-1"}}).role, auth::Role::kAuditor);
  EXPECT_EQ(principal_of("query", {{"path", "/v1/audits?status=PENDING"}}).role, auth::Role::kAuditor);
  EXPECT_EQ(principal_of("query", {{"path", "/v1/practices?q=tsh"}}).role, auth::Role::kAuditor);
  EXPECT_EQ(principal_of("query", {{"path", "/v1/affiliates/110000783852/history"}}).credential, "110000783851");
  EXPECT_EQ(principal_of("query", {{"path", "/v1/projections"}}).role, auth::Role::kOps);
  EXPECT_TRUE(principal_of("query", {{"path", "/healthz"}}).name.empty());
}

TEST_F(ScenarioKeysTest, UnknownPartiesGoWithTheAdminKeyToMeetTheEnginesAnswer) {
  EXPECT_EQ(principal_of("authorize", {{"provider", "NOPE99"}}).role, auth::Role::kOps);
  EXPECT_EQ(principal_of("token_issue", {{"credential", "999999999999"}}).role, auth::Role::kOps);
  EXPECT_EQ(principal_of("teleport", {{"request_id", "x"}}).role, auth::Role::kOps);
}

}  // namespace
}  // namespace autoriza

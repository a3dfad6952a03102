// Tokens (docs/rules.md §12): dynamic tokens (HOTP over the count of issues,
// never repeated, 2 minutes) and pre-printed monthly tokens, single use,
// expiry at 2 minutes and at month boundaries in local time, tokens as
// printed or read aloud,
// brute-force throttling, retries, and no secret in clear anywhere.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <set>
#include <sstream>

#include "tests/support/harness.h"
#include "engine/records.h"
#include "replay/replay.h"

namespace autoriza::testing {
namespace {

constexpr const char* kPmo = "220000100001";  // plan PMO: token_required

class Tokens : public ::testing::Test {
 protected:
  Json issue(const std::string& id, const std::string& at, const std::string& kind = "DYNAMIC", const std::string& month = "",
             int count = 1) {
    Json body = {{"request_id", id}, {"credential", kPmo}, {"kind", kind}};
    if (!month.empty()) body["month"] = month, body["count"] = count;
    return h.run("token_issue", body, at);
  }
  Json eligibility(const std::string& id, const Json& token, const std::string& at) {
    Json body = {{"request_id", id}, {"provider", "MED410"}, {"credential", kPmo}};
    if (!token.is_null()) body["token"] = token;
    return h.run("eligibility", body, at);
  }
  Json authorize(const std::string& id, const Json& token, const std::string& at, const std::string& mode = "authorize") {
    return h.run("authorize", {{"request_id", id}, {"provider", "MED410"}, {"credential", kPmo}, {"token", token}, {"mode", mode},
                               {"prescribed_on", at.substr(0, 10)}, {"prescriber", {{"kind", "MD"}, {"license", "5678"}}},
                               {"diagnosis", "Z00.0"}, {"items", {{{"code", "420101"}}}}},
                 at);
  }
  static std::vector<std::string> reasons(const Json& a) { return codes(a["reasons"]); }
  Harness h;
};

TEST_F(Tokens, DynamicTokenValidTwoMinutesAndOnce) {
  Json t = issue("t1", "2026-11-04T08:00:59-03:00");
  const std::string token = t["tokens"][0]["token"];
  ASSERT_EQ(token.size(), 6u);
  EXPECT_EQ(t["tokens"][0]["valid_from"], "2026-11-04T08:00:59-03:00");
  EXPECT_EQ(t["tokens"][0]["valid_until"], "2026-11-04T08:02:59-03:00");
  // Eligibility does not use it up; validate neither.
  EXPECT_EQ(eligibility("e1", token, "2026-11-04T08:02:58-03:00")["status"], "ELIGIBLE");
  EXPECT_EQ(authorize("v1", token, "2026-11-04T08:02:58-03:00", "validate")["status"], "AUTHORIZED");
  EXPECT_EQ(authorize("a1", token, "2026-11-04T08:02:58-03:00")["status"], "AUTHORIZED");
  EXPECT_EQ(reasons(authorize("a2", token, "2026-11-04T08:02:58-03:00")), std::vector<std::string>{"TOKEN_ALREADY_USED"});
  EXPECT_EQ(reasons(eligibility("e2", token, "2026-11-04T08:02:58-03:00")), std::vector<std::string>{"TOKEN_ALREADY_USED"});
  // A token given is not used after its two minutes.
  const std::string late = issue("t2", "2026-11-04T09:00:00-03:00")["tokens"][0]["token"];
  EXPECT_EQ(reasons(eligibility("e3", late, "2026-11-04T09:02:00-03:00")), std::vector<std::string>{"TOKEN_EXPIRED"});
  EXPECT_EQ(reasons(eligibility("e4", late, "2026-11-05T08:59:00-03:00")), std::vector<std::string>{"TOKEN_EXPIRED"});
}

TEST_F(Tokens, TwoIssuesInOneMinuteGiveTwoTokensEachUsableOnce) {
  const std::string first = issue("t1", "2026-11-04T08:00:05-03:00")["tokens"][0]["token"];
  EXPECT_EQ(authorize("a1", first, "2026-11-04T08:00:10-03:00")["status"], "AUTHORIZED");
  const std::string second = issue("t2", "2026-11-04T08:00:20-03:00")["tokens"][0]["token"];
  EXPECT_NE(second, first);
  const std::string third = issue("t3", "2026-11-04T08:00:30-03:00")["tokens"][0]["token"];
  EXPECT_NE(third, first);
  EXPECT_NE(third, second);
  EXPECT_EQ(authorize("a2", second, "2026-11-04T08:00:40-03:00")["status"], "AUTHORIZED");
  EXPECT_EQ(authorize("a3", third, "2026-11-04T08:00:50-03:00")["status"], "AUTHORIZED");
  EXPECT_EQ(reasons(authorize("a4", first, "2026-11-04T08:00:55-03:00")), std::vector<std::string>{"TOKEN_ALREADY_USED"});
  // A retry of an issue answers the same token again (no new one).
  EXPECT_EQ(issue("t2", "2026-11-04T08:00:20-03:00")["tokens"][0]["token"], second);
  // Many issues: none repeats a token the affiliate holds.
  std::set<std::string> seen = {first, second, third};
  for (int i = 0; i < 40; ++i) {
    const std::string at = "2026-11-04T10:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ":00-03:00";
    EXPECT_TRUE(seen.insert(issue("m" + std::to_string(i), at)["tokens"][0]["token"].get<std::string>()).second);
  }
}

TEST_F(Tokens, TokensAsPrintedOrReadAloud) {
  Json p = issue("p1", "2026-11-04T09:00:00-03:00", "PREPRINTED", "2026-11", 2);
  const std::string printed = p["tokens"][0]["token"];
  const std::string spaced = printed.substr(0, 4) + " " + printed.substr(4);
  EXPECT_EQ(authorize("a1", spaced, "2026-11-04T09:10:00-03:00")["status"], "AUTHORIZED");
  EXPECT_EQ(reasons(authorize("a2", printed, "2026-11-04T09:11:00-03:00")), std::vector<std::string>{"TOKEN_ALREADY_USED"});
  const std::string other = p["tokens"][1]["token"];
  EXPECT_EQ(authorize("a3", other.substr(0, 2) + "-" + other.substr(2, 3) + "." + other.substr(5), "2026-11-04T09:12:00-03:00")["status"],
            "AUTHORIZED");
  const std::string dynamic = issue("t1", "2026-11-04T09:20:00-03:00")["tokens"][0]["token"];
  EXPECT_EQ(eligibility("e1", dynamic.substr(0, 3) + " " + dynamic.substr(3), "2026-11-04T09:20:30-03:00")["status"], "ELIGIBLE");
  EXPECT_EQ(reasons(eligibility("e2", "12 34 ab", "2026-11-04T09:20:30-03:00")), std::vector<std::string>{"TOKEN_INVALID"});
}

TEST_F(Tokens, RequiredInvalidAndIgnoredForPlansWithoutTokens) {
  EXPECT_EQ(reasons(eligibility("e1", nullptr, "2026-11-04T08:00:00-03:00")), std::vector<std::string>{"TOKEN_REQUIRED"});
  issue("t1", "2026-11-04T08:00:00-03:00");
  EXPECT_EQ(reasons(eligibility("e2", "000000", "2026-11-04T08:00:10-03:00")).size(), 1u);
  EXPECT_EQ(reasons(eligibility("e3", "12ab56", "2026-11-04T08:00:10-03:00")), std::vector<std::string>{"TOKEN_INVALID"});
  // NORMAL plan: a token is ignored.
  Json n = h.run("eligibility", {{"request_id", "n1"}, {"provider", "LAB127"}, {"credential", "110000783851"}, {"token", "999999"}},
                 "2026-11-04T08:00:10-03:00");
  EXPECT_EQ(n["status"], "ELIGIBLE");
}

TEST_F(Tokens, RejectedAuthorizeDoesNotUseTheToken) {
  const std::string token = issue("t1", "2026-11-04T08:00:00-03:00")["tokens"][0]["token"];
  Json bad = h.run("authorize", {{"request_id", "a0"}, {"provider", "MED410"}, {"credential", kPmo}, {"token", token},
                                 {"items", {{{"code", "420101"}}}}}, "2026-11-04T08:00:10-03:00");  // no prescription
  EXPECT_EQ(bad["status"], "REJECTED");
  EXPECT_EQ(authorize("a1", token, "2026-11-04T08:00:20-03:00")["status"], "AUTHORIZED");
}

TEST_F(Tokens, PreprintedTokensAreValidOnlyInTheirLocalMonth) {
  Json p = issue("p1", "2026-11-04T09:00:00-03:00", "PREPRINTED", "2026-11", 31);
  ASSERT_EQ(p["tokens"].size(), 31u);
  std::set<std::string> distinct;
  for (const auto& t : p["tokens"]) distinct.insert(t["token"].get<std::string>());
  EXPECT_EQ(distinct.size(), 31u);
  EXPECT_EQ(p["tokens"][0]["valid_from"], "2026-11-01T00:00:00-03:00");
  EXPECT_EQ(p["tokens"][0]["valid_until"], "2026-12-01T00:00:00-03:00");
  // 23:59 on Nov 30 in Argentina is already Dec 1 in UTC: still November.
  EXPECT_EQ(authorize("a1", p["tokens"][0]["token"], "2026-11-30T23:59:00-03:00")["status"], "AUTHORIZED");
  EXPECT_EQ(reasons(authorize("a2", p["tokens"][0]["token"], "2026-11-30T23:59:30-03:00")), std::vector<std::string>{"TOKEN_ALREADY_USED"});
  EXPECT_EQ(reasons(authorize("a3", p["tokens"][1]["token"], "2026-12-01T00:00:00-03:00")), std::vector<std::string>{"TOKEN_EXPIRED"});
  // Next month's tokens are not valid before their month.
  Json q = issue("p2", "2026-11-04T09:00:00-03:00", "PREPRINTED", "2026-12", 2);
  EXPECT_EQ(reasons(eligibility("e1", q["tokens"][0]["token"], "2026-11-20T10:00:00-03:00")), std::vector<std::string>{"TOKEN_EXPIRED"});
  EXPECT_EQ(eligibility("e2", q["tokens"][0]["token"], "2026-12-02T10:00:00-03:00")["status"], "ELIGIBLE");
  EXPECT_EQ(reasons(eligibility("e3", "12345678", "2026-12-02T10:00:00-03:00")), std::vector<std::string>{"TOKEN_INVALID"});
}

TEST_F(Tokens, IssueRequestsAreValidated) {
  EXPECT_EQ(issue("p1", "2026-11-04T09:00:00-03:00", "PREPRINTED", "2027-01", 3)["error"]["field"], "month");
  EXPECT_EQ(issue("p2", "2026-11-04T09:00:00-03:00", "PREPRINTED", "2026-10", 3)["error"]["field"], "month");
  EXPECT_EQ(issue("p3", "2026-11-04T09:00:00-03:00", "PREPRINTED", "2026-11", 32)["error"]["field"], "count");
  // December issues January of the next year.
  EXPECT_EQ(issue("p4", "2026-12-31T23:00:00-03:00", "PREPRINTED", "2027-01", 1)["tokens"].size(), 1u);
  Json unknown = h.run("token_issue", {{"request_id", "x"}, {"credential", "999"}, {"kind", "DYNAMIC"}}, "2026-11-04T09:00:00-03:00");
  EXPECT_EQ(h.last_status(), 404);
}

TEST_F(Tokens, RetryOfAnIssueAnswersTheSameTokens) {
  Json p = issue("p1", "2026-11-04T09:00:00-03:00", "PREPRINTED", "2026-11", 5);
  EXPECT_EQ(issue("p1", "2026-11-04T09:30:00-03:00", "PREPRINTED", "2026-11", 5), p);
  Json d = issue("d1", "2026-11-04T09:00:00-03:00");
  EXPECT_EQ(issue("d1", "2026-11-04T10:00:00-03:00"), d);
  h.open(1);  // and after a restart, from the log
  EXPECT_EQ(issue("p1", "2026-11-04T11:00:00-03:00", "PREPRINTED", "2026-11", 5), p);
  EXPECT_EQ(issue("d1", "2026-11-04T11:00:00-03:00"), d);
}

TEST_F(Tokens, SingleUseUnderConcurrentRequests) {
  const std::string token = issue("t1", "2026-11-04T08:00:00-03:00")["tokens"][0]["token"];
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::map<std::string, int> statuses;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      Json a = authorize("c" + std::to_string(i % 8), token, "2026-11-04T08:00:30-03:00");  // 8 ids, each sent twice
      std::lock_guard lock(mutex);
      statuses[a["status"].get<std::string>() + (a["reasons"].empty() ? "" : ":" + a["reasons"][0]["code"].get<std::string>())]++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(statuses["AUTHORIZED"], 2);  // one request id won, and its retry got the same answer
  EXPECT_EQ(statuses["REJECTED:TOKEN_ALREADY_USED"], 14);
}

TEST_F(Tokens, RepeatedInvalidTokensAreThrottled) {
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
  const std::string token = issue("t1", "2026-11-04T08:00:00-03:00")["tokens"][0]["token"];
  const std::string wrong = token == "111111" ? "222222" : "111111";
  for (int i = 0; i < 5; ++i) eligibility("w" + std::to_string(i), wrong, "2026-11-04T08:00:1" + std::to_string(i) + "-03:00");
  // The sixth try is throttled even with the right token, and reported.
  EXPECT_EQ(reasons(eligibility("r1", token, "2026-11-04T08:00:30-03:00")), std::vector<std::string>{"TOKEN_INVALID"});
  spdlog::default_logger()->flush();
  EXPECT_NE(log.str().find("throttled"), std::string::npos);
  EXPECT_EQ(log.str().find(kPmo), std::string::npos);  // no credential (PII) in the report
  // 15 minutes after the failures the affiliate may try again.
  const std::string later = issue("t2", "2026-11-04T08:16:00-03:00")["tokens"][0]["token"];
  EXPECT_EQ(eligibility("r2", later, "2026-11-04T08:16:10-03:00")["status"], "ELIGIBLE");
  spdlog::set_default_logger(previous);
}

TEST_F(Tokens, NoSecretInClearInEventsStateOrReplay) {
  Json p = issue("p1", "2026-11-04T09:00:00-03:00", "PREPRINTED", "2026-11", 10);
  Json d = issue("d1", "2026-11-04T09:00:00-03:00");
  authorize("a1", p["tokens"][0]["token"], "2026-11-04T09:01:00-03:00");
  authorize("a2", d["tokens"][0]["token"], "2026-11-04T09:00:30-03:00");
  std::string everything;
  Journal& j = h.engine().journal();
  for (PartitionId stream : j.streams()) {
    ASSERT_TRUE(j.scan_events(stream, 1, [&](Sequence, std::string_view bytes) { return everything.append(bytes), true; }).is_ok());
  }
  for (StateTable t : kStateTables) {
    ASSERT_TRUE(j.scan_state(t, [&](std::string_view k, std::string_view v) { return everything.append(k).append(v), true; }).is_ok());
  }
  for (const auto& t : p["tokens"]) EXPECT_EQ(everything.find(t["token"].get<std::string>()), std::string::npos);
  // The secret itself: open the sealed one with the keys and look for its bytes.
  std::string sealed_value;
  ASSERT_TRUE(j.read_state(StateTable::kTokens, kPmo, &sealed_value).is_ok());
  fb::TokenStateT ts;
  ASSERT_TRUE(unpack_record(sealed_value, &ts).is_ok());
  std::string secret;
  ASSERT_TRUE(open(*h.engine().options().keys, std::string(ts.sealed_secret.begin(), ts.sealed_secret.end()), std::string("secret:") + kPmo,
                   &secret).is_ok());
  ASSERT_EQ(secret.size(), 20u);
  EXPECT_EQ(everything.find(secret), std::string::npos);
  // Used tokens stay used after a replay and a restart on the rebuilt store.
  h.close();
  const auto rebuilt = temp_dir("tokens");
  std::filesystem::remove_all(rebuilt);
  ReplayReport report;
  ASSERT_TRUE(replay_store(h.dir(), rebuilt, &report).is_ok());
  EXPECT_TRUE(report.equal());
  Harness again{1, rebuilt};
  EXPECT_EQ(codes(again.run("eligibility", {{"request_id", "z"}, {"provider", "MED410"}, {"credential", kPmo}, {"token", p["tokens"][0]["token"]}},
                            "2026-11-04T09:02:00-03:00")["reasons"]),
            std::vector<std::string>{"TOKEN_ALREADY_USED"});
  again.close();
  std::filesystem::remove_all(rebuilt);
}

}  // namespace
}  // namespace autoriza::testing

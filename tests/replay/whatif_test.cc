// What-if over the known history (history.h) with hand-built expectations:
// unchanged data changes nothing; coverage 0 for the NORMAL plan's
// biochemical practices refuses a1 and a2 and, in the what-if world, the
// consume of a1's order and the annulment of a2; dropping the frequency rule
// of 000865 authorizes a3 and nothing else; a period leaves its prefix as
// recorded; a token command is kept as recorded.
#include "replay/whatif.h"

#include <gtest/gtest.h>

#include "tests/replay/history.h"
#include "tests/support/random_commands.h"

namespace autoriza::testing {
namespace {

class WhatIfRun : public ::testing::Test {
 protected:
  void SetUp() override {
    known = run_known_history(h);
    h.close();
  }
  void TearDown() override {
    std::error_code ec;
    if (!data.empty()) std::filesystem::remove_all(data, ec);
  }

  WhatIfReport run(WhatIfOptions options = {}) {
    options.data = data.empty() ? std::filesystem::path(AUTORIZA_TEST_FIXTURES) : data;
    options.on_change = [this](const WhatIfChange& c) { streamed.push_back(c); };
    WhatIfReport report;
    Status s = what_if(h.dir(), options, &report);
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    return report;
  }

  static std::map<std::string, const WhatIfChange*> by_tx(const WhatIfReport& r) {
    std::map<std::string, const WhatIfChange*> out;
    for (const auto& c : r.changes) out[c.transaction] = &c;
    return out;
  }

  Harness h;
  KnownHistory known;
  std::filesystem::path data;
  std::vector<WhatIfChange> streamed;
};

TEST_F(WhatIfRun, UnchangedDataChangesNothing) {
  WhatIfReport r = run();
  EXPECT_EQ(r.changed, 0u);
  EXPECT_TRUE(r.changes.empty());
  EXPECT_EQ(r.examined, 7u);     // h1 a1 c1 a2 a3 d1 x1
  EXPECT_EQ(r.kept_sealed, 2u);  // t1 t2
  EXPECT_EQ(r.kept_token, 1u);   // p1
  EXPECT_EQ(r.dropped, 0u);
  EXPECT_EQ(r.events_before, 0u);
  EXPECT_EQ(r.data.updated + r.data.added, 0u);
  EXPECT_GT(r.data.unchanged, 30u);
  EXPECT_GT(r.reference_in_period, 30u);  // the fixtures, loaded before the first command
  EXPECT_EQ(r.reference_overridden, 0u);
  EXPECT_EQ(r.total_delta_cents, 0);
  EXPECT_EQ(r.copay_delta_cents, 0);
}

TEST_F(WhatIfRun, CoverageZeroChangesExactlyTheDecisionsOnIt) {
  data = changed_fixtures("plans.csv", fixture_with("plans.csv", "NORMAL,", "NORMAL,no,0,70,100"));
  WhatIfReport r = run();
  EXPECT_EQ(r.data.updated, 1u);
  EXPECT_EQ(r.data_changed, std::vector<std::string>{"plan:NORMAL"});
  EXPECT_EQ(r.examined, 7u);
  ASSERT_EQ(r.changed, 5u);
  auto c = by_tx(r);
  ASSERT_EQ(c.size(), 5u);
  // a1: both items not covered; no order.
  const WhatIfChange& a1 = *c.at(known.tx("a1"));
  EXPECT_EQ(a1.command, "authorize");
  EXPECT_EQ(a1.old_status, "AUTHORIZED");
  EXPECT_EQ(a1.new_status, "REJECTED");
  EXPECT_EQ(a1.old_total_cents, 79000);
  EXPECT_EQ(a1.new_total_cents, 0);
  EXPECT_EQ(a1.old_copay_cents, 15800);
  EXPECT_EQ(a1.new_copay_cents, 0);
  EXPECT_NE(a1.details.find("order " + known.tx("a1") + "->none"), std::string::npos) << a1.details;
  EXPECT_NE(a1.details.find("item 0 AUTHORIZED->REJECTED +NOT_COVERED"), std::string::npos) << a1.details;
  EXPECT_NE(a1.details.find("item 1 AUTHORIZED->REJECTED +NOT_COVERED"), std::string::npos) << a1.details;
  // c1: its order does not exist in the what-if world.
  const WhatIfChange& c1 = *c.at(known.tx("c1"));
  EXPECT_EQ(c1.old_status, "ACCEPTED");
  EXPECT_EQ(c1.new_status, "REJECTED");
  EXPECT_EQ(c1.old_total_cents, 79000);
  EXPECT_EQ(c1.new_total_cents, 0);
  EXPECT_NE(c1.details.find("reasons +ORDER_NOT_FOUND"), std::string::npos) << c1.details;
  // a2: the other NORMAL affiliate.
  const WhatIfChange& a2 = *c.at(known.tx("a2"));
  EXPECT_EQ(a2.old_status, "AUTHORIZED");
  EXPECT_EQ(a2.new_status, "REJECTED");
  EXPECT_EQ(a2.old_total_cents - a2.new_total_cents, 61000);
  // a3: still refused, for another reason (a1 never authorized 000865).
  const WhatIfChange& a3 = *c.at(known.tx("a3"));
  EXPECT_EQ(a3.old_status, "REJECTED");
  EXPECT_EQ(a3.new_status, "REJECTED");
  EXPECT_NE(a3.details.find("item 0 +NOT_COVERED -FREQUENCY_EXCEEDED"), std::string::npos) << a3.details;
  // x1: a2 issued no order to annul.
  const WhatIfChange& x1 = *c.at(known.tx("x1"));
  EXPECT_EQ(x1.command, "annul");
  EXPECT_EQ(x1.old_status, "ANNULLED");
  EXPECT_EQ(x1.new_status, "REJECTED");
  EXPECT_NE(x1.details.find("+TRANSACTION_NOT_FOUND"), std::string::npos) << x1.details;
  // Dental (d1), eligibility (h1) and the PMO authorization (p1, kept) do not change.
  EXPECT_FALSE(c.contains(known.tx("d1")));
  EXPECT_FALSE(c.contains(known.tx("h1")));
  EXPECT_FALSE(c.contains(known.tx("p1")));
  EXPECT_EQ(r.total_delta_cents, -(79000 + 79000 + 61000));
  EXPECT_EQ(r.copay_delta_cents, -(15800 + 15800 + 12200));
  EXPECT_EQ(r.changed_by_command, (std::map<std::string, uint64_t>{{"annul", 1}, {"authorize", 3}, {"consume", 1}}));
  // Every change is streamed, in log order.
  ASSERT_EQ(streamed.size(), 5u);
  EXPECT_EQ(streamed[0].transaction, known.tx("a1"));
  EXPECT_EQ(streamed[4].transaction, known.tx("x1"));
}

TEST_F(WhatIfRun, WithoutTheFrequencyRuleOnlyTheRefusalChanges) {
  data = changed_fixtures(
      "practices.csv",
      fixture_with("practices.csv", "000865,", "000865,BIOCHEM,TSH TIROTROFINA PLASMATICA,0.00,610.00,1,no,no,,,,no,"));
  WhatIfReport r = run();
  EXPECT_EQ(r.data_changed, std::vector<std::string>{"practice:000865"});
  ASSERT_EQ(r.changed, 1u);
  const WhatIfChange& a3 = r.changes.at(0);
  EXPECT_EQ(a3.transaction, known.tx("a3"));
  EXPECT_EQ(a3.old_status, "REJECTED");
  EXPECT_EQ(a3.new_status, "AUTHORIZED");
  EXPECT_EQ(a3.old_total_cents, 0);
  EXPECT_EQ(a3.new_total_cents, 61000);
  EXPECT_EQ(a3.new_copay_cents, 12200);
  EXPECT_NE(a3.details.find("item 0 REJECTED->AUTHORIZED -FREQUENCY_EXCEEDED"), std::string::npos) << a3.details;
  EXPECT_EQ(r.total_delta_cents, 61000);
}

TEST_F(WhatIfRun, APeriodKeepsItsPrefixAsRecorded) {
  // A longer frequency window (60 days) from 2026-11-15: a3 is still refused
  // (a1, before the period, counts as recorded), nothing changes; a period
  // from 2026-11-02T10:00 decides a1 again too, which is unchanged.
  data = changed_fixtures(
      "practices.csv",
      fixture_with("practices.csv", "000865,", "000865,BIOCHEM,TSH TIROTROFINA PLASMATICA,0.00,610.00,1,no,no,,,,no,"));
  WhatIfOptions late;
  ASSERT_TRUE(set_time_bound("2026-11-15T00:00:00-03:00", true, &late.range).is_ok());
  WhatIfReport r = run(late);
  EXPECT_EQ(r.events_before, 7u);  // t1 t2 h1 a1 c1 p1 a2
  EXPECT_EQ(r.examined, 3u);       // a3 d1 x1
  ASSERT_EQ(r.changed, 1u);        // a3: no frequency rule any more
  EXPECT_EQ(r.changes[0].transaction, known.tx("a3"));
  // The period ends before a3: nothing to change.
  WhatIfOptions early;
  ASSERT_TRUE(set_time_bound("2026-11-19T00:00:00-03:00", false, &early.range).is_ok());
  WhatIfReport e = run(early);
  EXPECT_EQ(e.changed, 0u);
  EXPECT_EQ(e.examined, 4u);  // h1 a1 c1 a2
}

TEST_F(WhatIfRun, ATokenConsumeWhoseOrderIsGoneIsDropped) {
  // a4 (no token) is decided again and refused; c4 consumes its order with a
  // token (ignored by the NORMAL plan, but the log keeps only "*"): c4 is kept,
  // does not fit the what-if world and is dropped.
  h.open(1);
  Json a4 = h.run("authorize", lab_authorize("a4", "LAB127", "110000783851", {"000118"}, "2026-11-22"),
                  "2026-11-23T10:00:00-03:00");
  ASSERT_EQ(a4["status"], "AUTHORIZED");
  Json c4 = h.run("consume",
                  {{"request_id", "c4"},
                   {"provider", "LAB127"},
                   {"credential", "110000783851"},
                   {"token", known.answers["t1"]["tokens"][0]["token"]},
                   {"order", a4["order"]},
                   {"items", {0}}},
                  "2026-11-23T10:05:00-03:00");
  ASSERT_EQ(c4["status"], "ACCEPTED") << c4.dump();
  h.close();
  data = changed_fixtures("plans.csv", fixture_with("plans.csv", "NORMAL,", "NORMAL,no,0,70,100"));
  WhatIfReport r = run();
  EXPECT_EQ(r.kept_token, 2u);  // p1 c4
  EXPECT_EQ(r.dropped, 1u);
  EXPECT_EQ(r.changed, 6u);  // a1 c1 a2 a3 x1 a4
  ASSERT_EQ(r.changes.size(), 7u);
  const WhatIfChange& dropped = r.changes.back();
  EXPECT_EQ(dropped.transaction, c4["transaction"]);
  EXPECT_EQ(dropped.old_status, "ACCEPTED");
  EXPECT_EQ(dropped.new_status, "DROPPED");
  EXPECT_EQ(r.total_delta_cents, -(79000 + 79000 + 61000 + 18000 + 18000));
  // With PMO's medical coverage at 0, p1 (kept: token) does not change.
  std::filesystem::remove_all(data);
  data = changed_fixtures("plans.csv", fixture_with("plans.csv", "PMO,", "PMO,yes,100,80,0"));
  WhatIfReport pmo = run();
  EXPECT_EQ(pmo.changed, 0u);
  EXPECT_EQ(pmo.dropped, 0u);
}

TEST_F(WhatIfRun, OnlyTheChangedFileIsNeeded) {
  data = temp_dir("whatif-one-file");
  std::ofstream(data / "practices.csv") << fixture_with(
      "practices.csv", "000865,", "000865,BIOCHEM,TSH TIROTROFINA PLASMATICA,0.00,610.00,1,no,no,,,,no,");
  WhatIfReport r = run();
  EXPECT_EQ(r.data.updated, 1u);
  EXPECT_EQ(r.data.added, 0u);
  ASSERT_EQ(r.changed, 1u);
  EXPECT_EQ(r.changes[0].transaction, known.tx("a3"));
  // affiliates.csv alone cannot be checked (plans come with it).
  std::filesystem::remove(data / "practices.csv");
  std::filesystem::copy_file(std::filesystem::path(AUTORIZA_TEST_FIXTURES) / "affiliates.csv", data / "affiliates.csv");
  WhatIfOptions o;
  o.data = data;
  WhatIfReport bad;
  Status s = what_if(h.dir(), o, &bad);
  EXPECT_EQ(s.kind(), StatusKind::kInvalidRequest);
  EXPECT_NE(s.message().find("plans.csv"), std::string::npos) << s.to_string();
  std::filesystem::remove(data / "affiliates.csv");
  EXPECT_EQ(what_if(h.dir(), o, &bad).field(), "--data");
}

TEST_F(WhatIfRun, BadDataIsRefusedNamingFileAndLine) {
  data = changed_fixtures("plans.csv", fixture_with("plans.csv", "NORMAL,", "NORMAL,no,eighty,70,100"));
  WhatIfOptions o;
  o.data = data;
  WhatIfReport r;
  Status s = what_if(h.dir(), o, &r);
  EXPECT_EQ(s.kind(), StatusKind::kInvalidRequest);
  EXPECT_NE(s.message().find("plans.csv:"), std::string::npos) << s.to_string();
}

TEST_F(WhatIfRun, ReportAndCsv) {
  data = changed_fixtures("plans.csv", fixture_with("plans.csv", "NORMAL,", "NORMAL,no,0,70,100"));
  WhatIfOptions o;
  std::vector<std::pair<uint64_t, uint64_t>> progress;
  o.progress = [&](uint64_t done, uint64_t total) { progress.emplace_back(done, total); };
  WhatIfReport r = run(o);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back().first, progress.back().second);
  std::ostringstream table;
  o.data = data;
  print_what_if(r, o, 2, table);
  EXPECT_NE(table.str().find("changed: 5"), std::string::npos) << table.str();
  EXPECT_NE(table.str().find("AUTHORIZED->REJECTED"), std::string::npos) << table.str();
  EXPECT_NE(table.str().find("... and 3 more"), std::string::npos) << table.str();
  EXPECT_NE(table.str().find("total -2190.00, copay -438.00"), std::string::npos) << table.str();
  std::string csv = what_if_csv_header();
  for (const auto& c : streamed) csv += what_if_csv_row(c);
  std::istringstream in(csv);
  std::vector<std::string> rows;
  for (std::string l; std::getline(in, l);) rows.push_back(l);
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0],
            "stream,sequence,transaction,time,command,provider,credential,old_status,new_status,old_total,"
            "new_total,old_copay,new_copay,details");
  EXPECT_NE(rows[1].find(",authorize,LAB127,110000783851,AUTHORIZED,REJECTED,790.00,0.00,158.00,0.00,"),
            std::string::npos)
      << rows[1];
}

}  // namespace
}  // namespace autoriza::testing

namespace autoriza::testing {
namespace {

// Property: with unchanged data, deciding every recorded command again in the
// what-if world gives every recorded answer back (audit verdicts, annulments,
// consumes, retries and errors included), over the whole log and from the
// middle of it.
class WhatIfProperty : public ::testing::TestWithParam<std::tuple<uint64_t, int>> {};

TEST_P(WhatIfProperty, UnchangedDataGivesEveryRecordedAnswer) {
  const auto [seed, partitions] = GetParam();
  Harness h{PartitionId(partitions)};
  RandomCommands gen(seed);
  std::string middle;
  for (int i = 0; i < 1200; ++i) {
    RandomStep s = gen.next();
    gen.observe(s, h.run(s.command, s.body, s.at));
    if (i == 600) middle = s.at;
  }
  h.close();
  WhatIfOptions options;
  options.data = AUTORIZA_TEST_FIXTURES;
  WhatIfReport whole;
  ASSERT_TRUE(what_if(h.dir(), options, &whole).is_ok());
  EXPECT_GT(whole.examined, 600u);
  EXPECT_EQ(whole.changed, 0u) << (whole.changes.empty()
                                       ? ""
                                       : whole.changes[0].transaction + " " + whole.changes[0].details);
  EXPECT_EQ(whole.dropped, 0u);
  ASSERT_TRUE(set_time_bound(middle, true, &options.range).is_ok());
  WhatIfReport half;
  ASSERT_TRUE(what_if(h.dir(), options, &half).is_ok());
  EXPECT_GT(half.events_before, 0u);
  EXPECT_EQ(half.events_before + half.examined, whole.examined);
  EXPECT_EQ(half.changed, 0u);
}

INSTANTIATE_TEST_SUITE_P(Seeds, WhatIfProperty, ::testing::Values(std::make_tuple(11u, 1), std::make_tuple(12u, 3)));

}  // namespace
}  // namespace autoriza::testing

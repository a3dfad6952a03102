// Query answers byte for byte: a fixed command stream (every kind of event a
// projection folds, then a seeded random stream) is folded, and every answer
// the projections give (register in each ordering and filter with its pages,
// its CSV, HTML and TXT exports, billing with its CSV and TXT, audits,
// history of every affiliate) is compared with
// tests/projections/golden/answers.txt. (The PDFs are read back by
// tests/print instead: their bytes depend on the fonts installed.) The projections' store
// layout may change (it did: JSON values became FlatBuffers); what a client
// reads must not. After a deliberate change of an answer, regenerate with
//   AUTORIZA_UPDATE_GOLDEN=1 ctest --test-dir build/ci -R AnswersGolden
// and review the diff.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "adapters/print/reports.h"
#include "tests/projections/projections_fixture.h"
#include "tests/support/random_commands.h"

namespace autoriza::testing {
namespace {

const char* const kProviders[] = {"LAB127", "LAB200", "DEN333", "MED410"};
const char* const kCredentials[] = {"110000783851", "110000783852", "110000783853", "110000783854", "220000100001",
                                    "220000100002", "220000100003", "220000100004", "354495",       "438908"};
const char* const kMonths[] = {"2026-10", "2026-11", "2026-12", "2027-01"};

std::filesystem::path golden_path() {
  return std::filesystem::path(AUTORIZA_TEST_FIXTURES).parent_path() / "projections" / "golden" / "answers.txt";
}

class AnswersGolden : public ProjectionsTest {
 protected:
  AnswersGolden() : ProjectionsTest(/*partitions=*/3) {}

  void section(const std::string& name, const std::string& text) { out_ << "### " << name << "\n" << text << "\n"; }
  void section(const std::string& name, const Status& s, const Json& j) {
    section(name, s ? j.dump() : "error " + s.to_string());
  }

  // Every kind of event the fold knows, as in rebuild_test.cc.
  void scripted() {
    Json a = authorize("110000783851", {"000118", "000003", "000016"}, "2026-11-02T10:00:00-03:00");
    Json c = consume("110000783851", a["order"], {0}, "2026-11-02T11:00:00-03:00");
    authorize("110000783852", {"000118"}, "2026-11-02T12:00:00-03:00", "LAB127", true);
    authorize("220000100002", {"000118"}, "2026-11-02T12:30:00-03:00");  // refused: suspended
    h.run("authorize",
          {{"request_id", next_id()},
           {"provider", "DEN333"},
           {"credential", "354495"},
           {"diagnosis", "K029"},
           {"items", {{{"code", "100100"}, {"tooth", 12}}, {{"code", "20900"}, {"tooth", 17}, {"faces", "OM"}}}}},
          "2026-11-03T16:00:00-03:00");
    Json s = open_sap("354495", {"000118", "000016"}, "2026-11-03T10:00:00-03:00");
    verdict(s["sap"], "REQUEST_DOCS", "HC", "2026-11-03T11:00:00-03:00");
    Json v = verdict(s["sap"], "AUTHORIZE", "ok", "2026-11-03T12:00:00-03:00");
    Json vc = consume("354495", v["order"], {0, 1}, "2026-11-03T13:00:00-03:00");
    annul(vc["transaction"], "2026-11-03T14:00:00-03:00");
    Json s2 = open_sap("110000783853", {"000860"}, "2026-11-05T09:00:00-03:00", "LAB200");
    annul(s2["sap"], "2026-11-05T10:00:00-03:00", "LAB200");
    annul(c["transaction"], "2026-11-04T09:00:00-03:00");
    annul(a["order"], "2026-11-04T10:00:00-03:00");
    Json t = h.run("token_issue", {{"request_id", next_id()}, {"credential", "220000100001"}, {"kind", "DYNAMIC"}},
                   "2026-11-04T08:00:00-03:00");
    h.run("authorize",
          {{"request_id", next_id()},
           {"provider", "MED410"},
           {"credential", "220000100001"},
           {"token", t["tokens"][0]["token"]},
           {"prescribed_on", "2026-11-04"},
           {"prescriber", {{"kind", "MD"}, {"license", "5678"}}},
           {"items", {{{"code", "420101"}}}}},
          "2026-11-04T08:00:40-03:00");
    h.run("authorize",
          {{"request_id", next_id()},
           {"provider", "MED410"},
           {"credential", "220000100001"},
           {"token", "000000"},
           {"prescribed_on", "2026-11-04"},
           {"prescriber", {{"kind", "MD"}, {"license", "5678"}}},
           {"items", {{{"code", "420101"}}}}},
          "2026-11-04T08:02:00-03:00");  // a wrong token
    h.run("token_issue",
          {{"request_id", next_id()},
           {"credential", "220000100001"},
           {"kind", "PREPRINTED"},
           {"count", 3},
           {"month", "2026-12"}},
          "2026-11-04T08:10:00-03:00");
    h.run("eligibility",
          {{"request_id", next_id()},
           {"provider", "MED410"},
           {"credential", "220000100001"},
           {"token", t["tokens"][0]["token"]}},
          "2026-11-04T09:30:00-03:00");  // the step has passed: a failed try
    fb::ReferenceRecordUnion record;
    fb::ClosedPeriodT closed;
    closed.provider = "LAB127";
    closed.month = "2026-11";
    record.Set(closed);
    ReferenceLoadStats stats;
    ASSERT_TRUE(h.engine().load_reference({record}, &stats, *parse_instant("2026-12-01T08:00:00-03:00")).is_ok());
    Json late = authorize("438908", {"000012"}, "2026-11-30T10:00:00-03:00");
    consume("438908", late["order"], {0}, "2026-12-01T10:00:00-03:00", "2026-11-30T11:00:00-03:00");
  }

  void random_stream(uint64_t seed, int steps) {
    RandomCommands gen(seed);
    for (int i = 0; i < steps; ++i) {
      const RandomStep step = gen.next();
      gen.observe(step, h.run(step.command, step.body, step.at));
    }
  }

  void register_answers(const std::string& provider) {
    for (const char* order_by : {"date", "credential", "practice", "amount"}) {
      for (const char* annulled : {"include", "exclude", "only"}) {
        RegisterQuery q;
        q.provider = provider;
        q.order_by = order_by;
        q.annulled = annulled;
        q.limit = 7;
        // Every page of the default listing; the first two of the others.
        const bool every = std::string(order_by) == "date" && std::string(annulled) == "include";
        for (int page = 0; page < (every ? 50 : 2); ++page) {
          Json j;
          Status s = projections->register_rows(q, &j);
          section("register " + provider + " " + order_by + " " + annulled + " page " + std::to_string(page), s, j);
          if (!s || j["next"].is_null()) break;
          if (page == 0 && every) {
            section("register.csv " + provider, print::register_csv(j));
            section("register.html " + provider, print::register_html(j, provider));
            section("register.txt " + provider, print::register_txt(j, provider));
          }
          q.after = j["next"].get<std::string>();
        }
      }
    }
    RegisterQuery q;
    q.provider = provider;
    q.from = parse_date("2026-11-03");
    q.to = parse_date("2026-11-20");
    Json j;
    Status s = projections->register_rows(q, &j);
    section("register " + provider + " from 2026-11-03 to 2026-11-20", s, j);
  }

  void billing_answers(const std::string& provider) {
    for (const char* month : kMonths) {
      Json j;
      Status s = projections->billing(provider, month, &j);
      section("billing " + provider + " " + month, s, j);
      if (!s) continue;
      section("billing.csv " + provider + " " + month, print::billing_csv(j));
      section("billing.txt " + provider + " " + month, print::billing_txt(j));
    }
  }

  void audit_answers() {
    AuditQuery all;
    all.limit = 5;
    std::vector<std::string> saps;
    for (int page = 0; page < 50; ++page) {
      Json j;
      Status s = projections->audits(all, &j);
      section("audits page " + std::to_string(page), s, j);
      if (!s) break;
      for (const Json& row : j["items"]) saps.push_back(row["sap"].get<std::string>());
      if (j["next"].is_null()) break;
      all.after = j["next"].get<std::string>();
    }
    for (const char* status : {"PENDING", "DOCS_REQUESTED,AUTHORIZED", "EMITTED", "ANNULLED", "REJECTED"}) {
      AuditQuery q;
      q.status = status;
      Json j;
      Status s = projections->audits(q, &j);
      section(std::string("audits status=") + status, s, j);
    }
    for (const char* provider : kProviders) {
      AuditQuery q;
      q.provider = provider;
      q.from = parse_date("2026-11-03");
      Json j;
      Status s = projections->audits(q, &j);
      section(std::string("audits provider=") + provider, s, j);
    }
    for (const std::string& sap : saps) {
      Json j;
      Status s = projections->audit(sap, &j);
      section("audit " + sap, s, j);
    }
  }

  void history_answers() {
    for (const char* credential : kCredentials) {
      std::vector<std::string> family;
      Status fs = projections->family(credential, &family);
      section(std::string("family ") + credential, fs, Json(family));
      HistoryQuery q;
      q.limit = 10;
      for (int page = 0; page < 50; ++page) {
        Json j;
        Status s = projections->history(family, q, &j);
        section(std::string("history ") + credential + " page " + std::to_string(page), s, j);
        if (!s || j["next"].is_null()) break;
        q.after = j["next"].get<std::string>();
      }
    }
  }

  std::string answers() {
    out_.str("");
    for (const char* provider : kProviders) register_answers(provider);
    for (const char* provider : kProviders) billing_answers(provider);
    audit_answers();
    history_answers();
    return out_.str();
  }

 private:
  std::ostringstream out_;
};

TEST_F(AnswersGolden, EveryAnswerIsAsRecorded) {
  scripted();
  random_stream(/*seed=*/20261102, /*steps=*/250);
  catch_up();
  const std::string live = answers();
  // A rebuilt projection answers the same (not only the same digest).
  projections = open_projections(temp_dir("projections-golden-rebuild"));
  catch_up();
  EXPECT_EQ(answers(), live);

  if (std::getenv("AUTORIZA_UPDATE_GOLDEN")) {
    std::filesystem::create_directories(golden_path().parent_path());
    std::ofstream(golden_path(), std::ios::binary | std::ios::trunc) << live;
    GTEST_SKIP() << "wrote " << golden_path();
  }
  std::ifstream in(golden_path(), std::ios::binary);
  ASSERT_TRUE(in) << "no " << golden_path() << " (AUTORIZA_UPDATE_GOLDEN=1 writes it)";
  std::stringstream golden;
  golden << in.rdbuf();
  if (golden.str() == live) return;
  // Name the first section that differs instead of printing megabytes.
  std::istringstream a(golden.str()), b(live);
  std::string la, lb, where;
  for (size_t line = 1; std::getline(a, la) && std::getline(b, lb); ++line) {
    if (la.rfind("### ", 0) == 0) where = la;
    if (la != lb) {
      FAIL() << "answers differ from " << golden_path() << " at line " << line << " (" << where << ")\nwas: " << la
             << "\nnow: " << lb;
    }
  }
  FAIL() << "answers differ from " << golden_path() << " in length (" << golden.str().size() << " vs " << live.size()
         << " bytes)";
}

}  // namespace
}  // namespace autoriza::testing

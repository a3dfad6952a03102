#pragma once
// A small known history over the test fixtures (one partition), shared by
// the export and what-if tests. Amounts (NORMAL plan: biochemical 80%,
// dental 70%; LAB127 category 0%, DEN333 15%):
//   t1 2026-11-02 08:00 token_issue PREPRINTED for 110000783851 (2 tokens)
//   t2 2026-11-02 08:01 token_issue PREPRINTED for 220000100001 (PMO: tokens required)
//   h1 2026-11-02 09:00 eligibility LAB127 110000783851            ELIGIBLE
//   a1 2026-11-02 10:00 authorize LAB127 110000783851 000118+000865  AUTHORIZED 790.00 copay 158.00
//   c1 2026-11-02 10:05 consume a1 items 0,1 (LAB127)              ACCEPTED   790.00 copay 158.00
//   p1 2026-11-03 10:00 authorize MED410 220000100001 420101 token AUTHORIZED 8500.00 copay 0.00
//   a2 2026-11-10 10:00 authorize LAB200 110000783852 000865       AUTHORIZED 610.00 copay 122.00
//   a3 2026-11-20 10:00 authorize LAB127 110000783851 000865       REJECTED (FREQUENCY_EXCEEDED, a1 18 days ago)
//   d1 2026-11-21 10:00 authorize DEN333 110000783851 10101        AUTHORIZED 11270.00 copay 3381.00
//   x1 2026-11-22 10:00 annul a2 (LAB200)                          ANNULLED
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "tests/support/harness.h"

namespace autoriza::testing {

struct KnownHistory {
  std::map<std::string, Json> answers;  // by step name
  std::string tx(const std::string& step) const { return answers.at(step)["transaction"].get<std::string>(); }
};

inline Json lab_authorize(const std::string& id, const std::string& provider, const std::string& credential,
                          const std::vector<std::string>& codes, const std::string& day) {
  Json items = Json::array();
  for (const auto& c : codes) items.push_back({{"code", c}});
  return {{"request_id", id}, {"provider", provider}, {"credential", credential},
          {"items", items},   {"prescribed_on", day}, {"prescriber", {{"kind", "MD"}, {"license", "1234"}}}};
}

// Runs the history above on h and checks every answer is the one listed.
inline KnownHistory run_known_history(Harness& h) {
  KnownHistory k;
  auto run = [&](const std::string& step, const std::string& command, const Json& body, const std::string& at) {
    Json answer = h.run(command, body, at);
    EXPECT_EQ(h.last_status(), 200) << step << ": " << answer.dump();
    k.answers[step] = answer;
    return answer;
  };
  run("t1", "token_issue",
      {{"request_id", "t1"},
       {"credential", "110000783851"},
       {"kind", "PREPRINTED"},
       {"month", "2026-11"},
       {"count", 2}},
      "2026-11-02T08:00:00-03:00");
  Json t2 = run("t2", "token_issue",
                {{"request_id", "t2"},
                 {"credential", "220000100001"},
                 {"kind", "PREPRINTED"},
                 {"month", "2026-11"},
                 {"count", 1}},
                "2026-11-02T08:01:00-03:00");
  EXPECT_EQ(run("h1", "eligibility", {{"request_id", "h1"}, {"provider", "LAB127"}, {"credential", "110000783851"}},
                "2026-11-02T09:00:00-03:00")["status"],
            "ELIGIBLE");
  Json a1 = run("a1", "authorize", lab_authorize("a1", "LAB127", "110000783851", {"000118", "000865"}, "2026-11-01"),
                "2026-11-02T10:00:00-03:00");
  EXPECT_EQ(a1["status"], "AUTHORIZED");
  EXPECT_EQ(a1["totals"]["total"], "790.00");
  EXPECT_EQ(a1["totals"]["copay"], "158.00");
  Json c1 = run("c1", "consume",
                {{"request_id", "c1"},
                 {"provider", "LAB127"},
                 {"credential", "110000783851"},
                 {"order", a1["order"]},
                 {"items", {0, 1}}},
                "2026-11-02T10:05:00-03:00");
  EXPECT_EQ(c1["status"], "ACCEPTED");
  Json p1 = run("p1", "authorize",
                {{"request_id", "p1"},
                 {"provider", "MED410"},
                 {"credential", "220000100001"},
                 {"token", t2["tokens"][0]["token"]},
                 {"prescribed_on", "2026-11-03"},
                 {"prescriber", {{"kind", "MD"}, {"license", "5678"}}},
                 {"diagnosis", "Z00.0"},
                 {"items", {{{"code", "420101"}}}}},
                "2026-11-03T10:00:00-03:00");
  EXPECT_EQ(p1["status"], "AUTHORIZED");
  Json a2 = run("a2", "authorize", lab_authorize("a2", "LAB200", "110000783852", {"000865"}, "2026-11-09"),
                "2026-11-10T10:00:00-03:00");
  EXPECT_EQ(a2["status"], "AUTHORIZED");
  EXPECT_EQ(a2["totals"]["total"], "610.00");
  Json a3 = run("a3", "authorize", lab_authorize("a3", "LAB127", "110000783851", {"000865"}, "2026-11-19"),
                "2026-11-20T10:00:00-03:00");
  EXPECT_EQ(a3["status"], "REJECTED");
  EXPECT_EQ(codes(a3["items"][0]["reasons"]), std::vector<std::string>{"FREQUENCY_EXCEEDED"});
  Json d1 = run("d1", "authorize",
                {{"request_id", "d1"},
                 {"provider", "DEN333"},
                 {"credential", "110000783851"},
                 {"diagnosis", "K02.9"},
                 {"items", {{{"code", "10101"}}}}},
                "2026-11-21T10:00:00-03:00");
  EXPECT_EQ(d1["status"], "AUTHORIZED");
  EXPECT_EQ(d1["totals"]["total"], "11270.00");
  EXPECT_EQ(d1["totals"]["copay"], "3381.00");
  Json x1 = run("x1", "annul",
                {{"request_id", "x1"}, {"provider", "LAB200"}, {"transaction", a2["transaction"]}, {"reason", "error"}},
                "2026-11-22T10:00:00-03:00");
  EXPECT_EQ(x1["status"], "ANNULLED");
  return k;
}

// A copy of the fixtures in a new folder, with file `name` replaced by text.
inline std::filesystem::path changed_fixtures(const std::string& name, const std::string& text) {
  const auto dir = temp_dir("whatif-data");
  for (const auto& f : std::filesystem::directory_iterator(AUTORIZA_TEST_FIXTURES)) {
    std::filesystem::copy_file(f.path(), dir / f.path().filename());
  }
  std::ofstream(dir / name, std::ios::trunc) << text;
  return dir;
}

// The text of a fixture file with one line replaced.
inline std::string fixture_with(const std::string& name, const std::string& line_prefix, const std::string& line) {
  std::ifstream in(std::filesystem::path(AUTORIZA_TEST_FIXTURES) / name);
  std::ostringstream out;
  std::string l;
  bool replaced = false;
  while (std::getline(in, l)) {
    if (l.rfind(line_prefix, 0) == 0) {
      out << line << "\n";
      replaced = true;
    } else {
      out << l << "\n";
    }
  }
  EXPECT_TRUE(replaced) << name << " has no line starting with " << line_prefix;
  return out.str();
}

}  // namespace autoriza::testing

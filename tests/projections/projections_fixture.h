#pragma once
// A harness engine plus projections on their own temporary directory, and
// short-hands for the commands the projection tests drive.
#include <gtest/gtest.h>

#include "tests/support/harness.h"
#include "engine/core/money.h"
#include "projections/projections.h"

namespace autoriza::testing {

class ProjectionsTest : public ::testing::Test {
 protected:
  explicit ProjectionsTest(PartitionId partitions = 1) : h(partitions) {}
  void SetUp() override { projections = open_projections(dir); }
  void TearDown() override {
    projections.reset();
    std::error_code ec;
    for (const auto& d : dirs_) std::filesystem::remove_all(d, ec);
  }

  std::unique_ptr<Projections> open_projections(const std::filesystem::path& at) {
    dirs_.push_back(at);
    Status s;
    auto p = Projections::open(h.engine().journal(), at, &s);
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    return p;
  }

  void catch_up() {
    Status s = projections->catch_up();
    ASSERT_TRUE(s.is_ok()) << s.to_string();
  }

  std::string next_id() { return "r" + std::to_string(++request_); }

  // A LAB127 biochemical authorization, prescribed the same day.
  Json authorize(const std::string& credential, const std::vector<std::string>& codes, const std::string& at,
                 const std::string& provider = "LAB127", bool consume_now = false) {
    Json items = Json::array();
    for (const auto& c : codes) items.push_back({{"code", c}});
    return h.run("authorize",
                 {{"request_id", next_id()},
                  {"provider", provider},
                  {"credential", credential},
                  {"prescribed_on", at.substr(0, 10)},
                  {"prescriber", {{"kind", "MD"}, {"license", "1234"}}},
                  {"consume_now", consume_now},
                  {"items", items}},
                 at);
  }

  Json open_sap(const std::string& credential, const std::vector<std::string>& codes, const std::string& at,
                const std::string& provider = "LAB127") {
    Json items = Json::array();
    for (const auto& c : codes) items.push_back({{"code", c}});
    return h.run("authorize",
                 {{"request_id", next_id()},
                  {"provider", provider},
                  {"credential", credential},
                  {"mode", "audit"},
                  {"diagnosis", "K76.0"},
                  {"note", "HC adjunta"},
                  {"prescribed_on", "2026-10-30"},
                  {"prescriber", {{"kind", "MD"}, {"license", "1234"}}},
                  {"items", items}},
                 at);
  }

  Json verdict(const Json& sap, const std::string& verdict, const std::string& message, const std::string& at) {
    return h.run(
        "audit_verdict",
        {{"request_id", next_id()}, {"auditor", "AUD01"}, {"sap", sap}, {"verdict", verdict}, {"message", message}},
        at);
  }

  Json consume(const std::string& credential, const Json& order, const Json& items, const std::string& at,
               const std::string& performed_at = "", const std::string& provider = "LAB127") {
    Json body = {{"request_id", next_id()},
                 {"provider", provider},
                 {"credential", credential},
                 {"order", order},
                 {"items", items}};
    if (!performed_at.empty()) body["performed_at"] = performed_at;
    return h.run("consume", body, at);
  }

  Json annul(const Json& transaction, const std::string& at, const std::string& provider = "LAB127") {
    return h.run(
        "annul",
        {{"request_id", next_id()}, {"provider", provider}, {"transaction", transaction}, {"reason", "error de carga"}},
        at);
  }

  Json register_rows(RegisterQuery q) {
    Json out;
    Status s = projections->register_rows(q, &out);
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    return out;
  }

  // Every row of a register query, following "next" page by page.
  std::vector<Json> all_pages(RegisterQuery q, size_t* pages = nullptr) {
    std::vector<Json> rows;
    size_t n = 0;
    while (true) {
      Json page = register_rows(q);
      ++n;
      for (const Json& r : page["items"]) rows.push_back(r);
      if (page["next"].is_null() || n > 100) break;
      q.after = page["next"].get<std::string>();
    }
    if (pages) *pages = n;
    return rows;
  }

  std::string digest(Projections& p) {
    std::string hex;
    Status s = p.digest(&hex);
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    return hex;
  }

  Harness h;
  std::filesystem::path dir = temp_dir("projections");
  std::unique_ptr<Projections> projections;

 private:
  std::vector<std::filesystem::path> dirs_;
  int request_ = 0;
};

// Statuses of register rows, by index order of the rows given.
inline std::vector<std::string> statuses(const Json& rows) {
  std::vector<std::string> out;
  for (const Json& r : rows) out.push_back(r["status"].get<std::string>());
  return out;
}

}  // namespace autoriza::testing

#pragma once
// Random but plausible command streams over the test fixtures, for property
// tests: every command kind, valid and invalid values, times moving forward
// across days so windows (frequency, expiry, annulment) are crossed.
#include <random>
#include <string>
#include <vector>

#include "adapters/codec/codec.h"

namespace autoriza::testing {

struct RandomStep {
  std::string command;
  Json body;
  std::string at;
};

class RandomCommands {
 public:
  explicit RandomCommands(uint64_t seed) : rng_(seed) {}

  // The next step; `answers` of earlier steps feed orders, SAPs and ids.
  RandomStep next() {
    minutes_ += pick(1, 600);
    RandomStep s;
    s.at = instant(minutes_);
    const int r = pick(0, 99);
    const std::string id = "r" + std::to_string(++count_);
    if (r < 25) {
      s.command = "eligibility";
      s.body = {{"request_id", id}, {"provider", any(providers_)}, {"credential", any(credentials_)}};
    } else if (r < 60) {
      s.command = "authorize";
      s.body = authorize(id, r < 50 ? "authorize" : (r < 55 ? "audit" : "validate"));
    } else if (r < 75 && !orders_.empty()) {
      s.command = "consume";
      const auto& o = orders_[pick(0, int(orders_.size()) - 1)];
      Json items = Json::array();
      for (int i = 0, n = pick(1, 3); i < n; ++i) {
        const int index = pick(0, o.items - 1 + (pick(0, 9) == 0));
        if (std::find(items.begin(), items.end(), index) == items.end()) items.push_back(index);
      }
      s.body = {{"request_id", id}, {"provider", pick(0, 9) == 0 ? any(providers_) : o.provider},
                {"credential", pick(0, 9) == 0 ? any(credentials_) : o.credential}, {"order", o.id}, {"items", items}};
      if (pick(0, 3) == 0) s.body["performed_at"] = instant(minutes_ - pick(0, 3000));
    } else if (r < 80 && !transactions_.empty()) {
      s.command = "annul";
      const auto& t = transactions_[pick(0, int(transactions_.size()) - 1)];
      s.body = {{"request_id", id}, {"provider", pick(0, 9) == 0 ? any(providers_) : t.provider}, {"transaction", t.id},
                {"reason", "prueba"}};
    } else if (r < 95 && !saps_.empty()) {
      s.command = "audit_verdict";
      static const char* kVerdicts[] = {"AUTHORIZE", "REJECT", "PARTIAL", "REQUEST_DOCS"};
      const std::string sap = pick(0, 2) ? saps_.back() : any(saps_);
      s.body = {{"request_id", id}, {"auditor", "AUD0" + std::to_string(pick(1, 3))}, {"sap", sap},
                {"verdict", kVerdicts[pick(0, 3)]}, {"message", "m"}};
      if (s.body["verdict"] == "PARTIAL") s.body["items"] = {{{"index", pick(0, 3)}, {"decision", pick(0, 1) ? "AUTHORIZE" : "REJECT"}}};
    } else {
      // A retry of an earlier request (same body) or a reuse with another body.
      if (!history_.empty() && pick(0, 1) == 0) return history_[pick(0, int(history_.size()) - 1)];
      s.command = "eligibility";
      s.body = {{"request_id", id}, {"provider", any(providers_)}, {"credential", any(credentials_)}};
    }
    history_.push_back(s);
    return s;
  }

  // Feeds an answer back so later steps can refer to what it created.
  void observe(const RandomStep& s, const Json& answer) {
    if (!answer.is_object() || answer.contains("error")) return;
    const std::string provider = s.body.value("provider", "");
    if (answer.contains("order") && answer["order"].is_string()) {
      std::string credential = s.body.value("credential", "");
      if (s.command == "audit_verdict") credential = sap_credential_[s.body["sap"].get<std::string>()];
      orders_.push_back({answer["order"], provider.empty() ? sap_provider_[s.body.value("sap", "")] : provider, credential,
                         answer.contains("items") ? std::max(1, int(answer["items"].size())) : 1});
    }
    if (answer.contains("sap") && answer["sap"].is_string() && s.command == "authorize") {
      saps_.push_back(answer["sap"]);
      sap_provider_[answer["sap"]] = provider;
      sap_credential_[answer["sap"]] = s.body["credential"];
    }
    if (answer.contains("transaction") && answer["transaction"].is_string() && !provider.empty()) {
      if (s.command != "eligibility" && s.command != "annul") transactions_.push_back({answer["transaction"], provider, "", 0});
    }
  }

 private:
  struct Known {
    std::string id, provider, credential;
    int items = 1;
  };

  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  template <typename V>
  std::string any(const V& v) { return v[pick(0, int(v.size()) - 1)]; }

  static std::string instant(int64_t minutes) {
    // From 2026-11-01T00:00-03:00, in minutes.
    const int64_t base_ms = 1'793'502'000'000;  // 2026-11-01T00:00:00-03:00
    return format_instant(Millis{base_ms + minutes * 60'000});
  }

  Json authorize(const std::string& id, const std::string& mode) {
    if (pick(0, 4) == 0) return noisy_authorize(id, mode);
    // A plausible request: practices of the provider's kind, valid teeth and
    // faces, a recent prescription from a known prescriber, an active affiliate.
    static const std::vector<std::pair<std::string, std::vector<std::string>>> kByProvider = {
        {"LAB127", {"000118", "000003", "000015", "000014", "000016", "000012", "000865", "000870", "000860"}},
        {"LAB200", {"000118", "000003", "000015", "000012", "000865", "000016"}},
        {"DEN333", {"10101", "100100", "20800", "20900", "50100", "70604"}},
        {"MED410", {"420101"}}};
    static const std::vector<std::string> kActive = {"110000783851", "110000783852", "110000783853", "354495", "438908"};
    const auto& [provider, codes] = kByProvider[pick(0, int(kByProvider.size()) - 1)];
    Json items = Json::array();
    for (int i = 0, n = pick(1, 4); i < n; ++i) {
      const std::string code = codes[pick(0, int(codes.size()) - 1)];
      Json item = {{"code", code}};
      if (code == "100100" || code == "20800" || code == "20900" || code == "70604") {
        static const int kTeeth[] = {14, 15, 16, 17, 24, 25, 26, 34, 35, 36, 45, 46, 54, 55, 84, 85};
        item["tooth"] = kTeeth[pick(0, 15)];
        if (code != "100100") item["faces"] = pick(0, 1) ? "OM" : "DV";
      }
      items.push_back(item);
    }
    Json body = {{"request_id", id}, {"provider", provider}, {"credential", any(kActive)}, {"items", items},
                 {"mode", mode}, {"diagnosis", "K02.9"}};
    if (provider != "DEN333") {
      body["prescribed_on"] = format_date(LocalDay{int32_t(20758 + minutes_ / 1440 - pick(0, 20))});
      body["prescriber"] = {{"kind", "MD"}, {"license", pick(0, 1) ? "1234" : "5678"}};
    }
    if (pick(0, 5) == 0) body["consume_now"] = true;
    return body;
  }

  Json noisy_authorize(const std::string& id, const std::string& mode) {
    const std::string provider = any(providers_);
    Json items = Json::array();
    for (int i = 0, n = pick(1, 5); i < n; ++i) {
      Json item = {{"code", any(codes_)}};
      if (pick(0, 4) == 0) item["qty"] = pick(1, 4);
      if (pick(0, 2) == 0) item["tooth"] = teeth_[pick(0, int(teeth_.size()) - 1)];
      if (pick(0, 2) == 0) item["faces"] = any(faces_);
      items.push_back(item);
    }
    Json body = {{"request_id", id}, {"provider", provider}, {"credential", any(credentials_)}, {"items", items}, {"mode", mode}};
    if (pick(0, 5) != 0) {
      body["prescribed_on"] = format_date(LocalDay{int32_t(20758 + minutes_ / 1440 - pick(0, 40))});
      body["prescriber"] = {{"kind", pick(0, 4) ? "MD" : "OD"}, {"license", any(licenses_)}};
    }
    if (pick(0, 4) != 0) body["diagnosis"] = "K02.9";
    if (pick(0, 5) == 0) body["consume_now"] = true;
    return body;
  }

  std::mt19937_64 rng_;
  int64_t minutes_ = 600;
  int count_ = 0;
  std::vector<std::string> providers_ = {"LAB127", "LAB200", "DEN333", "MED410", "NOPE"};
  std::vector<std::string> credentials_ = {"110000783851", "110000783852", "110000783853", "110000783854", "220000100002",
                                           "220000100003", "220000100004", "354495", "438908", "999"};
  std::vector<std::string> codes_ = {"000118", "000003", "000015", "000014", "000016", "000012", "000858", "000860",
                                     "000865", "000870", "10101", "100100", "20800", "20900", "50100", "70604", "420101", "999"};
  std::vector<int> teeth_ = {11, 12, 16, 17, 25, 36, 46, 55, 85, 19};
  std::vector<std::string> faces_ = {"O", "OM", "I", "P", "L", "VD", "om", "OO"};
  std::vector<std::string> licenses_ = {"1234", "5678", "3333", "9"};
  std::vector<Known> orders_, transactions_;
  std::vector<std::string> saps_;
  std::map<std::string, std::string> sap_provider_, sap_credential_;
  std::vector<RandomStep> history_;
};

}  // namespace autoriza::testing

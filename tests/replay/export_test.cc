// Export of a small known history (history.h): JSON Lines that parse, CSV
// with its header and one row per event, filters by type, party and time,
// log order, and no secret (the tokens issued) anywhere in the output.
#include "replay/export.h"

#include <gtest/gtest.h>

#include "tests/replay/history.h"

namespace autoriza::testing {
namespace {

class Export : public ::testing::Test {
 protected:
  void SetUp() override {
    known = run_known_history(h);
    h.close();
  }

  std::string run(ExportOptions options, ExportReport* report = nullptr) {
    std::ostringstream out;
    ExportReport r;
    Status s = export_store(h.dir(), options, out, report ? report : &r);
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    return out.str();
  }

  static std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  }

  std::vector<Json> jsonl(ExportOptions options) {
    options.format = ExportFormat::kJsonl;
    std::vector<Json> out;
    for (const auto& l : lines(run(options))) out.push_back(Json::parse(l));  // throws if a line does not parse
    return out;
  }

  static ExportOptions with_types(const std::string& types) {
    ExportOptions o;
    EXPECT_TRUE(parse_export_types(types, &o.filter.types).is_ok());
    return o;
  }

  static std::vector<std::string> request_ids(const std::vector<Json>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(e["request_id"]);
    return out;
  }

  Harness h;
  KnownHistory known;
};

TEST_F(Export, JsonLinesParseInLogOrderWithCommandAndAnswer) {
  const std::vector<Json> all = jsonl({});
  const auto reference = jsonl(with_types("reference"));
  ASSERT_GT(reference.size(), 30u);  // every fixture row is one event
  ASSERT_EQ(all.size(), reference.size() + 10);
  // Reference data was loaded at time 0: first in log order. Commands follow in time order.
  for (size_t i = 0; i < reference.size(); ++i) EXPECT_EQ(all[i]["type"], "REFERENCE_UPSERTED");
  EXPECT_EQ(reference[0]["stream"], kReferenceStream);
  EXPECT_TRUE(reference[0]["record"].is_string());
  const std::vector<Json> commands(all.begin() + long(reference.size()), all.end());
  EXPECT_EQ(request_ids(commands),
            (std::vector<std::string>{"t1", "t2", "h1", "a1", "c1", "p1", "a2", "a3", "d1", "x1"}));
  const Json& a1 = commands[3];
  EXPECT_EQ(a1["stream"], 0);
  EXPECT_EQ(a1["sequence"], 4);
  EXPECT_EQ(a1["type"], "AUTHORIZATION_DECIDED");
  EXPECT_EQ(a1["time"], "2026-11-02T10:00:00-03:00");
  EXPECT_EQ(a1["channel"], "http");
  EXPECT_EQ(a1["scope"], "provider:LAB127");
  EXPECT_EQ(a1["command"]["command"], "authorize");
  EXPECT_EQ(a1["command"]["items"].size(), 2u);
  EXPECT_EQ(a1["answer"]["transaction"], known.tx("a1"));
  EXPECT_EQ(a1["answer"]["totals"]["total"], "790.00");
  // The token of p1 is redacted in the log: only that one was given.
  EXPECT_EQ(commands[5]["command"]["token_given"], true);
}

TEST_F(Export, NeverExportsTokens) {
  std::vector<std::string> tokens;
  for (const char* step : {"t1", "t2"}) {
    for (const auto& t : known.answers[step]["tokens"]) tokens.push_back(t["token"]);
  }
  ASSERT_EQ(tokens.size(), 3u);
  ExportOptions csv;
  csv.format = ExportFormat::kCsv;
  for (const std::string& text : {run({}), run(csv)}) {
    for (const auto& t : tokens) EXPECT_EQ(text.find(t), std::string::npos) << "token " << t << " exported";
  }
  for (const Json& e : jsonl(with_types("token_issue"))) {
    for (const auto& t : e["answer"]["tokens"]) EXPECT_FALSE(t.contains("token"));
  }
}

TEST_F(Export, CsvHasHeaderAndOneRowPerEvent) {
  ExportOptions o = with_types("authorize,consume,annul");
  o.format = ExportFormat::kCsv;
  const auto rows = lines(run(o));
  ASSERT_EQ(rows.size(), 1u + 7);  // a1 c1 p1 a2 a3 d1 x1
  EXPECT_EQ(rows[0],
            "stream,sequence,type,time,channel,scope,request_id,provider,credential,command,status,transaction,order,"
            "sap,total,copay,reasons,item_reasons");
  const std::string tx = known.tx("a1");
  EXPECT_EQ(rows[1],
            "0,4,AUTHORIZATION_DECIDED,2026-11-02T10:00:00-03:00,http,provider:LAB127,a1,LAB127,110000783851,"
            "authorize,AUTHORIZED," +
                tx + "," + tx + ",,790.00,158.00,,");
  EXPECT_NE(rows[5].find(",authorize,REJECTED,"), std::string::npos) << rows[5];
  EXPECT_NE(rows[5].find(",0:FREQUENCY_EXCEEDED"), std::string::npos) << rows[5];
  EXPECT_NE(rows[7].find(",annul,ANNULLED,"), std::string::npos) << rows[7];
}

TEST_F(Export, FiltersByTypeProviderCredentialAndTime) {
  EXPECT_EQ(request_ids(jsonl(with_types("authorize"))), (std::vector<std::string>{"a1", "p1", "a2", "a3", "d1"}));
  EXPECT_EQ(request_ids(jsonl(with_types("CONSUMPTION_RECORDED,ELIGIBILITY_CHECKED"))),
            (std::vector<std::string>{"h1", "c1"}));
  ExportOptions lab = with_types("authorize,consume,annul");
  lab.filter.provider = "LAB127";
  EXPECT_EQ(request_ids(jsonl(lab)), (std::vector<std::string>{"a1", "c1", "a3"}));
  // The annulment names no affiliate: it follows a2, which it acts on.
  ExportOptions affiliate;
  affiliate.filter.credential = "110000783852";
  EXPECT_EQ(request_ids(jsonl(affiliate)), (std::vector<std::string>{"a2", "x1"}));
  ExportOptions period;
  ASSERT_TRUE(set_time_bound("2026-11-10T00:00:00-03:00", true, &period.filter.range).is_ok());
  ASSERT_TRUE(set_time_bound("2026-11-21T10:00:00-03:00", false, &period.filter.range).is_ok());  // inclusive
  EXPECT_EQ(request_ids(jsonl(period)), (std::vector<std::string>{"a2", "a3", "d1"}));
  ExportOptions positions;
  ASSERT_TRUE(add_seq_bound("0=4", true, &positions.filter.range).is_ok());
  ASSERT_TRUE(add_seq_bound("5", false, &positions.filter.range).is_ok());
  ASSERT_TRUE(add_seq_bound("ref=1", false, &positions.filter.range).is_ok());
  const auto by_position = jsonl(positions);
  ASSERT_EQ(by_position.size(), 3u);  // reference event 1, then a1 and c1
  EXPECT_EQ(by_position[0]["stream"], kReferenceStream);
  EXPECT_EQ(request_ids({by_position[1], by_position[2]}), (std::vector<std::string>{"a1", "c1"}));
}

TEST_F(Export, RejectsUnknownTypesAndFormats) {
  std::set<std::string> types;
  Status s = parse_export_types("authorize,autorizar", &types);
  EXPECT_EQ(s.kind(), StatusKind::kInvalidRequest);
  EXPECT_NE(s.message().find("autorizar"), std::string::npos);
  EXPECT_EQ(s.field(), "--type");
  ExportFormat f;
  EXPECT_EQ(parse_export_format("xml", &f).kind(), StatusKind::kInvalidRequest);
}

TEST_F(Export, ReportsProgress) {
  ExportOptions o;
  std::vector<std::pair<uint64_t, uint64_t>> calls;
  o.progress = [&](uint64_t done, uint64_t total) { calls.emplace_back(done, total); };
  ExportReport report;
  run(o, &report);
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back(), std::make_pair(report.scanned, report.scanned));
  EXPECT_EQ(report.written, report.scanned);
}

}  // namespace
}  // namespace autoriza::testing

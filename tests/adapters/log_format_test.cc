// The log lines of log_setup.h and access_log.h, written to a file.
#include "adapters/codec/error_codes.h"
#include "adapters/service/log_setup.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/service/access_log.h"

namespace autoriza {
namespace {

using Json = nlohmann::json;

// Runs body with the logs installed on a temporary file; the file's lines.
std::vector<std::string> lines_logged(LogFormat format, const std::function<void()>& body) {
  std::FILE* file = std::tmpfile();
  EXPECT_NE(file, nullptr);
  {
    LogSetup setup(format, /*capture_stderr=*/true, file);
    body();
  }  // flushed
  std::fflush(file);
  std::rewind(file);
  std::vector<std::string> lines;
  char buf[8192];
  std::string line;
  while (std::fgets(buf, sizeof buf, file)) {
    line += buf;
    if (!line.empty() && line.back() == '\n') {
      line.pop_back();
      lines.push_back(line);
      line.clear();
    }
  }
  std::fclose(file);
  return lines;
}

void write_access_line(std::string request_id) {
  ASSERT_NE(installed_access_log(), nullptr);
  CommandTrace trace{"tcp", "authorize", std::move(request_id), "LAB127", "provider-LAB127"};
  installed_access_log()->write(trace, CommandAnswer{200, "AUTHORIZED", true}, std::chrono::microseconds(1234));
}

TEST(LogFormatTest, JsonLinesCarryAccessFieldsAndEscapedMessages) {
  const auto lines = lines_logged(LogFormat::kJson, [] {
    spdlog::info("listening on \"{}\"\tnow", "127.0.0.1:1");
    spdlog::error(std::string_view("bad bytes \xff\xfe and a newline\nhere"));
    std::cerr << "a helper's warning\n";
    write_access_line("a\"1\\x\xc3");
  });
  ASSERT_EQ(lines.size(), 4u);
  std::vector<Json> parsed;
  for (const auto& l : lines) {
    parsed.push_back(Json::parse(l, nullptr, false));
    ASSERT_TRUE(parsed.back().is_object()) << l;
  }
  EXPECT_EQ(parsed[0]["level"], "info");
  EXPECT_EQ(parsed[0]["logger"], "autoriza");
  EXPECT_EQ(parsed[0]["msg"], "listening on \"127.0.0.1:1\"\tnow");
  EXPECT_EQ(parsed[1]["level"], "error");
  EXPECT_EQ(parsed[1]["msg"], "bad bytes \xef\xbf\xbd\xef\xbf\xbd and a newline\nhere");  // U+FFFD for each bad byte
  EXPECT_EQ(parsed[2]["level"], "warning");
  EXPECT_EQ(parsed[2]["msg"], "a helper's warning");
  const Json& a = parsed[3];
  EXPECT_EQ(a["logger"], "access");
  EXPECT_EQ(a["request_id"], "a\"1\\x\xef\xbf\xbd");
  EXPECT_EQ(a["command"], "authorize");
  EXPECT_EQ(a["channel"], "tcp");
  EXPECT_EQ(a["principal"], "provider-LAB127");
  EXPECT_EQ(a["provider"], "LAB127");
  EXPECT_EQ(a["http_status"], 200);
  EXPECT_EQ(a["outcome"], "AUTHORIZED");
  EXPECT_EQ(a["replayed"], true);
  EXPECT_EQ(a["latency_us"], 1234);
  EXPECT_TRUE(a["time"].get<std::string>().ends_with("Z")) << a;
}

TEST(LogFormatTest, TextLinesAreKeyValue) {
  const auto lines = lines_logged(LogFormat::kText, [] {
    spdlog::info("started");
    write_access_line("t 1");
  });
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find(" info autoriza: started"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find(" info access: request_id=\"t 1\" command=authorize channel=tcp principal=\"provider-LAB127\" "
                          "provider=\"LAB127\" http_status=200 outcome=AUTHORIZED replayed=true latency_us=1234"),
            std::string::npos)
      << lines[1];
}

TEST(LogFormatTest, NoAccessLogWithoutASetup) {
  EXPECT_EQ(installed_access_log(), nullptr);
  Status s;
  LogFormat f;
  EXPECT_FALSE(parse_log_format("xml", &f));
  EXPECT_TRUE(parse_log_format("text", &f));
  EXPECT_EQ(f, LogFormat::kText);
}

}  // namespace
}  // namespace autoriza

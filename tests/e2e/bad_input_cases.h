#pragma once
// The cases of the bad-input suite (bad_input_test.cc): per POST command,
// malformed JSON bodies built from a valid one, raw HTTP requests, and
// ordinary-data cases (unknown fields, SQL/shell metacharacters). Another
// adapter adds its own kind of cases (e.g. truncated TCP frames) as another
// function here and one run_all() line in the suite.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/routes.h"
#include "adapters/service/service.h"
#include "engine/core/status.h"

namespace autoriza::bad_input {

using Json = nlohmann::json;

constexpr std::string_view kNow = "2026-11-10T10:00:00-03:00";

enum class Expect {
  kError,     // 4xx, error body naming the problem, no event
  kClosed,    // a request cut short: the server closes (an answer is optional), no event
  kData,      // ordinary data: 200 (exactly one event) or 4xx with an error (none)
  kRetry,     // a retry of a baseline with unknown fields: the baseline's answer, no event
};

struct Case {
  Case(std::string kind_, std::string command_, std::string body_, Expect expect_ = Expect::kError, std::string says_ = {},
       std::string field_ = {}, bool raw_ = false)
      : kind(std::move(kind_)), command(std::move(command_)), body(std::move(body_)), expect(expect_),
        says(std::move(says_)), field(std::move(field_)), raw(raw_) {}
  std::string kind;      // "invalid UTF-8", ...
  std::string command;   // POST /v1/<command>
  std::string body;      // JSON text (or raw HTTP bytes for raw cases)
  Expect expect;
  std::string says;      // kError: the error message contains this
  std::string field;     // kError: error.field, when not empty
  bool raw;              // body is the whole HTTP request
};

// A valid body of each command, run once before the cases (baselines).
struct Baselines {
  std::map<std::string, Json> bodies;
  std::map<std::string, std::string> answers;
};

// Replaces the value at pointer (e.g. "/items/0/qty") by raw JSON text.
inline std::string with_raw(Json body, const std::string& pointer, const std::string& raw) {
  constexpr std::string_view kMark = "__RAW_VALUE__";
  body[Json::json_pointer(pointer)] = kMark;
  std::string text = body.dump();
  const size_t at = text.find("\"" + std::string(kMark) + "\"");
  AUTORIZA_CHECK(at != std::string::npos);
  return text.replace(at, kMark.size() + 2, raw);
}

inline std::string field_of(const std::string& pointer) {  // "/items/0/qty" -> "items[0].qty"
  std::string out;
  size_t pos = 1;
  while (pos <= pointer.size()) {
    size_t end = pointer.find('/', pos);
    if (end == std::string::npos) end = pointer.size();
    const std::string part = pointer.substr(pos, end - pos);
    if (!part.empty() && part.find_first_not_of("0123456789") == std::string::npos) {
      out += "[" + part + "]";
    } else {
      out += (out.empty() ? "" : ".") + part;
    }
    pos = end + 1;
  }
  return out;
}

struct CommandShape {
  std::string name;
  std::vector<std::string> strings;   // pointers of string fields
  std::vector<std::string> integers;  // pointers of integer fields
  std::string integer_range;          // words of their range error ("between 1 and 1000")
};

inline std::vector<CommandShape> shapes() {
  return {
      {"eligibility", {"/provider", "/credential", "/token"}, {}, ""},
      {"authorize", {"/provider", "/credential", "/note", "/items/0/code"}, {"/items/0/qty"}, "between 1 and 1000"},
      {"consume", {"/provider", "/credential", "/order", "/note"}, {"/items/0"}, "integer 0..49"},
      {"annul", {"/provider", "/transaction", "/reason"}, {}, ""},
      {"audit_verdict", {"/auditor", "/sap", "/message"}, {"/items/0/index"}, "between 0 and 49"},
      {"token_issue", {"/credential"}, {"/count"}, "between 1 and 31"},
  };
}

// Bodies used as templates: valid, with a fresh request_id.
inline Json template_of(const Baselines& b, const std::string& command, int n) {
  Json body = b.bodies.at(command);
  if (command == "audit_verdict") {  // a template with items, for the integer cases
    body["verdict"] = "PARTIAL";
    body["items"] = Json::array({{{"index", 0}, {"decision", "AUTHORIZE"}}});
  }
  if (command == "eligibility") body["token"] = "123456";
  body["request_id"] = "bad-" + std::to_string(n);
  return body;
}

inline std::vector<Case> error_cases(const Baselines& b) {
  std::vector<Case> cases;
  int n = 0;
  for (const CommandShape& shape : shapes()) {
    const std::string& c = shape.name;
    auto body = [&] { return template_of(b, c, ++n); };
    const std::string text = body().dump();
    cases.push_back({"truncated JSON", c, text.substr(0, text.size() / 2), Expect::kError, "not valid JSON"});
    cases.push_back({"truncated JSON", c, text.substr(0, text.size() - 1), Expect::kError, "not valid JSON"});
    cases.push_back({"empty body", c, "", Expect::kError, "not valid JSON"});
    for (const char* not_object : {"[]", "\"eligibility\"", "42", "null"}) {
      cases.push_back({"wrong type", c, not_object, Expect::kError, "must be a JSON object"});
    }
    Json big = body();
    big["note"] = std::string(kBodyMaxBytes, 'x');
    cases.push_back({"oversized body", c, big.dump(), Expect::kError, "body over 65536 bytes"});
    cases.push_back({"deep nesting", c, with_raw(body(), "/x_unknown", std::string(20, '[') + std::string(20, ']')),
                     Expect::kError, "deeper than 16"});
    for (const std::string& p : shape.strings) {
      cases.push_back({"invalid UTF-8", c, with_raw(body(), p, "\"A\xff\xfe" "B\""), Expect::kError, "UTF-8"});
      cases.push_back({"invalid UTF-8", c, with_raw(body(), p, "\"\xc0\xaf\""), Expect::kError, "UTF-8"});  // overlong '/'
      cases.push_back({"invalid UTF-8", c, with_raw(body(), p, "\"\xed\xa0\x80\""), Expect::kError, "UTF-8"});  // surrogate
      cases.push_back({"wrong type", c, with_raw(body(), p, "12345"), Expect::kError, "must be a string", field_of(p)});
      cases.push_back({"wrong type", c, with_raw(body(), p, "[\"a\"]"), Expect::kError, "must be a string", field_of(p)});
      cases.push_back({"wrong type", c, with_raw(body(), p, "{\"a\":1}"), Expect::kError, "must be a string", field_of(p)});
      cases.push_back({"huge numbers", c, with_raw(body(), p, "1e999"), Expect::kError, "not valid JSON"});
      if (p.find('/', 1) == std::string::npos && body().contains(p.substr(1))) {  // top-level keys of the body
        cases.push_back({"duplicate keys", c, "{\"" + p.substr(1) + "\":\"X\"," + body().dump().substr(1), Expect::kError,
                         "twice", p.substr(1)});
      }
      cases.push_back({"too long", c, with_raw(body(), p, "\"" + std::string(1001, 'z') + "\""), Expect::kError,
                       "longer than", field_of(p)});
    }
    cases.push_back({"duplicate keys", c, "{\"request_id\":\"dup\"," + body().dump().substr(1), Expect::kError, "twice",
                     "request_id"});
    cases.push_back({"wrong type", c, with_raw(body(), "/request_id", "7"), Expect::kError, "must be a string", "request_id"});
    for (const std::string& p : shape.integers) {
      const std::string f = field_of(p);
      for (const char* huge : {"99999999999999999999", "18446744073709551616", "1e30", "9223372036854775807"}) {
        cases.push_back({"huge numbers", c, with_raw(body(), p, huge), Expect::kError, shape.integer_range, f});
      }
      cases.push_back({"huge numbers", c, with_raw(body(), p, "1e400"), Expect::kError, "number overflow"});
      for (const char* negative : {"-1", "-9223372036854775808", "-1e3"}) {
        cases.push_back({"negative quantities", c, with_raw(body(), p, negative), Expect::kError, shape.integer_range, f});
      }
      for (const char* nan : {"NaN", "-NaN", "Infinity", "-Infinity", "nan"}) {
        cases.push_back({"NaN amounts", c, with_raw(body(), p, nan), Expect::kError, "not valid JSON"});
      }
      cases.push_back({"NaN amounts", c, with_raw(body(), p, "\"NaN\""), Expect::kError, shape.integer_range, f});
      cases.push_back({"wrong type", c, with_raw(body(), p, "1.5"), Expect::kError, shape.integer_range, f});
      cases.push_back({"wrong type", c, with_raw(body(), p, "true"), Expect::kError, shape.integer_range, f});
      cases.push_back({"wrong type", c, with_raw(body(), p, "\"2\""), Expect::kError, shape.integer_range, f});
    }
  }
  return cases;
}

// Raw HTTP, per command: truncated frames, malformed heads, oversized bodies.
inline std::vector<Case> raw_cases(const Baselines& b) {
  std::vector<Case> cases;
  for (const CommandShape& shape : shapes()) {
    const std::string c = shape.name;
    const std::string target = "/v1/" + c;
    const std::string body = template_of(b, c, 0).dump();
    const std::string head = "POST " + target + " HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n";
    const std::string time = std::string(kClientTimeHeader) + ": " + std::string(kNow) + "\r\n";
    cases.push_back({"truncated frame", c, head + time + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                                               body.substr(0, body.size() / 2),
                     Expect::kClosed, "", "", true});
    cases.push_back({"truncated frame", c, head.substr(0, head.size() - 10), Expect::kClosed, "", "", true});
    cases.push_back({"truncated frame", c, head + time + "Transfer-Encoding: chunked\r\n\r\n10\r\n" + body.substr(0, 8),
                     Expect::kClosed, "", "", true});
    cases.push_back({"malformed HTTP", c, head + time + "Content-Length: abc\r\n\r\n" + body, Expect::kError,
                     "malformed HTTP", "", true});
    cases.push_back({"malformed HTTP", c, head + time + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + body + "\r\n0\r\n\r\n",
                     Expect::kError, "malformed HTTP", "", true});
    cases.push_back({"malformed HTTP", c, "POST " + target + " HTTP/9.9 extra\r\n\r\n", Expect::kError, "malformed HTTP",
                     "", true});
    cases.push_back({"malformed HTTP", c, head + "Bad Header Name: x\r\n\r\n", Expect::kError, "malformed HTTP", "", true});
    cases.push_back({"oversized body", c, head + time + "Content-Length: 10000000\r\n\r\n" + body, Expect::kError,
                     "body over", "", true});
    cases.push_back({"oversized body", c, head + time + "X-Pad: " + std::string(9000, 'p') + "\r\n\r\n", Expect::kError,
                     "header over", "", true});
  }
  return cases;
}

// Unknown fields (ignored, docs/rules.md) and SQL/shell metacharacters (data).
inline std::vector<Case> data_cases(const Baselines& b) {
  std::vector<Case> cases;
  const std::vector<std::string> nasty = {
      "'; DROP TABLE affiliates; --", "\" OR 1=1 --", "$(touch /tmp/autoriza-pwned)", "`id`", "| cat /etc/passwd",
      "; rm -rf / #", "%s%n%x", "../../etc/passwd", "<script>alert(1)</script>", "${jndi:ldap://x}", "\\\\x00\\u0000",
      std::string("nul\0inside", 10)};
  int n = 0;
  for (const CommandShape& shape : shapes()) {
    for (const std::string& p : shape.strings) {
      for (const std::string& s : nasty) {
        Json body = b.bodies.at(shape.name);
        body["request_id"] = "meta-" + std::to_string(++n);
        body[Json::json_pointer(p)] = s;
        cases.push_back({"metacharacters", shape.name, body.dump(), Expect::kData});
      }
    }
    Json id = b.bodies.at(shape.name);
    id["request_id"] = "'; DROP TABLE events; --";
    cases.push_back({"metacharacters", shape.name, id.dump(), Expect::kData});
    // A retry of the baseline with unknown fields is the same command.
    Json retry = b.bodies.at(shape.name);
    retry["x_unknown"] = {{"sql", "' OR 1=1"}, {"n", 1e300}, {"list", {1, "two", nullptr}}};
    retry["shell"] = "$(reboot)";
    cases.push_back({"unknown fields", shape.name, retry.dump(), Expect::kRetry});
  }
  return cases;
}

}  // namespace autoriza::bad_input

#pragma once
// Where autoriza's logs go and how they read (`autoriza serve --log-format
// json|text`): every spdlog line on stderr, stdout staying for the few lines
// scripts read ("autoriza serving HTTP on HOST:PORT").
//
// json (serve's default): one JSON object per line,
//   {"time":"2026-11-02T13:00:00.123Z","level":"info","logger":"autoriza","msg":"http server: listening on ..."}
// and for the access log (logger "access", access_log.h) the command's
// fields instead of "msg":
//   {"time":"...","level":"info","logger":"access","request_id":"a1","command":"authorize",...}
// text: "2026-11-02T13:00:00.123Z info autoriza: http server: listening on ..."
// and "... info access: request_id=a1 command=authorize ...".
//
// The access log is asynchronous: lines wait in a queue of kAccessQueueLines
// for one logging thread; when it is full the oldest line is dropped (and
// counted) rather than slowing the engine. What is logged never holds a
// credential number, DNI/CUIL, name, token, API key or body (access_log.h).
#include <cstddef>
#include <cstdio>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include "engine/core/status.h"

namespace spdlog {
class logger;
namespace details {
class thread_pool;
}
}  // namespace spdlog

namespace autoriza {

enum class LogFormat : uint8_t { kJson, kText };
inline constexpr size_t kAccessQueueLines = 8192;
inline constexpr const char* kAccessLoggerName = "access";

// "json" or "text"; kInvalidRequest otherwise.
Status parse_log_format(std::string_view name, LogFormat* out);

// Appends text as a JSON string literal: quotes, escapes, and U+FFFD for
// bytes that are not UTF-8 (a log line must stay valid JSON whatever a
// client sent).
void append_json_string(std::string& out, std::string_view text);

class AccessLog;

// Installs the logs for this process while it lives: the default spdlog
// logger (server events) and the access log (Service instances made while
// it lives pick it up, see installed_access_log()). With capture_stderr,
// text written to std::cerr meanwhile (helpers shared with other
// subcommands) becomes "warn" lines of the default logger, so stderr holds
// only lines of the chosen format. Destroying it flushes what is queued,
// restores std::cerr and uninstalls the access log. One at a time per
// process; it must outlive the Services made while it lives. out: where the
// lines go (null: stderr; tests pass a file).
class LogSetup {
 public:
  explicit LogSetup(LogFormat format, bool capture_stderr = false, std::FILE* out = nullptr);
  ~LogSetup();
  LogSetup(const LogSetup&) = delete;
  LogSetup& operator=(const LogSetup&) = delete;

  LogFormat format() const { return format_; }
  // Access lines dropped because the queue was full, since start.
  size_t dropped_lines() const;

 private:
  LogFormat format_;
  std::shared_ptr<spdlog::details::thread_pool> pool_;
  std::shared_ptr<spdlog::logger> previous_default_;
  std::shared_ptr<AccessLog> access_;
  class StderrToLog;
  std::unique_ptr<StderrToLog> capture_;
  std::streambuf* previous_cerr_ = nullptr;
};

// The access log a LogSetup installed, or null (tests, tools, benchmarks:
// no line per command).
std::shared_ptr<const AccessLog> installed_access_log();

}  // namespace autoriza

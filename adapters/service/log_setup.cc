#include "adapters/service/log_setup.h"

#include <spdlog/async_logger.h>
#include <spdlog/details/thread_pool.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <ctime>
#include <iostream>
#include <mutex>
#include <streambuf>

#include "adapters/service/access_log.h"

namespace autoriza {

namespace {

std::mutex installed_mutex;
std::shared_ptr<const AccessLog> installed;  // guarded by installed_mutex

// Length of the UTF-8 sequence starting at s[i] (RFC 3629: no overlongs, no
// surrogates, at most U+10FFFF), or 0 when it is not one.
size_t utf8_length(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

// "2026-11-02T13:00:00.123Z"
void append_time(std::string& out, std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t seconds = std::time_t(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  out.append(buf, n);
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03dZ", int(ms % 1000));
  out += frac;
}

// Formats every line of every logger (one sink on stderr). Lines of the
// access logger carry fields (access_log.cc builds them); others a message.
class LineFormatter final : public spdlog::formatter {
 public:
  explicit LineFormatter(LogFormat format) : format_(format) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string_view logger(msg.logger_name.data(), msg.logger_name.size());
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    const auto level = spdlog::level::to_string_view(msg.level);
    const bool fields = logger == kAccessLoggerName;
    std::string line;
    line.reserve(payload.size() + 96);
    if (format_ == LogFormat::kJson) {
      line += "{\"time\":\"";
      append_time(line, msg.time);
      line += "\",\"level\":\"";
      line.append(level.data(), level.size());
      line += "\",\"logger\":";
      append_json_string(line, logger.empty() ? "autoriza" : logger);
      if (fields) {
        line += ',';
        line += payload;  // "request_id":"a1",...: built escaped by access_log.cc
      } else {
        line += ",\"msg\":";
        append_json_string(line, payload);
      }
      line += "}\n";
    } else {
      append_time(line, msg.time);
      line += ' ';
      line.append(level.data(), level.size());
      line += ' ';
      line += logger.empty() ? "autoriza" : logger;
      line += ": ";
      line += payload;
      line += '\n';
    }
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<LineFormatter>(format_); }

 private:
  LogFormat format_;
};

}  // namespace

// Lines written to std::cerr, each handed to the default logger. Bounded: a
// line longer than kLineBytesMax is cut there.
class LogSetup::StderrToLog final : public std::streambuf {
 public:
  static constexpr size_t kLineBytesMax = 4096;
  ~StderrToLog() override { flush_line(); }

 protected:
  int_type overflow(int_type c) override {
    if (c == traits_type::eof()) return traits_type::not_eof(c);
    std::lock_guard lock(mutex_);
    put(char(c));
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    std::lock_guard lock(mutex_);
    for (std::streamsize i = 0; i < n; ++i) put(s[i]);
    return n;
  }

 private:
  void put(char c) {
    if (c == '\n') return emit();
    if (line_.size() < kLineBytesMax) line_ += c;
  }
  void emit() {
    if (!line_.empty()) spdlog::warn(std::string_view(line_));
    line_.clear();
  }
  void flush_line() {
    std::lock_guard lock(mutex_);
    emit();
  }
  std::mutex mutex_;
  std::string line_;
};

Status parse_log_format(std::string_view name, LogFormat* out) {
  if (name == "json") {
    *out = LogFormat::kJson;
  } else if (name == "text") {
    *out = LogFormat::kText;
  } else {
    return Status::invalid("log format must be json or text, got '" + std::string(name) + "'", "log-format");
  }
  return Status::ok();
}

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const size_t n = utf8_length(text, i);
      if (n == 0) {
        out += "\\ufffd";
        ++i;
      } else {
        out.append(text.data() + i, n);
        i += n;
      }
      continue;
    }
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += char(c);
    }
    ++i;
  }
  out += '"';
}

LogSetup::LogSetup(LogFormat format, bool capture_stderr, std::FILE* out) : format_(format) {
  // The console mutex of spdlog: the one stderr_sink_mt takes, for any FILE.
  auto sink = std::make_shared<spdlog::sinks::stdout_sink_base<spdlog::details::console_mutex>>(out ? out : stderr);
  sink->set_formatter(std::make_unique<LineFormatter>(format));
  previous_default_ = spdlog::default_logger();
  auto main = std::make_shared<spdlog::logger>("", sink);
  main->set_level(spdlog::level::info);
  main->flush_on(spdlog::level::info);  // server events are few: each reaches the file at once
  spdlog::set_default_logger(main);
  pool_ = std::make_shared<spdlog::details::thread_pool>(kAccessQueueLines, 1);
  auto access = std::make_shared<spdlog::async_logger>(kAccessLoggerName, sink, pool_,
                                                       spdlog::async_overflow_policy::overrun_oldest);
  access->set_level(spdlog::level::info);
  access_ = std::make_shared<AccessLog>(access, format);
  {
    std::lock_guard lock(installed_mutex);
    installed = access_;
  }
  if (capture_stderr) {
    capture_ = std::make_unique<StderrToLog>();
    previous_cerr_ = std::cerr.rdbuf(capture_.get());
  }
}

LogSetup::~LogSetup() {
  if (capture_) {
    std::cerr.rdbuf(previous_cerr_);
    capture_.reset();  // its last partial line goes out
  }
  {
    std::lock_guard lock(installed_mutex);
    if (installed == access_) installed.reset();
  }
  access_.reset();  // Services made meanwhile may still hold it: their lines go to the pool while it lives
  pool_.reset();    // joins the logging thread once the queue is drained
  spdlog::default_logger()->flush();
  if (previous_default_) spdlog::set_default_logger(previous_default_);
}

size_t LogSetup::dropped_lines() const { return pool_ ? pool_->overrun_counter() : 0; }

std::shared_ptr<const AccessLog> installed_access_log() {
  std::lock_guard lock(installed_mutex);
  return installed;
}

}  // namespace autoriza

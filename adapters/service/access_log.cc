#include "adapters/service/access_log.h"

#include <spdlog/logger.h>

#include "engine/core/status.h"

namespace autoriza {

AccessLog::AccessLog(std::shared_ptr<spdlog::logger> logger, LogFormat format)
    : logger_(std::move(logger)), format_(format) {
  AUTORIZA_CHECK(logger_ != nullptr);
}

void AccessLog::write(const CommandTrace& trace, const CommandAnswer& answer, std::chrono::nanoseconds latency) const {
  const bool json = format_ == LogFormat::kJson;
  std::string line;
  line.reserve(192 + trace.request_id.size());
  bool first = true;
  auto key = [&](std::string_view name) {
    if (!first) line += json ? "," : " ";
    first = false;
    if (json) {
      line += '"';
      line += name;
      line += "\":";
    } else {
      line += name;
      line += '=';
    }
  };
  // Ids come from the client: always quoted and escaped. Names and codes
  // are ours (fixed lists): bare in text lines.
  auto quoted = [&](std::string_view name, std::string_view value) {
    key(name);
    append_json_string(line, value);
  };
  auto word = [&](std::string_view name, std::string_view value) {
    if (json) return quoted(name, value);
    key(name);
    line += value.empty() ? std::string_view("-") : value;
  };
  auto number = [&](std::string_view name, int64_t value) {
    key(name);
    line += std::to_string(value);
  };
  quoted("request_id", trace.request_id);
  word("command", trace.command);
  word("channel", trace.channel);
  quoted("principal", trace.principal);
  quoted("provider", trace.provider);
  number("http_status", answer.http_status);
  word("outcome", answer.outcome);
  key("replayed");
  line += answer.replayed ? "true" : "false";
  number("latency_us", std::chrono::duration_cast<std::chrono::microseconds>(latency).count());
  logger_->info(std::string_view(line));
}

}  // namespace autoriza

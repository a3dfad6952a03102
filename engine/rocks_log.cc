#include "engine/rocks_log.h"

#include <fcntl.h>
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <rocksdb/env.h>

namespace autoriza {

namespace {

constexpr uintmax_t kLogBytesMax = uintmax_t(64) << 20;  // beyond it, moved to LOG.old at open

std::string format_message(const char* format, va_list ap) {
  char small[1024];
  va_list copy;
  va_copy(copy, ap);
  const int n = std::vsnprintf(small, sizeof small, format, copy);
  va_end(copy);
  if (n < 0) return format;
  if (size_t(n) < sizeof small) return std::string(small, size_t(n));
  std::string text(size_t(n), '\0');
  std::vsnprintf(text.data(), text.size() + 1, format, ap);
  return text;
}

// "2026/12/06-12:38:28.123456 7f3a2b1c0640 ", as RocksDB's own lines start.
std::string line_prefix() {
  timeval now{};
  gettimeofday(&now, nullptr);
  tm local{};
  localtime_r(&now.tv_sec, &local);
  char prefix[64];
  std::snprintf(prefix, sizeof prefix, "%04d/%02d/%02d-%02d:%02d:%02d.%06ld %lx ", local.tm_year + 1900,
                local.tm_mon + 1, local.tm_mday, local.tm_hour, local.tm_min, local.tm_sec, long(now.tv_usec),
                static_cast<unsigned long>(pthread_self()));
  return prefix;
}

class RocksLog final : public rocksdb::Logger {
 public:
  RocksLog(int fd, std::string name) : rocksdb::Logger(rocksdb::InfoLogLevel::INFO_LEVEL), fd_(fd), name_(std::move(name)) {}
  ~RocksLog() override { ::close(fd_); }

  void Logv(const char* format, va_list ap) override {
    const std::string line = line_prefix() + format_message(format, ap) + "\n";
    // A full disk: the line is lost; the writer keeps no state of it.
    [[maybe_unused]] const ssize_t written = ::write(fd_, line.data(), line.size());
  }

  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel()) return;
    if (level == rocksdb::InfoLogLevel::ERROR_LEVEL || level == rocksdb::InfoLogLevel::FATAL_LEVEL) {
      va_list copy;
      va_copy(copy, ap);
      const std::string message = format_message(format, copy);
      va_end(copy);
      spdlog::error("rocksdb ({}): {}", name_, message);
    }
    rocksdb::Logger::Logv(level, format, ap);  // prefixes the level name, then Logv(format, ap)
  }

 private:
  const int fd_;
  const std::string name_;
};

}  // namespace

std::shared_ptr<rocksdb::Logger> make_rocks_log(const std::filesystem::path& dir, std::string name) {
  const std::filesystem::path file = dir / "LOG";
  std::error_code ec;
  if (std::filesystem::file_size(file, ec) > kLogBytesMax && !ec) std::filesystem::rename(file, dir / "LOG.old", ec);
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return nullptr;
  return std::make_shared<RocksLog>(fd, std::move(name));
}

}  // namespace autoriza

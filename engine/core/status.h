#pragma once
// Status: the result of every operation that can fail on input or I/O
// (adapters/codec/error_codes.h says what an adapter answers for each kind).
// A Status names its kind, says what went wrong and, for bad input, where
// (a JSON path such as "items[0].qty", or "file:line").
#include <string>
#include <utility>

namespace autoriza {

enum class StatusKind {
  kOk,
  kInvalidRequest,    // malformed input, no event
  kNotFound,          // unknown id in a path
  kConflict,          // request id reused with another body
  kUnavailable,       // overloaded or shutting down, retry later
  kUnauthenticated,   // no valid API key or certificate
  kForbidden,         // the principal may not do this
  kRateLimited,       // the principal's rate is exceeded, retry after a pause
  kIoError,           // storage failed: the engine stops taking commands
  kCorruption,        // stored bytes do not decode: fatal
  kTimeout,           // no answer in time (Kafka gateway), retry with the same request id
  kStoreFull,         // the store's disk is (nearly) full: writes refused, reads go on; retry once space is freed
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status ok() { return Status(); }
  static Status invalid(std::string message, std::string field = {}) {
    return Status(StatusKind::kInvalidRequest, std::move(message), std::move(field));
  }
  static Status not_found(std::string message) { return Status(StatusKind::kNotFound, std::move(message), {}); }
  static Status conflict(std::string message) { return Status(StatusKind::kConflict, std::move(message), {}); }
  static Status unavailable(std::string message) { return Status(StatusKind::kUnavailable, std::move(message), {}); }
  static Status unauthenticated(std::string message) {
    return Status(StatusKind::kUnauthenticated, std::move(message), {});
  }
  static Status forbidden(std::string message) { return Status(StatusKind::kForbidden, std::move(message), {}); }
  static Status rate_limited(std::string message) { return Status(StatusKind::kRateLimited, std::move(message), {}); }
  static Status io_error(std::string message) { return Status(StatusKind::kIoError, std::move(message), {}); }
  static Status corruption(std::string message) { return Status(StatusKind::kCorruption, std::move(message), {}); }
  static Status store_full(std::string message) { return Status(StatusKind::kStoreFull, std::move(message), {}); }
  // field holds the request id the client retries with.
  static Status timeout(std::string message, std::string request_id) {
    return Status(StatusKind::kTimeout, std::move(message), std::move(request_id));
  }

  bool is_ok() const { return kind_ == StatusKind::kOk; }
  explicit operator bool() const { return is_ok(); }
  StatusKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }
  // "what (field)" for logs and CLI output.
  std::string to_string() const { return field_.empty() ? message_ : message_ + " (" + field_ + ")"; }

 private:
  Status(StatusKind kind, std::string message, std::string field)
      : kind_(kind), message_(std::move(message)), field_(std::move(field)) {}
  StatusKind kind_ = StatusKind::kOk;
  std::string message_;
  std::string field_;
};

// Aborts the process on a broken invariant whose breach would corrupt data,
// in every build mode (plain assert() is for debug-only checks).
[[noreturn]] void invariant_failed(const char* expr, const char* file, int line);
#define AUTORIZA_CHECK(expr) \
  ((expr) ? (void)0 : ::autoriza::invariant_failed(#expr, __FILE__, __LINE__))

}  // namespace autoriza

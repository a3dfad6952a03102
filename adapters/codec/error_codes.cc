#include "adapters/codec/error_codes.h"

namespace autoriza {

const char* error_code_name(StatusKind kind) {
  switch (kind) {
    case StatusKind::kOk: return "OK";
    case StatusKind::kInvalidRequest: return "INVALID_REQUEST";
    case StatusKind::kNotFound: return "NOT_FOUND";
    case StatusKind::kConflict: return "REQUEST_ID_REUSED";
    case StatusKind::kUnavailable: return "UNAVAILABLE";
    case StatusKind::kUnauthenticated: return "UNAUTHENTICATED";
    case StatusKind::kForbidden: return "FORBIDDEN";
    case StatusKind::kRateLimited: return "RATE_LIMITED";
    case StatusKind::kTimeout: return "TIMEOUT";
    case StatusKind::kStoreFull: return "STORE_FULL";
    case StatusKind::kIoError:
    case StatusKind::kCorruption: return "INTERNAL";
  }
  return "INTERNAL";
}

int http_status(StatusKind kind) {
  switch (kind) {
    case StatusKind::kOk: return 200;
    case StatusKind::kInvalidRequest: return 400;
    case StatusKind::kNotFound: return 404;
    case StatusKind::kConflict: return 409;
    case StatusKind::kUnavailable: return 503;
    case StatusKind::kUnauthenticated: return 401;
    case StatusKind::kForbidden: return 403;
    case StatusKind::kRateLimited: return 429;
    case StatusKind::kTimeout: return 504;
    case StatusKind::kStoreFull: return 503;
    case StatusKind::kIoError:
    case StatusKind::kCorruption: return 500;
  }
  return 500;
}

}  // namespace autoriza

#include "routes.h"

#include <cassert>

#include "codec.h"  // is_command_name

namespace autoriza {
namespace {

constexpr std::string_view kApiPrefix = "/v1/";
constexpr std::string_view kHealthPath = "/healthz";
constexpr std::string_view kAllowCommand = "POST";
constexpr std::string_view kAllowQuery = "GET, HEAD";
constexpr std::string_view kAllowAny = "GET, HEAD, POST";

bool is_read(std::string_view method) { return method == "GET" || method == "HEAD"; }

}  // namespace

Route route_request(std::string_view method, std::string_view target) {
  if (target.empty() || target.front() != '/') return Route{.kind = RouteKind::kBadTarget};
  const std::string_view path = target.substr(0, target.find('?'));
  assert(!path.empty() && path.front() == '/');

  if (path == kHealthPath) {
    if (is_read(method)) return Route{.kind = RouteKind::kQuery};
    return Route{.kind = RouteKind::kMethodNotAllowed, .allow = kAllowQuery};
  }
  if (!path.starts_with(kApiPrefix)) {
    // The service owns every GET (it may serve pages outside /v1/ one day).
    if (is_read(method)) return Route{.kind = RouteKind::kQuery};
    return Route{.kind = RouteKind::kNotFound};
  }

  const std::string_view rest = path.substr(kApiPrefix.size());
  if (rest.empty()) {
    if (is_read(method)) return Route{.kind = RouteKind::kQuery};
    return Route{.kind = RouteKind::kNotFound};
  }
  const bool single_segment = rest.find('/') == std::string_view::npos;
  if (single_segment) {
    if (method == "POST") return Route{.kind = RouteKind::kCommand, .command = rest};
    if (is_command_name(rest)) return Route{.kind = RouteKind::kMethodNotAllowed, .allow = kAllowCommand};
    if (is_read(method)) return Route{.kind = RouteKind::kQuery};
    return Route{.kind = RouteKind::kMethodNotAllowed, .allow = kAllowAny};
  }
  if (is_read(method)) return Route{.kind = RouteKind::kQuery};
  return Route{.kind = RouteKind::kMethodNotAllowed, .allow = kAllowQuery};
}

}  // namespace autoriza

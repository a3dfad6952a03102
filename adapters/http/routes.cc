#include "adapters/http/routes.h"

#include <cassert>

#include "adapters/codec/codec.h"  // is_command_name

namespace autoriza {
namespace {

constexpr std::string_view kApiPrefix = "/v1/";
constexpr std::string_view kHealthPath = "/healthz";
constexpr std::string_view kAllowCommand = "POST";
constexpr std::string_view kAllowHealth = "GET, HEAD";
constexpr std::string_view kAllowApi = "GET, HEAD, POST";

bool is_served_method(std::string_view method) { return method == "GET" || method == "HEAD" || method == "POST"; }

Route route_of(RouteKind kind) { return Route{kind, {}, {}}; }
Route command_route(std::string_view command) { return Route{RouteKind::kCommand, command, {}}; }
Route not_allowed(std::string_view allow) { return Route{RouteKind::kMethodNotAllowed, {}, allow}; }

}  // namespace

Route route_request(std::string_view method, std::string_view target) {
  if (target.empty() || target.front() != '/') return route_of(RouteKind::kBadTarget);
  const std::string_view path = target.substr(0, target.find('?'));
  assert(!path.empty() && path.front() == '/');

  if (path.starts_with(kApiPrefix)) {
    const std::string_view segment = path.substr(kApiPrefix.size());
    if (is_command_name(segment)) {
      if (method == "POST") return command_route(segment);
      return not_allowed(kAllowCommand);
    }
    if (!is_served_method(method)) return not_allowed(kAllowApi);
    return route_of(RouteKind::kService);
  }
  if (path == kHealthPath) {
    if (method == "GET" || method == "HEAD") return route_of(RouteKind::kService);
    return not_allowed(kAllowHealth);
  }
  if (!is_served_method(method)) return route_of(RouteKind::kNotFound);
  return route_of(RouteKind::kService);
}

}  // namespace autoriza

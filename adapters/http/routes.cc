#include "adapters/http/routes.h"

#include <cassert>

#include "adapters/codec/codec.h"  // is_command_name

namespace autoriza {

Route route_request(std::string_view method, std::string_view target) {
  if (target.empty() || target.front() != '/') return Route{RouteKind::kBadTarget, {}, {}, nullptr};
  const std::string_view path = target.substr(0, target.find('?'));
  assert(!path.empty() && path.front() == '/');
  RouteMatch match = match_route(method, path);
  if (!match.row) {
    if (!match.allow.empty()) return Route{RouteKind::kMethodNotAllowed, {}, std::move(match.allow), nullptr};
    return Route{RouteKind::kService, {}, {}, nullptr};
  }
  constexpr std::string_view kApiPrefix = "/v1/";
  const std::string_view segment = path.starts_with(kApiPrefix) ? path.substr(kApiPrefix.size()) : path;
  if (method == "POST" && is_command_name(segment)) return Route{RouteKind::kCommand, segment, {}, match.row};
  return Route{RouteKind::kService, {}, {}, match.row};
}

}  // namespace autoriza

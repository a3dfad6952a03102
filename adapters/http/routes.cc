#include "adapters/http/routes.h"

#include <cassert>

#include "adapters/codec/codec.h"  // is_command_name
#include "adapters/service/route_table.h"

namespace autoriza {

Route route_request(std::string_view method, std::string_view target) {
  if (target.empty() || target.front() != '/') return Route{RouteKind::kBadTarget, {}, {}};
  const std::string_view path = target.substr(0, target.find('?'));
  assert(!path.empty() && path.front() == '/');
  RouteMatch match = match_route(method, path);
  if (!match.row) {
    if (!match.allow.empty()) return Route{RouteKind::kMethodNotAllowed, {}, std::move(match.allow)};
    return Route{RouteKind::kService, {}, {}};
  }
  constexpr std::string_view kApiPrefix = "/v1/";
  const std::string_view segment = path.starts_with(kApiPrefix) ? path.substr(kApiPrefix.size()) : path;
  if (method == "POST" && is_command_name(segment)) return Route{RouteKind::kCommand, segment, {}};
  return Route{RouteKind::kService, {}, {}};
}

}  // namespace autoriza

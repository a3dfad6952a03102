#pragma once
// Routing of the HTTP adapter: what it answers itself before the service.
// The routes are the service's table (adapters/service/route_table.h); this
// is only what Beast needs decided first, a pure function of method and
// target so tests need no socket:
//
//   POST /v1/<command>                 -> Service::post (the command fast path)
//   a known path, another method       -> 405 with the table's Allow
//   a target that is not a path ("*", "http://...") -> 400
//   anything else                      -> Service::request, which dispatches by
//                                         the table (404 for unknown paths)
//
// Each route also says how large a body it takes (RouteRow::body_max_bytes):
// the connection applies it once the request's header is read.
#include <string>
#include <string_view>

#include "adapters/service/route_table.h"

namespace autoriza {

// The request header that carries a client's clock; honoured only by a
// server built with allow_client_time (server.h).
inline constexpr std::string_view kClientTimeHeader = "X-Autoriza-Time";

enum class RouteKind {
  kCommand,           // POST /v1/<command>
  kService,           // the rest of the HTTP API
  kMethodNotAllowed,  // 405; allow says what the path takes
  kBadTarget,         // 400: not an origin-form target ("/...")
};

struct Route {
  RouteKind kind = RouteKind::kService;
  std::string_view command;  // kCommand: a view into the target, without query
  std::string allow;         // kMethodNotAllowed: value of the Allow header
  // The route table's row of the request, if one matches: how large a body
  // it takes (body_max_bytes(row), body_over_message(row) past it).
  const RouteRow* row = nullptr;
};

// method is the request's method token ("POST"), target its request-target.
// command points into target.
Route route_request(std::string_view method, std::string_view target);

}  // namespace autoriza

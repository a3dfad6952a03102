#pragma once
// Routing of the HTTP adapter: which entry of the Service a request goes to.
// A pure function of method and target, kept apart from Beast so the table
// reads at a glance and tests need no socket.
//
//   POST /v1/<command>              -> Service::post(command, ...)   (a command
//                                      of SPEC section 3: is_command_name)
//   other methods on /v1/<command>  -> 405, Allow: POST
//   POST /healthz                   -> 405, Allow: GET, HEAD
//   methods other than GET, HEAD and POST on /healthz or under /v1/
//                                   -> 405 with Allow; elsewhere -> 404
//   any other GET, HEAD or POST     -> Service::request(method, target, ...):
//                                      the query and affiliate APIs, which
//                                      answer 404 for what they do not know
//   a target that is not a path ("*", "http://...") -> 400
#include <string_view>

namespace autoriza {

// The request header that carries a client's clock; honoured only by a
// server built with allow_client_time (server.h).
inline constexpr std::string_view kClientTimeHeader = "X-Autoriza-Time";

enum class RouteKind {
  kCommand,           // POST /v1/<command>
  kService,           // the rest of the HTTP API
  kMethodNotAllowed,  // 405; allow says what the path takes
  kNotFound,          // 404
  kBadTarget,         // 400: not an origin-form target ("/...")
};

struct Route {
  RouteKind kind = RouteKind::kNotFound;
  std::string_view command;  // kCommand: a view into the target, without query
  std::string_view allow;    // kMethodNotAllowed: value of the Allow header
};

// method is the request's method token ("POST"), target its request-target.
// The returned views point into target or static storage.
Route route_request(std::string_view method, std::string_view target);

}  // namespace autoriza

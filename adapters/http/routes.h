#pragma once
// Routing of the HTTP adapter: which part of the service a request goes to.
// A pure function of method and target, kept apart from Beast so the table
// reads at a glance and tests need no socket.
//
//   POST /v1/<command>          -> Service::post(command, ...)  (an unknown
//                                  command is the service's 400)
//   GET|HEAD /healthz, /v1/...  -> Service::get(target)         (unknown: 404)
//   GET|HEAD /v1/<command>      -> 405, Allow: POST             (a command of
//                                  SPEC section 3, is_command_name in codec.h)
//   other methods on /healthz or under /v1/ -> 405 with Allow
//   anything else               -> 404; a target that is not a path -> 400
#include <string_view>

namespace autoriza {

enum class RouteKind {
  kCommand,           // POST /v1/<command>
  kQuery,             // GET or HEAD of the query API
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

#pragma once
// The HTTP API, listed once. Every route is one row: method, path pattern,
// the roles allowed, the handler and a one-line summary (plus what the
// OpenAPI document says of its query, body and answers). Dispatch, the
// 401/403/404/405 answers and GET /openapi.json all come from this table:
//
//   no row's pattern matches the path        -> 404 (a POST /v1/<word> that
//                                               names no command: 400, as
//                                               every unknown command)
//   the path matches, the method does not    -> 405 with Allow
//   a row that is not open, no key           -> 401
//   the key's role is not in the row         -> 403
//   the row's scope is not the key's          -> 403 (a provider's key acts for
//                                               its own {provider}, an affiliate
//                                               app's for its family's {credential})
//   else                                     -> the row's handler
//
// Role ops may call every row. Patterns are literal segments and {name}
// segments matching one path segment; rows are tried in order, so a literal
// row is listed before a {name} row that would match the same path.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/auth/auth.h"
#include "adapters/service/service.h"

namespace autoriza {

// Who may call a route besides ops (bits of auth::Role) and whether it is open.
enum RouteAccess : uint8_t {
  kOpsOnly = 0,
  kByProvider = 1 << 0,
  kByAuditor = 1 << 1,
  kByAffiliate = 1 << 2,
  kByAnalyst = 1 << 3,
  kByAnyRole = kByProvider | kByAuditor | kByAffiliate | kByAnalyst,
  kOpen = 1 << 4,  // no key needed (the handler sees an anonymous analyst)
  kNoSession = 1 << 5,  // the portal's session cookie is not consulted (signing in)
};

// Which path parameter a key must own (see the header comment).
enum class RouteScope : uint8_t { kNone, kOwnProvider, kOwnFamily };

// One request as a handler sees it: authenticated, permitted, matched.
struct RouteCall {
  const auth::Principal& principal;
  std::string_view method;
  std::string_view target;             // path and query
  std::vector<std::string> params;     // the {name} segments of the pattern, in order
  std::string_view body;
  Millis now;
  std::string_view session = {};  // the portal's session cookie, if sent
  bool https = false;             // the client reached us over TLS
  std::string_view content_type = {};  // the request's Content-Type header (an upload's declared type)
  std::string_view account_session = {};  // the affiliates' app's session cookie, if sent
  std::string_view address = {};          // the client's IP address (failed sign-ins are limited per address)
};

using RouteDone = std::function<void(Reply)>;
// Calls done exactly once (possibly on an engine thread).
using RouteHandler = void (*)(Service& service, const RouteCall& call, RouteDone done);

// What GET /openapi.json says of a route beyond its row.
struct RouteDoc {
  std::string_view query = {};    // query parameters, comma-separated ("from,to,format")
  std::string_view request = {};  // the request body's schema in components, or empty
  std::string_view answer = "Object";  // the 200 answer's schema in components, for JSON answers
  std::string_view types = "application/json";  // content types of the 200 answer, comma-separated
  // The request body's content types when it is a file, not JSON
  // (comma-separated; request is then empty).
  std::string_view request_types = {};
  bool created = false;  // it may also answer 201 Created (with the same body)
  bool limited = false;  // an open row that still answers 429 (the portal's limits per user name)
};

struct RouteRow {
  std::string_view method;   // "GET" (which also serves HEAD) or "POST"
  std::string_view pattern;  // "/v1/affiliates/{credential}/card.svg"
  uint8_t access;            // RouteAccess bits
  RouteScope scope;
  RouteHandler handler;
  std::string_view summary;
  RouteDoc doc = {};
  // The largest body the route takes; past it, 400 with body_over (empty:
  // "body over N bytes"). Only uploads raise it: the HTTP adapter reads a
  // body over kBodyMaxBytes only after Service::admit_header.
  size_t body_max_bytes = kBodyMaxBytes;
  std::string_view body_over = {};
};

// Every route, in matching order.
std::span<const RouteRow> route_table();

struct RouteMatch {
  const RouteRow* row = nullptr;      // the row for method and path, or null
  std::vector<std::string> params;    // with row: its {name} segments
  std::string allow;                  // no row but the path is known: "GET, HEAD" (the 405's Allow)
};
// path: without query string. HEAD matches GET rows.
RouteMatch match_route(std::string_view method, std::string_view path);

// The largest body a request to row may carry, and the 400's message past
// it (row null: a path no row matches: kBodyMaxBytes).
inline size_t body_max_bytes(const RouteRow* row) { return row ? row->body_max_bytes : kBodyMaxBytes; }
std::string body_over_message(const RouteRow* row);
// The largest body_max_bytes of any row: what an adapter admits before it
// knows the route of a request.
size_t route_body_max_bytes();

// kOk when principal may call row with params (ops always may); else
// kForbidden naming who and what.
Status permit_route(const auth::Principal& principal, const RouteRow& row, const std::vector<std::string>& params,
                    const Reference& reference);

// The OpenAPI 3.1 document of the table (GET /openapi.json).
std::string openapi_document();

}  // namespace autoriza

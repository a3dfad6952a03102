#pragma once
// The ops API over API keys: see admin_api.cc for the routes.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/service/service.h"

namespace autoriza {

// The reply to a request under /v1/admin/keys (p: the path's segments), or
// nullopt when the path is elsewhere. The caller checked the role (ops).
std::optional<Reply> admin_request(Engine& engine, std::string_view method, const std::vector<std::string>& p,
                                   std::string_view body, Millis now);

}  // namespace autoriza

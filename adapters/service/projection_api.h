#pragma once
// The read-side GET endpoints over the projections (routes in projection_api.cc).
#include <optional>
#include <string_view>

#include "adapters/service/service.h"

namespace autoriza {

class Projections;

// The answer for target, or nullopt when target is not a projection route.
std::optional<Reply> projection_request(Engine& engine, Projections& projections, std::string_view target);

}  // namespace autoriza
